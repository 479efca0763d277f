"""Floating-point operations of one training step, counted analytically.

Appendix "Performance". A product of an ``(M, K)`` matrix by a ``(K, N)``
matrix takes ``M N K`` multiplications and ``M N (K - 1)`` additions; the
convention of every BLAS benchmark (and of this module) rounds that to
``2 M N K`` floating-point operations (FLOPs). For layer ``l`` of a network
with sizes ``n_0, ..., n_L`` and a batch of ``m`` columns, backpropagation
forms three products, each with ``n_l n_{l-1} m`` multiply-adds::

    forward     z^l      = W^l @ a^{l-1}          (n_l, n_{l-1}) @ (n_{l-1}, m)
    gradient    grad_W^l = delta^l @ a^{l-1}.T    (n_l, m) @ (m, n_{l-1})
    backward    W^l.T @ delta^l                   (n_{l-1}, n_l) @ (n_l, m), only for l >= 2

so the step costs ``6 n_l n_{l-1} m`` FLOPs per layer, ``4 n_1 n_0 m`` for
the first (no gradient with respect to the input is needed). Everything else
(bias, sigmoid, softmax, Hadamard products, the update) is ``O(n_l m)`` or
``O(n_l n_{l-1})`` per layer, a factor ``n`` smaller; rates quoted in the
appendix count the matrix products only.
"""

from __future__ import annotations


def _sizes(sizes, m):
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {sizes}")
    if isinstance(m, bool) or int(m) != m or m < 1:
        raise ValueError(f"m must be a positive integer; got {m!r}")
    return sizes, int(m)


def step_products(sizes, m):
    """The matrix products of one backpropagation step, in the order they run.

    Returns a list of dicts with keys ``layer`` (1-based), ``phase``
    (``"forward"``, ``"grad_W"`` or ``"backward"``), ``shape`` ``(M, K, N)``
    (an ``(M, K)`` matrix times a ``(K, N)`` one), ``transposed``
    (``(trans_a, trans_b)``: which operand is a transposed view, as in
    ``network.backward``) and ``flops`` ``2 M K N``.
    """
    sizes, m = _sizes(sizes, m)
    L = len(sizes) - 1
    products = []
    for l in range(1, L + 1):
        products.append(dict(layer=l, phase="forward", shape=(sizes[l], sizes[l - 1], m),
                             transposed=(False, False)))
    for l in range(L, 0, -1):
        products.append(dict(layer=l, phase="grad_W", shape=(sizes[l], m, sizes[l - 1]),
                             transposed=(False, True)))
        if l > 1:
            products.append(dict(layer=l, phase="backward", shape=(sizes[l - 1], sizes[l], m),
                                 transposed=(True, False)))
    for p in products:
        M, K, N = p["shape"]
        p["flops"] = 2 * M * K * N
    return products


def step_flops(sizes, m):
    """FLOPs of the matrix products of one training step: ``sum_l 6 n_l n_{l-1} m - 2 n_1 n_0 m``.

    ``sizes`` = ``[n_0, ..., n_L]``; ``m`` is the batch size. An int.
    """
    return sum(p["flops"] for p in step_products(sizes, m))


__all__ = ["step_flops", "step_products"]
