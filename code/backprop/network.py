"""A fully connected network: its forward pass, and backpropagation in matrix form.

This is the code of the chapter "The two-layer network", written for any
depth. Layers are numbered as in the book, ``l = 1, ..., L``; Python lists
are 0-based, so ``params[l - 1]`` holds ``(W^l, b^l)``, ``zs[l - 1]`` holds
``Z^l`` and ``activations[l]`` holds ``A^l`` (``activations[0]`` is the
input ``A^0 = X``).

Shapes (a batch of ``m`` examples as columns)::

    X, A^0       (n_0, m)
    W^l          (n_l, n_{l-1})
    b^l          (n_l, 1)          added to every column (broadcast along m)
    Z^l, A^l     (n_l, m)
    Y            (n_L, m)
    Delta^l      (n_l, m)          the errors, unscaled: column i is the error
                                   delta^{l,(i)} = nabla_{z^l} loss of example i
    grad_Z       (n_l, m)          nabla_{Z^l} C = Delta^l / m, the gradient of
                                   the cost C with respect to Z^l
    grad_W       (n_l, n_{l-1})    nabla_{W^l} C, the shape of W^l
    grad_b       (n_l, 1)          nabla_{b^l} C, the shape of b^l

The architecture is data, ``architecture(L, loss, hidden)``: every hidden
layer applies the element-wise activation ``hidden`` (``"sigmoid"``, the
book's, ``"tanh"``, ``"relu"`` or ``"identity"``), and the output layer is
the one paired with the loss: a sigmoid for ``loss="squared_error"`` (loss
``1/2 ||y - a||^2``), a softmax for ``loss="cross_entropy"`` (loss
``-sum t ln a``). The cost is the mean loss over the ``m`` columns.

``forward``, ``backward`` and the math of ``loss_and_grads`` and ``cost``
trust their input: they are what the chapters print. ``loss_and_grads`` and
``cost`` as the package exports them check their input once, first (see the
end of this file).
"""

from __future__ import annotations

import functools

import numpy as np

from ._checks import check_batch, check_choice
from .activations import ACTIVATIONS, FUNCTIONS, log_softmax, sigmoid_prime
from .losses import OUTPUT_ACTIVATION

#: The loss names, and the hidden activations a network may use.
LOSSES = tuple(OUTPUT_ACTIVATION)
HIDDEN = tuple(ACTIVATIONS)


def architecture(L, loss="squared_error", hidden="sigmoid"):
    """The activation of each layer ``l = 1, ..., L``: a tuple of ``L`` names.

    Layers ``1, ..., L - 1`` apply ``hidden``; layer ``L`` applies the output
    activation paired with ``loss`` (``losses.OUTPUT_ACTIVATION``). Every
    implementation of the book's network reads its layers from here: this
    module, ``fast``, ``tape.network_cost``, the benchmarks and the tests'
    PyTorch reference.
    """
    return (hidden,) * (L - 1) + (OUTPUT_ACTIVATION[loss],)


def init_params(sizes, seed=0, dtype=np.float64):
    """Random parameters for layer sizes ``[n_0, n_1, ..., n_L]``.

    ``W^l`` has shape ``(n_l, n_{l-1})`` with entries drawn from
    ``N(0, 1 / n_{l-1})``, so that ``z`` starts with unit-order variance;
    ``b^l = 0`` with shape ``(n_l, 1)``. Deterministic for a given ``seed``.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {sizes}")
    rng = np.random.default_rng(seed)
    return [
        ((rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)).astype(dtype),
         np.zeros((n_out, 1), dtype=dtype))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def forward(params, X, loss="squared_error", hidden="sigmoid"):
    """Run the network on the columns of ``X``: ``(zs, activations)``.

    ``zs[l - 1]`` is ``Z^l = W^l A^{l-1} + b^l``, shape ``(n_l, m)``;
    ``activations[l]`` is ``A^l``, shape ``(n_l, m)``, and
    ``activations[0] = X``. The layers apply ``architecture(L, loss, hidden)``.
    """
    zs, activations = [], [X]
    for (W, b), f in zip(params, architecture(len(params), loss, hidden)):
        z = W @ activations[-1] + b  # (n_l, n_{l-1}) (n_{l-1}, m) + (n_l, 1)
        zs.append(z)
        activations.append(FUNCTIONS[f](z))
    return zs, activations


def backward(params, zs, activations, Y, loss="squared_error",
             hidden="sigmoid"):
    """Backpropagate a forward pass: ``grads``, ``(grad_W, grad_b)`` per layer.

    The rules of the chapters "The two-layer network" and "Softmax and
    cross-entropy", for a batch: ``Delta^L`` the unscaled errors of the
    output layer, one column per example, and ``grad_Z`` holding
    ``nabla_{Z^l} C = Delta^l / m`` for the current layer ``l``::

        Delta^L = (A^L - Y) * sigma'(Z^L)     (B1: squared error, sigmoid)
        Delta^L = A^L * (1^T Y) - Y           (S1: cross-entropy, softmax)
        nabla_{Z^L} C = Delta^L / m
        for l = L, ..., 1:
            nabla_{W^l} C = nabla_{Z^l} C (A^{l-1})^T                  (B3)
            nabla_{b^l} C = nabla_{Z^l} C 1                            (B4)
            if l >= 2:                                                 (B2)
                nabla_{Z^{l-1}} C = ((W^l)^T nabla_{Z^l} C) * f'(Z^{l-1})

    with ``f`` the hidden activation. The ``1/m`` of the mean cost is applied
    once, to ``Delta^L``; everything after it is linear in it. No error is
    computed for the input layer. For cross-entropy, ``1^T Y`` is the column
    sum of the targets: when every column sums to 1, ``Delta^L = A^L - Y``.
    """
    _, f_prime = ACTIVATIONS[hidden]
    L = len(params)
    m = Y.shape[1]
    a_L = activations[L]
    if loss == "squared_error":
        Delta = (a_L - Y) * sigmoid_prime(zs[L - 1])    # (B1)
    else:
        Delta = a_L * Y.sum(axis=0, keepdims=True) - Y  # (S1)
    grad_Z = Delta / m                                  # (n_L, m)
    grads = [None] * L
    for l in range(L, 0, -1):
        W, _ = params[l - 1]
        grad_W = grad_Z @ activations[l - 1].T  # (B3) (n_l, m) @ (m, n_{l-1})
        grad_b = grad_Z.sum(axis=1, keepdims=True)  # (B4) (n_l, 1)
        grads[l - 1] = (grad_W, grad_b)
        if l > 1:                               # (B2) for l = L, ..., 2
            grad_Z = (W.T @ grad_Z) * f_prime(zs[l - 2])
    return grads


def loss_and_grads(params, X, Y, loss="squared_error", hidden="sigmoid"):
    """Cost and gradients of the network on a batch: ``(cost, grads)``.

    Parameters
    ----------
    params : list of (W, b)
        ``W^l`` of shape ``(n_l, n_{l-1})`` and ``b^l`` of shape ``(n_l, 1)``.
    X : array-like, shape ``(n_0, m)``
        One example per column.
    Y : array-like, shape ``(n_L, m)``
        Targets, one column per example.
    loss : ``"squared_error"`` or ``"cross_entropy"``
        Squared error ``1/2 ||y - a||^2`` with a sigmoid output layer, or
        cross-entropy ``-sum t ln a`` with a softmax output layer.
    hidden : ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``
        The activation of every hidden layer.

    Returns
    -------
    cost : float
        The mean loss over the batch.
    grads : list of (grad_W, grad_b)
        The gradients ``nabla_{W^l} C`` and ``nabla_{b^l} C``, with exactly
        the shapes of ``params``.

    The floating dtype of the inputs is kept (float32 in, float32 out);
    lists and integer arrays are converted. Malformed input raises
    ``TypeError`` or ``ValueError`` naming the argument and its shape.
    """
    zs, activations = forward(params, X, loss, hidden)
    grads = backward(params, zs, activations, Y, loss, hidden)
    return mean_loss(zs, activations, Y, loss), grads


def cost(params, X, Y, loss="squared_error", hidden="sigmoid"):
    """The cost: the mean over the ``m`` columns of the per-example loss. A Python float.

    The number ``loss_and_grads`` returns first, from the forward pass alone.
    """
    zs, activations = forward(params, X, loss, hidden)
    return mean_loss(zs, activations, Y, loss)


def mean_loss(zs, activations, Y, loss="squared_error"):
    """The cost of a forward pass ``(zs, activations)`` against the targets ``Y`` ``(n_L, m)``.

    Squared error from ``A^L``; cross-entropy from the logits ``Z^L``, with
    ``log_softmax``, so that it is finite even where a softmax probability
    underflows to 0. A Python float.
    """
    m = Y.shape[1]
    if loss == "squared_error":
        r = activations[-1] - Y
        return float(0.5 * np.sum(r * r) / m)
    return float(-np.sum(Y * log_softmax(zs[-1], axis=0)) / m)


# --------------------------------------------------------------------------
# The public boundary
# --------------------------------------------------------------------------
# ``loss_and_grads`` and ``cost`` as exported check their input once, then
# run the functions above, which the chapters print (``inspect.getsource``
# follows ``__wrapped__`` to them). ``f.__wrapped__`` is the unchecked math,
# for a caller that has checked its data once (``training.train``).

def _checked(math):
    """``math(params, X, Y, loss, hidden)`` behind one check of its input."""

    @functools.wraps(math)
    def entry(params, X, Y, loss="squared_error", hidden="sigmoid"):
        check_choice(loss, "loss", LOSSES)
        check_choice(hidden, "hidden activation", HIDDEN)
        params, X, Y = check_batch(params, X, Y)
        return math(params, X, Y, loss, hidden)

    return entry


loss_and_grads = _checked(loss_and_grads)
cost = _checked(cost)


__all__ = ["HIDDEN", "LOSSES", "architecture", "backward", "cost", "forward", "init_params",
           "loss_and_grads", "mean_loss"]
