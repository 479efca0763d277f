"""Gradient checking by central finite differences, in float64.

This is the second of the book's three checks of every formula (SymPy, finite
differences, PyTorch autograd). A central difference
``(f(x + eps) - f(x - eps)) / (2 eps)`` has error ``O(eps^2)``; with
``eps = 1e-6`` in float64 the agreement with an exact gradient is typically
better than ``1e-8`` relative. In float32 it is useless (rounding error of
order ``1e-7 / eps`` swamps it), which is why everything here runs in float64.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_same_shape, check_scalar


def numerical_gradient(f, x, eps=1e-6):
    """Gradient of a scalar function ``f`` at ``x`` by central differences. Shape of ``x``.

    ``x`` is an array of any shape; it is copied to float64 and each entry is
    nudged by ``+-eps`` in turn. ``f`` must return a scalar.
    """
    eps = check_scalar(eps, "eps", positive=True)
    x = np.array(as_array(x, "x"), dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = float(f(x))
        x[idx] = old - eps
        f_minus = float(f(x))
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """``max|a - b| / max(max|a|, max|b|)``: 0 for equal arrays, about 1 for unrelated ones.

    Scaling by the largest entry (rather than entry by entry) keeps tiny
    entries, where a relative error means nothing, from dominating.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    check_same_shape(a, b, "a", "b")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)


def _float64_copy(params):
    from ._checks import check_params

    return [(W.copy(), b.copy()) for W, b in check_params(params, dtype=np.float64)]


def numerical_grads(params, X, Y, loss="squared_error", eps=1e-6, hidden="sigmoid"):
    """Finite-difference gradients of ``network.cost`` for every ``W^l`` and ``b^l``.

    Returns a list of ``(grad_W, grad_b)`` with the shapes of ``params``,
    computed in float64. This is slow (two forward passes per parameter) and
    meant for small networks.
    """
    from .network import cost

    params = _float64_copy(params)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    grads = []
    for l in range(len(params)):
        per_layer = []
        for k in range(2):  # 0: W^l, 1: b^l
            def f(value, l=l, k=k):
                trial = list(params)
                pair = list(trial[l])
                pair[k] = value
                trial[l] = tuple(pair)
                return cost(trial, X, Y, loss, hidden)
            per_layer.append(numerical_gradient(f, params[l][k], eps))
        grads.append(tuple(per_layer))
    return grads


def check_grads(params, X, Y, loss="squared_error", eps=1e-6, hidden="sigmoid"):
    """Largest relative error between ``loss_and_grads`` and finite differences, over all layers.

    A value below about ``1e-7`` means the backpropagated gradients are right.
    """
    from .network import loss_and_grads

    params = _float64_copy(params)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    _, analytic = loss_and_grads(params, X, Y, loss, hidden)
    numeric = numerical_grads(params, X, Y, loss, eps, hidden)
    return max(
        relative_error(ga, gn)
        for pair_a, pair_n in zip(analytic, numeric)
        for ga, gn in zip(pair_a, pair_n)
    )


def kink_margin(params, X, hidden="relu"):
    """The smallest ``|z|`` over the hidden pre-activations on ``X``: a float.

    The hidden pre-activations are ``Z^1, ..., Z^{L-1}``. A central
    difference with step ``eps`` is exact to ``O(eps^2)`` only where the
    function is smooth on ``[z - eps, z + eps]``. ReLU has a kink at
    ``z = 0``: if a hidden pre-activation lies within ``eps`` of it, a
    nudge of ``+-eps`` can move it across, and the difference measures a
    mean of the two one-sided slopes instead of the derivative (chapter
    "What the gradient costs, and what comes after it", section "ReLU and
    its kink"). A gradient check of a ReLU network is meaningful when
    ``kink_margin(params, X) > eps``, with room to spare: a nudge moves
    ``z`` by ``eps`` times an input, which may exceed 1.

    ``params`` is a list of ``(W^l, b^l)``, ``X`` has shape ``(n_0, m)``;
    ``hidden`` is the hidden activation (it shapes ``Z^2, ...`` through
    ``A^1, ...``). The output layer's ``Z^L`` is left out: its activation,
    a sigmoid or a softmax, is smooth. A network without a hidden layer
    (``L = 1``) has no kink, and its margin is ``inf``.
    """
    from ._checks import check_batch, check_choice
    from .network import HIDDEN, forward

    check_choice(hidden, "hidden activation", HIDDEN)
    params, X, _ = check_batch(params, X)
    zs, _ = forward(params, X, hidden=hidden)
    return float(min((np.min(np.abs(Z)) for Z in zs[:-1]), default=np.inf))
