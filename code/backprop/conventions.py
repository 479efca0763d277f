"""Translations from other conventions into the book's.

Chapter "Notation and conventions". The book uses column vectors,
``z = W a + b`` with ``W`` of shape ``(n_out, n_in)`` and ``b`` of shape
``(n_out, 1)``, examples as columns, and numerator-layout Jacobians. Three
other conventions are common:

==========================  ===========================  =============================
convention                  layer                        translation into the book's
==========================  ===========================  =============================
row vectors                 ``z = a W_r + B``            ``W = W_r.T``, ``b = B.T``
(one of the sources)        ``W_r``: ``(n_in, n_out)``   examples as rows: ``X = X_r.T``
PyTorch ``nn.Linear``       ``Z_r = X_r W_t^T + b_t``    ``W = W_t`` (same!), ``b = b_t[:, None]``,
                            ``W_t``: ``(n_out, n_in)``   ``X = X_r.T``, ``Z = Z_r.T``
denominator layout          ``(dy/dx)_{ij} = dy_j/dx_i``  ``J = J_den.T``
==========================  ===========================  =============================
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array


def from_row_convention(W_r, B):
    """``(W_r, B)`` of a row-vector layer ``z = a W_r + B`` -> ``(W, b)`` of the book.

    ``W_r``: ``(n_in, n_out)``; ``B``: ``(1, n_out)`` or ``(n_out,)``.
    Returns ``W = W_r^T`` of shape ``(n_out, n_in)`` and ``b = B^T`` of shape ``(n_out, 1)``.
    """
    W_r = as_array(W_r, "W_r", ndim=2, shape_hint="(n_in, n_out)")
    B = as_array(B, "B", shape_hint="(1, n_out)")
    if B.size != W_r.shape[1] or B.ndim > 2 or (B.ndim == 2 and B.shape[0] != 1):
        raise ValueError(f"B must have shape (1, {W_r.shape[1]}) to match W_r of shape "
                         f"{W_r.shape}; got shape {B.shape}")
    return W_r.T.copy(), B.reshape(-1, 1).copy()


def from_torch_linear(weight, bias):
    """``nn.Linear``'s ``(weight, bias)`` -> ``(W, b)`` of the book.

    ``weight`` already has the book's shape ``(n_out, n_in)``; only the bias,
    ``(n_out,)`` in PyTorch, becomes a column ``(n_out, 1)``. PyTorch puts
    examples in rows, so its ``X_r W^T + b`` is the transpose of ``W X + b``.
    """
    W = np.array(as_array(weight, "weight", ndim=2, shape_hint="(n_out, n_in)"))
    b = as_array(bias, "bias", ndim=1, shape_hint="(n_out,)")
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"bias must have shape ({W.shape[0]},) to match weight of shape "
                         f"{W.shape}; got shape {b.shape}")
    return W, np.array(b).reshape(-1, 1)


def from_denominator_layout(J_den):
    """A denominator-layout Jacobian (``dy_j/dx_i`` at row ``i``) -> numerator layout, its transpose."""
    return as_array(J_den, "J_den", ndim=2).T.copy()
