"""Floating-point operations of one training step, counted analytically.

Appendix "Performance", section "Distance from the machine's limit": the
count, and the step's FLOP rate against the rate of its bare matrix
products (``run_flops``, with the steps of ``step``). A product of an ``(M, K)`` matrix by a ``(K, N)``
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

import numpy as np

from .._checks import check_int
from ..timing import autonumber, compare, limit_threads
from . import step
from .report import target


def _sizes(sizes, m):
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {sizes}")
    return sizes, check_int(m, "m")


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


def bare_products(sizes, m, dtype):
    """The step's matrix products alone, with ``np.matmul`` into preallocated outputs."""
    rng = np.random.default_rng(0)
    ops = []
    for p in step_products(sizes, m):
        M, K, N = p["shape"]
        ta, tb = p["transposed"]
        A = rng.standard_normal((K, M) if ta else (M, K)).astype(dtype)
        B = rng.standard_normal((N, K) if tb else (K, N)).astype(dtype)
        ops.append((A.T if ta else A, B.T if tb else B, np.empty((M, N), dtype=dtype)))

    def run():
        for A, B, C in ops:
            np.matmul(A, B, out=C)

    return run, ops


def torch_products(ops):
    """The same products with ``torch.mm`` (PyTorch's BLAS), on the same arrays."""
    import torch

    tops = [(torch.from_numpy(A), torch.from_numpy(B), torch.from_numpy(C)) for A, B, C in ops]

    def run():
        for A, B, C in tops:
            torch.mm(A, B, out=C)

    return run


def run_flops(sizes=(784, 1024, 10), m=512, dtypes=("float32", "float64"), threads=(1,), repeats=15, min_time=0.02,
              progress=print):
    """Section 2: FLOP rate of the step against the rate of its bare matrix products.

    ``fraction`` is (FLOPs / step time) / (FLOPs / bare-products time), i.e.
    the share of the step spent at the speed of the bare products.
    """
    sizes = list(sizes)
    flops = step_flops(sizes, m)
    has_torch = step.torch_available()
    rows = []
    for n in threads:
        for dtype in dtypes:
            progress(f"flops: {step._case_name(sizes, m, dtype)}, {n} thread(s)")
            params, X, Y = step.make_case(sizes, m, dtype)
            funcs = step.numpy_steps(params, X, Y)
            funcs["numpy_matmuls"], ops = bare_products(sizes, m, dtype)
            if has_torch:
                funcs["torch"] = step.torch_step(params, X, Y)
                funcs["torch_matmuls"] = torch_products(ops)
            with limit_threads(n):
                number = autonumber(funcs, min_time=min_time)
                times = compare(funcs, repeats=repeats, number=number)
            gflops = {k: flops / t / 1e9 for k, t in times.items()}
            fraction = {"fast": times["numpy_matmuls"] / times["fast"],
                        "readable": times["numpy_matmuls"] / times["readable"]}
            if has_torch:
                fraction["torch"] = times["torch_matmuls"] / times["torch"]
            rows.append(dict(sizes=sizes, m=m, dtype=dtype, threads=n, flops=flops,
                             products=[dict(p, shape=list(p["shape"]), transposed=list(p["transposed"]))
                                       for p in step_products(sizes, m)],
                             repeats=repeats, number=number, median_s=times, gflops=gflops,
                             fraction_of_matmul_rate=fraction))
    return {"rows": rows, "torch": has_torch}


#: Budget: the large step's FLOP rate is at least this fraction of the bare matmul rate.
TARGET_FRACTION = 0.85


def measure(opts):
    """The section for ``python -m backprop.bench``: the 784-1024-10 network, m=512 (tiny when quick)."""
    sizes, m = ((24, 16, 4), 16) if opts.quick else ((784, 1024, 10), 512)
    return run_flops(sizes=sizes, m=m, threads=opts.threads, repeats=opts.repeats,
                     min_time=opts.min_time, progress=opts.progress)


def targets(data):
    return [target("fast step FLOP rate / bare matmul rate", TARGET_FRACTION,
                   row["fraction_of_matmul_rate"]["fast"],
                   row["fraction_of_matmul_rate"]["fast"] >= TARGET_FRACTION,
                   f"{row['dtype']} {row['threads']}T")
            for row in data.get("rows", [])]


def summary(data):
    lines = ["FLOP rate of the step against bare matrix products (GFLOP/s)"]
    for r in data["rows"]:
        g, f = r["gflops"], r["fraction_of_matmul_rate"]
        extra = f", torch step {g['torch']:.1f} vs torch.mm {g['torch_matmuls']:.1f}" if "torch" in g else ""
        lines.append(f"  {r['dtype']} {r['threads']}T: fast {g['fast']:.1f}, readable "
                     f"{g['readable']:.1f}, np.matmul {g['numpy_matmuls']:.1f} -> fast at "
                     f"{100 * f['fast']:.0f}% of the matmul rate{extra}")
    return lines
