"""Losses for one example, and their gradients.

A *loss* is for one example (one column); the *cost* is the mean of the
loss over the columns of a batch (chapter "Mini-batches and real data").
So every loss here takes arrays of shape ``(n_L, m)`` (or ``(n_L,)`` for a
single example) and returns one value per column, shape ``(m,)``.
Gradients have the shape of the variable, ``(n_L, m)``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_same_shape, check_scalar, float_dtype
from .activations import log_softmax, softmax


def _pair(a, y, a_name, y_name):
    a_arr = as_array(a, a_name, shape_hint="(n_L, m)")
    y_arr = as_array(y, y_name, shape_hint="(n_L, m)")
    check_same_shape(a_arr, y_arr, a_name, y_name)
    dtype = float_dtype(a_arr, y_arr)
    return a_arr.astype(dtype, copy=False), y_arr.astype(dtype, copy=False)


def _log_base(base) -> float:
    base = check_scalar(base, "base", positive=True)
    if base == 1:
        raise ValueError("base must be positive and different from 1; got 1")
    return float(np.log(base))


def squared_error(a, y):
    """Squared-error loss ``1/2 ||y - a||^2`` of each column. Returns shape ``(m,)``.

    ``a`` and ``y`` have the same shape ``(n_L, m)``; a 1-D pair is one example
    and gives a 0-D result.
    """
    a, y = _pair(a, y, "a", "y")
    r = a - y
    return 0.5 * np.sum(r * r, axis=0)


def squared_error_grad(a, y):
    """Gradient of the squared-error loss with respect to ``a``: ``a - y``. Shape of ``a``.

    Note the sign: the loss grows when ``a`` moves away from ``y``, so the
    gradient points from ``y`` towards ``a`` (see the errata appendix).
    """
    a, y = _pair(a, y, "a", "y")
    return a - y


def cross_entropy(a, t, base=np.e):
    """Cross-entropy ``-sum_i t_i log_b(a_i)`` of each column. Returns shape ``(m,)``.

    ``a`` holds probabilities (e.g. a softmax output), ``t`` the targets, both
    of shape ``(n_L, m)``. Terms with ``t_i = 0`` contribute 0 even when
    ``a_i = 0`` (the limit of ``t log t``). A probability of exactly 0 where
    ``t_i > 0`` gives ``inf``, truthfully: use ``cross_entropy_with_logits``,
    which never forms the probability, to stay finite.
    """
    a, t = _pair(a, t, "a", "t")
    ln_b = _log_base(base)
    if (a < 0).any():
        raise ValueError(f"a must hold probabilities (>= 0); got a minimum of {a.min()}")
    log_a = np.zeros_like(a)
    with np.errstate(divide="ignore"):  # log(0) = -inf where t > 0: an infinite loss, truthfully
        np.log(a, out=log_a, where=t != 0)
    return -np.sum(t * log_a, axis=0) / ln_b


def cross_entropy_grad(a, t, base=np.e):
    """Gradient of the cross-entropy with respect to ``a``: ``-t / (a ln b)``. Shape of ``a``.

    Entries with ``t_i = 0`` are 0.
    """
    a, t = _pair(a, t, "a", "t")
    ln_b = _log_base(base)
    grad = np.zeros_like(a)
    with np.errstate(divide="ignore"):
        np.divide(-t, a * ln_b, out=grad, where=t != 0)
    return grad


def cross_entropy_with_logits(z, t, base=np.e):
    """Cross-entropy of ``softmax(z)`` against ``t``, from the logits. Shape ``(m,)``.

    Uses ``log_softmax``, so it is finite for any finite logits: logits of
    ``+-1000`` or a true class whose softmax probability underflows to 0 give
    the exact finite loss instead of ``inf`` or ``nan``.
    """
    z, t = _pair(z, t, "z", "t")
    ln_b = _log_base(base)
    return -np.sum(t * log_softmax(z, axis=0), axis=0) / ln_b


def softmax_cross_entropy_grad(z, t, base=np.e):
    """Gradient of ``cross_entropy(softmax(z), t, base)`` with respect to the logits ``z``.

    The general result (S1), valid for any targets ``t``::

        nabla_z loss = (a * sum(t) - t) / ln(b),   a = softmax(z), sum over each column.

    When every column of ``t`` sums to 1 this is the famous shortcut
    ``(a - t) / ln(b)``. The shortcut is wrong otherwise (label smoothing done
    wrong, multi-label targets, unnormalized counts); this function never uses it.
    Shape of ``z``, ``(n_L, m)``.
    """
    z, t = _pair(z, t, "z", "t")
    ln_b = _log_base(base)
    a = softmax(z, axis=0)
    return (a * t.sum(axis=0, keepdims=True) - t) / ln_b


def softmax_squared_error_grad(z, t):
    """Gradient of the squared error ``1/2 ||softmax(z) - t||^2`` with respect to the logits ``z``.

    The chain rule through the softmax Jacobian ``J = diag(a) - a a^T``
    (symmetric, so ``J^T = J``), applied to ``g = a - t``, one column at a time::

        nabla_z loss = J^T g = a * (g - sum(a * g)),   a = softmax(z).

    It is *not* ``a - t``: the cancellation that gives the shortcut happens
    only for cross-entropy after a softmax (chapter "Softmax and
    cross-entropy"). ``z`` and ``t`` have shape ``(n_L, m)`` (or ``(n_L,)``);
    the result has the shape of ``z``.
    """
    z, t = _pair(z, t, "z", "t")
    a = softmax(z, axis=0)
    g = a - t                                          # nabla_a loss, shape of z
    return a * (g - np.sum(a * g, axis=0, keepdims=True))


#: The output activation each loss is paired with, by loss name: squared
#: error after a sigmoid, cross-entropy after a softmax (chapter "Softmax and
#: cross-entropy"). ``network.architecture`` reads it; its keys are the loss
#: names every network function accepts.
OUTPUT_ACTIVATION = {"squared_error": "sigmoid", "cross_entropy": "softmax"}
