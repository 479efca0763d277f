"""A fully connected network, its forward pass, and backpropagation in matrix form.

This is the code of the chapter "The two-layer network", written for any
depth. Layers are numbered as in the book, ``l = 1, ..., L``; Python lists
are 0-based, so ``params[l - 1]`` holds ``(W^l, b^l)``, ``zs[l - 1]`` holds
``z^l`` and ``activations[l]`` holds ``a^l`` (``activations[0]`` is the
input ``a^0 = X``).

Shapes (batch of ``m`` examples as columns)::

    X, a^0       (n_0, m)
    W^l          (n_l, n_{l-1})
    b^l          (n_l, 1)          added to every column (broadcast along m)
    z^l, a^l     (n_l, m)
    Y            (n_L, m)
    Delta^l      (n_l, m)          the errors, unscaled: column i is the error
                                   delta^{l,(i)} = grad_{z^l} loss of example i
    grad_Z^l     (n_l, m)          grad_{Z^l} C = Delta^l / m, the gradient of the
                                   cost C with respect to z^l (code: ``grad_Z``)
    grad_W^l     (n_l, n_{l-1})    grad_{W^l} C, the shape of W^l
    grad_b^l     (n_l, 1)          grad_{b^l} C, the shape of b^l

Every hidden layer is a sigmoid. The output layer is a sigmoid for
``loss="squared_error"`` (loss ``1/2 ||y - a||^2``) and a softmax for
``loss="cross_entropy"`` (loss ``-sum t ln a``). The cost is the mean loss
over the ``m`` columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import as_array, check_chain, check_choice, check_labels, check_scalar, check_shape, float_dtype
from .activations import log_softmax, sigmoid, sigmoid_prime, softmax

LOSSES = ("squared_error", "cross_entropy")


# --------------------------------------------------------------------------
# Checking the inputs
# --------------------------------------------------------------------------

def check_params(params, dtype=None):
    """Validate a list of ``(W, b)`` pairs and return it as arrays of one dtype.

    ``W^l`` must be 2-D with shape ``(n_l, n_{l-1})``, consecutive layers must
    chain (``W^{l}.shape[1] == W^{l-1}.shape[0]``), and ``b^l`` must be a
    column of shape ``(n_l, 1)``. A 1-D bias is rejected rather than
    broadcast: ``W @ a + b`` with ``b`` of shape ``(n,)`` would add ``b``
    along the batch axis, silently wrong whenever ``n == m``.
    """
    if isinstance(params, np.ndarray) or not isinstance(params, Sequence):
        raise TypeError(
            "params must be a list of (W, b) pairs, one per layer; "
            f"got {type(params).__name__}"
        )
    if len(params) == 0:
        raise ValueError("params is empty: expected a list of (W, b) pairs, one per layer")
    raw = []
    for l, pair in enumerate(params, start=1):
        if isinstance(pair, np.ndarray) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(
                f"params[{l - 1}] must be a (W, b) pair for layer {l}; got {type(pair).__name__}"
                + (f" of length {len(pair)}" if isinstance(pair, Sequence) else "")
            )
        W = as_array(pair[0], f"W^{l} (params[{l - 1}][0])", ndim=2,
                     shape_hint=f"(n_{l}, n_{l - 1})")
        b = as_array(pair[1], f"b^{l} (params[{l - 1}][1])", shape_hint=f"(n_{l}, 1)")
        check_shape(b, f"b^{l} (params[{l - 1}][1])", (W.shape[0], 1),
                    "Biases are columns in this book; use b.reshape(-1, 1).")
        if raw:                             # the product W^l a^{l-1} needs a^{l-1} from W^{l-1}
            n_prev = raw[-1][0].shape[0]
            check_chain([W.shape, raw[-1][0].shape], [f"W^{l}", f"W^{l - 1}"], "layers",
                        f"Layer {l - 1} has n_{l - 1} = {n_prev} outputs, so W^{l} must have "
                        f"shape (n_{l}, {n_prev})")
        raw.append((W, b))
    if dtype is None:
        dtype = float_dtype(*[x for pair in raw for x in pair])
    return [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in raw]


def check_batch(params, X, Y=None, loss=None):
    """Validate ``params``, ``X`` and ``Y`` together. Returns them as arrays of one dtype.

    ``X`` must have shape ``(n_0, m)`` with ``n_0 = W^1.shape[1]`` and
    ``m >= 1``; ``Y`` must have shape ``(n_L, m)``.
    """
    if loss is not None:
        check_choice(loss, "loss", LOSSES)
    X_arr = as_array(X, "X", ndim=2, shape_hint="(n_0, m)")
    Y_arr = None if Y is None else as_array(Y, "Y", ndim=2, shape_hint="(n_L, m)")
    params = check_params(params)
    dtype = float_dtype(params[0][0], X_arr, *(() if Y_arr is None else (Y_arr,)))
    params = [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in params]
    n_0 = params[0][0].shape[1]
    if X_arr.shape[0] != n_0:
        raise ValueError(
            f"X must have shape (n_0, m) = ({n_0}, m) to match W^1 of shape "
            f"{params[0][0].shape}; got shape {X_arr.shape}. Examples are columns: "
            "if your examples are rows, pass X.T"
        )
    X_arr = X_arr.astype(dtype, copy=False)
    if Y_arr is not None:
        n_L, m = params[-1][0].shape[0], X_arr.shape[1]
        if Y_arr.shape != (n_L, m):
            raise ValueError(
                f"Y must have shape (n_L, m) = ({n_L}, {m}), matching the output layer "
                f"and the batch of X; got shape {Y_arr.shape}"
            )
        Y_arr = Y_arr.astype(dtype, copy=False)
    return params, X_arr, Y_arr


# --------------------------------------------------------------------------
# Creating parameters
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Forward pass, backward pass, and the contract function
# --------------------------------------------------------------------------

def forward(params, X, output="sigmoid", *, checked=False):
    """Run the network on the columns of ``X``: ``(zs, activations)``.

    ``zs[l - 1]`` is ``z^l = W^l a^{l-1} + b^l``, shape ``(n_l, m)``;
    ``activations[l]`` is ``a^l``, shape ``(n_l, m)``, and
    ``activations[0] = X``. Hidden layers are sigmoid; ``output`` is
    ``"sigmoid"`` or ``"softmax"``. ``checked=True`` says that
    ``check_batch`` has already validated the inputs.
    """
    check_choice(output, "output activation", ("sigmoid", "softmax"))
    if not checked:
        params, X, _ = check_batch(params, X)
    L = len(params)
    zs, activations = [], [X]
    a = X
    for l, (W, b) in enumerate(params, start=1):
        z = W @ a + b          # (n_l, n_{l-1}) @ (n_{l-1}, m) + (n_l, 1)
        last = l == L and output == "softmax"
        a = softmax(z, axis=0) if last else sigmoid(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def backward(params, zs, activations, Y, loss="squared_error"):
    """Backpropagate through a forward pass: ``grads``, ``(grad_W, grad_b)``
    for every layer.

    The rules of the chapters "The two-layer network" and "Softmax and
    cross-entropy", for a batch, with ``Delta^l`` the unscaled errors (one
    column per example) and ``grad_Z`` holding ``grad_{Z^l} C = Delta^l / m``::

        Delta^L  = (a^L - Y) * sigma'(z^L)    (B1: squared error, sigmoid)
        Delta^L  = a^L * sum(Y) - Y           (S1: cross-entropy, softmax)
        grad_Z^L = Delta^L / m
        for l = L, ..., 1:
            grad_W^l = grad_Z^l @ a^{l-1}.T                    (B3)
            grad_b^l = grad_Z^l summed over the batch          (B4)
            if l >= 2:
                grad_Z^{l-1} = (W^l.T @ grad_Z^l) * sigma'(z^{l-1})   (B2)

    The ``1/m`` of the mean cost is applied once, to ``Delta^L``; every later
    quantity is linear in it. No error is computed for the input layer.
    For cross-entropy, ``sum(Y)`` is the column sum of the targets: when
    every column sums to 1 the first factor is 1 and ``Delta^L`` is the
    shortcut ``a^L - Y``; when it does not, the general form is still exact.
    """
    check_choice(loss, "loss", LOSSES)
    L = len(params)
    m = Y.shape[1]
    a_L = activations[L]
    if loss == "squared_error":
        Delta = (a_L - Y) * sigmoid_prime(zs[L - 1])
    else:
        Delta = a_L * Y.sum(axis=0, keepdims=True) - Y
    grad_Z = Delta / m                                  # (n_L, m)
    grads = [None] * L
    for l in range(L, 0, -1):
        W, _ = params[l - 1]
        grad_W = grad_Z @ activations[l - 1].T  # (n_l, m) @ (m, n_{l-1})
        grad_b = grad_Z.sum(axis=1, keepdims=True)          # (n_l, 1)
        grads[l - 1] = (grad_W, grad_b)
        if l > 1:                               # (B2) for l = L, ..., 2
            grad_Z = (W.T @ grad_Z) * sigmoid_prime(zs[l - 2])
    return grads


def cost(params, X, Y, loss="squared_error", *, checked=False):
    """The cost: the mean over the ``m`` columns of the per-example loss. A Python float.

    ``checked=True`` says that ``check_batch`` has already validated the inputs.
    """
    if not checked:
        params, X, Y = check_batch(params, X, Y, loss)
    output = _output_for(loss)
    zs, activations = forward(params, X, output=output, checked=True)
    return _cost_from(zs, activations, Y, loss)


def loss_and_grads(params, X, Y, loss="squared_error", *, checked=False):
    """Cost and gradients of a sigmoid network on a batch: ``(cost, grads)``.

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
    checked : bool
        ``True`` says that ``check_batch`` has already validated the inputs
        (``training.train`` checks its data once, not at every mini-batch).

    Returns
    -------
    cost : float
        The mean loss over the batch.
    grads : list of (grad_W, grad_b)
        ``grad_{W^l} C`` and ``grad_{b^l} C``, with exactly the shapes of
        ``params``.

    The floating dtype of the inputs is kept (float32 in, float32 out);
    lists and integer arrays are converted. Malformed input raises
    ``TypeError`` or ``ValueError`` naming the argument and its shape.
    """
    if not checked:
        params, X, Y = check_batch(params, X, Y, loss)
    output = _output_for(loss)
    zs, activations = forward(params, X, output=output, checked=True)
    grads = backward(params, zs, activations, Y, loss)
    return _cost_from(zs, activations, Y, loss), grads


@dataclass(frozen=True)
class Example:
    """One example through a two-layer sigmoid network, with what backpropagation computes.

    For layer sizes ``(n_0, n_1, n_2)`` (``(3, 4, 2)`` in ``small_example``)::

        params          [(W1, b1), (W2, b2)]
        W1, b1          (n_1, n_0), (n_1, 1)
        W2, b2          (n_2, n_1), (n_2, 1)
        x, y            (n_0, 1), (n_2, 1)     the input a^0 and the target
        z1, a1          (n_1, 1)               z^1 = W1 x + b1, a^1 = sigma(z^1)
        z2, a2          (n_2, 1)               z^2 = W2 a^1 + b2, a^2 = sigma(z^2)
        delta2          (n_2, 1)               (a^2 - y) * sigma'(z^2), the output rule (B1)
        delta1          (n_1, 1)               (W2.T @ delta2) * sigma'(z^1), the backward rule (B2)
        grads           [(grad_W1, grad_b1), (grad_W2, grad_b2)], shaped like ``params``,
                        from ``loss_and_grads`` (the loss 1/2 ||a^2 - y||^2 of the one example)
    """

    params: list
    x: np.ndarray
    y: np.ndarray
    z1: np.ndarray
    a1: np.ndarray
    z2: np.ndarray
    a2: np.ndarray
    delta1: np.ndarray
    delta2: np.ndarray
    grads: list


def small_example(sizes=(3, 4, 2), seed=3) -> Example:
    """A two-layer sigmoid network, one example and its target, run forward and backward.

    The sizes differ from each other so that a misplaced transpose is a shape error;
    the biases are nonzero so that leaving one out changes ``z``. The target is
    ``(0.9, 0.1)`` for two outputs (evenly spaced from 0.9 to 0.1 for more). The
    errors ``delta`` are computed by the backward rules, the gradients by
    ``loss_and_grads``; deterministic for a given ``seed``. See ``Example`` for the shapes.
    """
    n_0, n_1, n_2 = (int(n) for n in sizes)
    rng = np.random.default_rng(seed)
    params = [(W, b + 0.3 * rng.standard_normal(b.shape))
              for W, b in init_params([n_0, n_1, n_2], seed=seed)]
    (W1, b1), (W2, b2) = params
    x = rng.standard_normal((n_0, 1))
    y = np.linspace(0.9, 0.1, n_2)[:, None]
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - y) * sigmoid_prime(z2)
    delta1 = (W2.T @ delta2) * sigmoid_prime(z1)
    _, grads = loss_and_grads(params, x, y)
    return Example(params, x, y, z1, a1, z2, a2, delta1, delta2, grads)


def sgd_step(params, grads, eta):
    """One gradient-descent step ``W <- W - eta * grad_W``, ``b <- b - eta * grad_b``.

    Returns new parameters; the inputs are not modified.
    """
    eta = check_scalar(eta, "eta", positive=True)
    if len(grads) != len(params):
        raise ValueError(f"grads has {len(grads)} layers but params has {len(params)}")
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)]


def predict(params, X, loss="squared_error"):
    """The network's output ``a^L`` for the columns of ``X``, shape ``(n_L, m)``."""
    check_choice(loss, "loss", LOSSES)
    _, activations = forward(params, X, output=_output_for(loss))
    return activations[-1]


def _output_for(loss):
    check_choice(loss, "loss", LOSSES)
    return "sigmoid" if loss == "squared_error" else "softmax"


def _cost_from(zs, activations, Y, loss):
    m = Y.shape[1]
    if loss == "squared_error":
        r = activations[-1] - Y
        return float(0.5 * np.sum(r * r) / m)
    # From the logits: finite even where a softmax probability underflows to 0.
    return float(-np.sum(Y * log_softmax(zs[-1], axis=0)) / m)


def as_params(params, dtype=np.float64):
    """Copy a list of ``(W, b)`` pairs into arrays of ``dtype`` (checked like ``loss_and_grads``)."""
    return [(np.array(W, dtype=dtype), np.array(b, dtype=dtype))
            for W, b in check_params(params)]


def as_onehot(labels, n_classes):
    """One-hot targets of shape ``(n_classes, m)`` for integer labels of shape ``(m,)``.

    Column ``i`` is ``1`` in row ``labels[i]`` and ``0`` elsewhere (float64).
    """
    labels = check_labels(labels, "labels", n_classes=n_classes)
    Y = np.zeros((n_classes, labels.shape[0]))
    Y[labels, np.arange(labels.shape[0])] = 1.0
    return Y


__all__ = [
    "LOSSES", "as_onehot", "as_params", "backward", "check_batch",
    "check_params", "cost", "forward", "init_params", "loss_and_grads", "predict", "sgd_step",
]
