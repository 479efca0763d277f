"""Jacobians in numerator layout: ``J[i, j] = d f_i / d x_j``, shape ``(m, n)`` for f: R^n -> R^m.

Chapter "The Jacobian". The analytic Jacobians of the three maps a network
is made of, and a numerical Jacobian by central differences to check them.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_scalar
from .activations import get_activation, softmax


def _vector(x, name):
    """A vector given as shape ``(n,)`` or as a column ``(n, 1)``, returned as ``(n,)`` float."""
    arr = as_array(x, name, shape_hint="(n,) or (n, 1)")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a vector of shape (n,) or (n, 1); got shape {arr.shape}")
    return arr.astype(np.float64) if arr.dtype.kind != "f" else arr


def numerical_jacobian(f, x, eps=1e-6):
    """Jacobian of ``f`` at ``x`` by central differences, in float64. Shape ``(m, n)``.

    Column ``j`` is ``(f(x + eps e_j) - f(x - eps e_j)) / (2 eps)``, the
    derivative of every output with respect to input ``j``. The error of a
    central difference is ``O(eps^2)``; with ``eps = 1e-6`` in float64 it is
    usually below ``1e-8`` relative.

    ``x`` is a vector of shape ``(n,)`` or ``(n, 1)``; ``f`` returns a vector
    of shape ``(m,)`` or ``(m, 1)``, or a scalar (then the result is ``(1, n)``).
    """
    eps = check_scalar(eps, "eps", positive=True)
    column = np.ndim(x) == 2
    x = _vector(x, "x").astype(np.float64)
    n = x.shape[0]

    def call(v):
        out = np.asarray(f(v.reshape(-1, 1) if column else v), dtype=np.float64)
        return out.reshape(-1)

    columns = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps
        columns.append((call(x + e) - call(x - e)) / (2 * eps))
    return np.stack(columns, axis=1)


def affine_jacobian(W):
    """Jacobian of ``a -> W a + b`` with respect to ``a``: ``W`` itself, shape ``(n_out, n_in)``."""
    return as_array(W, "W", ndim=2, shape_hint="(n_out, n_in)")


def elementwise_jacobian(z, activation="sigmoid"):
    """Jacobian of an element-wise activation at ``z``: ``diag(f'(z))``, shape ``(n, n)``.

    Output ``i`` depends on input ``i`` only, so every off-diagonal entry is 0.
    """
    _, f_prime = get_activation(activation)
    return np.diag(f_prime(_vector(z, "z")))


def softmax_jacobian(z):
    """Jacobian of softmax at the logits ``z``: ``diag(a) - a a^T`` with ``a = softmax(z)``. ``(n, n)``.

    Entry ``(i, j)`` is ``a_i (delta_ij - a_j)``. Every output depends on
    every input (through the shared denominator), so the matrix is full. It
    is symmetric, and each row and column sums to 0 (the outputs sum to 1
    whatever ``z`` is).
    """
    a = softmax(_vector(z, "z"))
    return np.diag(a) - np.outer(a, a)
