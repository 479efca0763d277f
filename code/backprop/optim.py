"""Plain gradient descent, the update every chapter uses: ``w <- w - eta * grad C(w)``.

``gradient_descent`` runs it on any array; ``sgd_step`` is one step of it on a
network's parameters, a list of ``(W, b)`` pairs (``backprop.network``).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_int, check_scalar


def gradient_descent(grad, w0, eta, steps, cost=None):
    """Run ``steps`` updates ``w <- w - eta * grad(w)`` from ``w0``.

    Parameters
    ----------
    grad : callable
        ``grad(w)`` returns the gradient of the cost at ``w``, with the shape of ``w``.
    w0 : array-like
        Starting point, any shape (a scalar, a vector, a matrix).
    eta : float
        Learning rate, > 0.
    steps : int
        Number of updates, >= 0.
    cost : callable, optional
        ``cost(w)``; if given, its value at every iterate is returned too.

    Returns
    -------
    path : ndarray, shape ``(steps + 1, *w0.shape)``
        ``path[k]`` is the iterate after ``k`` updates (``path[0] = w0``).
    costs : ndarray, shape ``(steps + 1,)``
        Only when ``cost`` is given.

    Divergent runs are not stopped: once an iterate overflows, the remaining
    entries are ``inf`` or ``nan``, which is what a plot of divergence should show.
    """
    eta = check_scalar(eta, "eta", positive=True)
    steps = check_int(steps, "steps", minimum=0)
    w = np.array(as_array(w0, "w0", allow_empty=False), dtype=np.float64)
    path = np.empty((steps + 1,) + w.shape)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            w = w - eta * np.asarray(grad(w), dtype=np.float64)
            path[k] = w
        if cost is None:
            return path
        costs = np.array([float(cost(p)) for p in path])
    return path, costs


def sgd_step(params, grads, eta):
    """One gradient-descent step ``W <- W - eta * grad_W``, ``b <- b - eta * grad_b``, every layer.

    ``params`` and ``grads`` are lists of ``(W^l, b^l)`` and of the gradients
    ``(nabla_{W^l} C, nabla_{b^l} C)``, with the same shapes. Returns new
    parameters; the inputs are not modified.
    """
    eta = check_scalar(eta, "eta", positive=True)
    if len(grads) != len(params):
        raise ValueError(f"grads has {len(grads)} layers but params has {len(params)}")
    return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)]
