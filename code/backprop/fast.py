"""Backpropagation at BLAS speed: the same math as ``network.loss_and_grads``, arranged for speed.

Appendix "Performance". ``network.py`` is the version the book teaches; this
module computes exactly the same cost and gradients (the tests compare them
to ``1e-12`` in float64) with the work arranged so that almost all the time
is spent inside the matrix products, which NumPy hands to BLAS:

- the caller's floating dtype is kept all the way (float32 stays float32, so
  BLAS runs its single-precision kernels, twice as fast as double);
- every element-wise step runs in place on the array the matrix product just
  wrote (``out=`` arguments and in-place operators): no temporary of shape
  ``(n_l, m)`` is allocated besides ``z^l`` and ``W^T grad_Z``;
- the forward pass keeps only ``a^l``: every hidden activation's derivative
  is a function of its output (the sigmoid's is ``a (1 - a)``, tanh's
  ``1 - a^2``, ReLU's ``[a > 0]``), so ``z^l`` is never stored (the softmax
  layer keeps its shifted logits for the cost, by log-sum-exp as in ``network``);
- ``a^{l-1}`` is overwritten by that derivative once ``grad_W^l`` has used
  it, so the Hadamard product ``(W^T grad_Z) * f'(z^{l-1})`` needs no new array;
- the product ``W^T grad_Z`` is formed only for layers ``l >= 2``: nobody
  needs the gradient with respect to the input ``X``;
- inputs are validated as ``network.loss_and_grads`` validates them (types,
  dimensions, shapes and dtypes in ``O(L)`` work, and one pass over every
  input for NaN and infinity). A training loop that has checked its data
  once may pass ``check=False``: then arrays of one float dtype with
  chaining shapes are used as they are, and NaN in them gives a NaN cost,
  silently. ``check`` means the same in every function of the package that
  has it: ``True`` validates.

Shapes as in ``network``: ``W^l`` ``(n_l, n_{l-1})``, ``b^l`` ``(n_l, 1)``,
``X`` ``(n_0, m)``, ``Y`` ``(n_L, m)``; gradients have the shapes of the
parameters. ``params[l - 1]`` holds layer ``l`` (the text counts from 1).
``grad_Z`` holds ``nabla_{Z^l} C = Delta^l / m``, the gradient of the cost
with respect to ``Z^l`` (``Delta^l``: the unscaled errors, one column per
example). The layers are ``network.architecture(L, loss, hidden)``.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_batch, check_choice, check_scalar, is_array_batch
from .network import HIDDEN, LOSSES, architecture


def sigmoid_(z, b):
    """``z <- sigmoid(z + b)`` in place, in four passes; returns ``z``. ``z``: ``(n, m)``; ``b``: ``(n, 1)``.

    ``1 / (1 + exp(-(z + b)))``: for ``z + b`` below about ``-88`` (float32)
    or ``-709`` (float64) the exponential overflows to ``inf`` and the result
    is the correct limit 0. Call it inside ``np.errstate(over="ignore")`` to
    silence that warning, as ``loss_and_grads_fast`` does.
    """
    np.subtract(-b, z, out=z)      # -(z + b), the bias added on the way
    np.exp(z, out=z)
    z += 1.0
    np.reciprocal(z, out=z)
    return z


def _activate_(z, b, f):
    """``z <- f(z + b)`` in place for the element-wise activation named ``f``; returns ``z``."""
    if f == "sigmoid":
        return sigmoid_(z, b)
    z += b
    if f == "tanh":
        np.tanh(z, out=z)
    elif f == "relu":
        np.maximum(z, 0.0, out=z)
    return z                                            # "identity"


def _derivative_(a, f):
    """``a <- f'(z)`` in place, from the output ``a = f(z)`` of tanh, ReLU or the identity; returns ``a``.

    (The sigmoid's ``a (1 - a)`` is done in the backward loop, in two passes.)
    """
    if f == "tanh":
        a *= a
        np.subtract(1.0, a, out=a)                     # 1 - a^2
    elif f == "relu":
        np.greater(a, 0.0, out=a, casting="unsafe")    # [a > 0]: 1 where z > 0, else 0
    else:
        a.fill(1.0)
    return a


def loss_and_grads_fast(params, X, Y, loss="squared_error", hidden="sigmoid",
                        *, check=True, out=None):
    """Cost and gradients of the network on a batch, as in
    ``network.loss_and_grads``.

    Parameters
    ----------
    params : list of (W, b)
        ``W^l`` of shape ``(n_l, n_{l-1})`` and ``b^l`` of shape ``(n_l, 1)``.
    X : ndarray, shape ``(n_0, m)``
        One example per column.
    Y : ndarray, shape ``(n_L, m)``
        Targets, one column per example.
    loss : ``"squared_error"`` or ``"cross_entropy"``
        As in ``network.loss_and_grads``: sigmoid output with
        ``1/2 ||y - a||^2``, or softmax output with ``-sum t ln a``.
    hidden : ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``
        The activation of every hidden layer, as in ``network.loss_and_grads``.
    check : bool
        Validate the inputs as ``network.loss_and_grads`` does, NaN and
        infinity included. ``check=False`` skips the pass over every input,
        for a hot loop whose data were checked once (the benchmarks use it,
        as PyTorch makes no such check either).
    out : list of (grad_W, grad_b), optional
        Arrays to write the gradients into (shapes and dtype of ``params``),
        e.g. the ``grads`` of the previous step; saves allocating them.

    Returns
    -------
    cost : float
        The mean loss over the batch.
    grads : list of (grad_W, grad_b)
        ``nabla_{W^l} C`` and ``nabla_{b^l} C``, with the shapes and dtype of
        ``params`` (``out`` itself when given).

    Inputs that are not arrays of one floating dtype (lists, integers, mixed
    float32 and float64) are converted as ``network.loss_and_grads`` does,
    and malformed ones raise the same ``TypeError`` or ``ValueError``.
    """
    check_choice(loss, "loss", LOSSES)
    check_choice(hidden, "hidden activation", HIDDEN)
    if check or not is_array_batch(params, X, Y):
        params, X, Y = check_batch(params, X, Y)
    L = len(params)
    m = X.shape[1]
    layers = architecture(L, loss, hidden)
    if out is not None:
        _check_out(out, params)

    with np.errstate(over="ignore"):
        # Forward: activations[l] is a^l, (n_l, m); activations[0] is X
        # (never written).
        activations = [X]
        a = X
        for l in range(1, L + 1):
            W, b = params[l - 1]
            z = np.matmul(W, a)            # (n_l, n_{l-1}) @ (n_{l-1}, m)
            if layers[l - 1] == "softmax":
                z += b                               # z^L, (n_L, m)
                a = z
            else:
                a = _activate_(z, b, layers[l - 1])  # a^l, in the array of z^l
            activations.append(a)

        # Output layer: the cost and grad_Z = nabla_{Z^L} C = Delta^L / m,
        # (n_L, m), in place of a^L.
        if loss == "squared_error":
            a_L = activations[L]
            grad_Z = np.subtract(a_L, Y)             # a - y, (n_L, m)
            cost = 0.5 * float(np.vdot(grad_Z, grad_Z)) / m
            grad_Z *= a_L                            # (a - y) a (1 - a) / m
            np.subtract(1.0, a_L, out=a_L)
            grad_Z *= a_L
            grad_Z *= 1.0 / m
        else:
            z = activations[L]
            z -= z.max(axis=0, keepdims=True)        # shifted logits, <= 0
            s = Y.sum(axis=0, keepdims=True)         # (1, m), target sums
            y_dot_z = float(np.vdot(Y, z))
            np.exp(z, out=z)
            total = z.sum(axis=0, keepdims=True)     # (1, m)
            # cost = -sum_k sum_i Y_ik (z_ik - log total_k) / m
            cost = (float(np.vdot(s, np.log(total))) - y_dot_z) / m
            total *= m
            np.divide(s, total, out=total)           # s / (total m), (1, m)
            grad_Z = z
            grad_Z *= total                          # a s / m
            grad_Z -= Y * (1.0 / m)                  # (a s - y) / m

        # Backward: grads[l - 1] = (nabla_{W^l} C, nabla_{b^l} C).
        grads = out if out is not None else [None] * L
        for l in range(L, 0, -1):
            W = params[l - 1][0]
            a_prev = activations[l - 1]
            if out is None:
                grad_W = np.matmul(grad_Z, a_prev.T)         # (n_l, n_{l-1})
                grad_b = np.add.reduce(grad_Z, axis=1,
                                       keepdims=True)        # (n_l, 1)
                grads[l - 1] = (grad_W, grad_b)
            else:
                grad_W, grad_b = out[l - 1]
                np.matmul(grad_Z, a_prev.T, out=grad_W)
                np.add.reduce(grad_Z, axis=1, keepdims=True, out=grad_b)
            if l > 1:                          # (B2) for l = L, ..., 2
                back = np.matmul(W.T, grad_Z)  # (n_{l-1}, n_l) @ (n_l, m)
                if hidden == "sigmoid":  # a (1 - a), in two passes in place
                    back *= a_prev                     # ... * a^{l-1}
                    # a^{l-1} is not needed any more: 1 - a^{l-1} in its place
                    np.subtract(1.0, a_prev, out=a_prev)
                else:
                    # a^{l-1} is not needed any more: f'(z^{l-1}) in its place
                    _derivative_(a_prev, hidden)
                back *= a_prev   # ... * f'(z^{l-1}): nabla_{Z^{l-1}} C
                grad_Z = back
    return cost, grads


def _check_out(out, params):
    if not isinstance(out, (list, tuple)) or len(out) != len(params):
        raise ValueError(f"out must be a list of {len(params)} (grad_W, grad_b) pairs, "
                         "one per layer, like params")
    for l, ((W, b), pair) in enumerate(zip(params, out, strict=True), start=1):
        for name, p, g in (("grad_W", W, pair[0]), ("grad_b", b, pair[1])):
            if not isinstance(g, np.ndarray) or g.shape != p.shape or g.dtype != p.dtype:
                raise ValueError(
                    f"out[{l - 1}] {name} must be an array of shape {p.shape} and dtype "
                    f"{p.dtype}, like layer {l}'s parameter; got "
                    + (f"shape {g.shape}, dtype {g.dtype}" if isinstance(g, np.ndarray)
                       else type(g).__name__))


def sgd_step_(params, grads, eta):
    """One gradient-descent step done in place: ``W -= eta * grad_W``, ``b -= eta * grad_b``.

    ``params`` must hold writable arrays (they are modified and returned);
    ``grads`` has the shapes of ``params`` and is not modified. Compare
    ``optim.sgd_step``, which returns new arrays.
    """
    eta = check_scalar(eta, "eta", positive=True)
    if len(grads) != len(params):
        raise ValueError(f"grads has {len(grads)} layers but params has {len(params)}")
    for (W, b), (grad_W, grad_b) in zip(params, grads, strict=True):
        if W.shape != grad_W.shape or b.shape != grad_b.shape:
            raise ValueError(f"grads do not have the shapes of params: {grad_W.shape} for W "
                             f"of shape {W.shape}, {grad_b.shape} for b of shape {b.shape}")
        W -= eta * grad_W
        b -= eta * grad_b
    return params


__all__ = ["loss_and_grads_fast", "sgd_step_", "sigmoid_"]
