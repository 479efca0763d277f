"""One SGD training step: the readable NumPy step, the fast one, and PyTorch's, side by side.

Appendix "Performance", sections "NumPy against PyTorch" and "Distance from
the machine's limit". All three implementations start from the same
weights and data (same shapes, same dtype), run the same math (sigmoid
hidden layers, softmax output, mean cross-entropy, then
``W <- W - eta grad_W``), and are limited to the same number of threads.
PyTorch is imported only when these benchmarks run: it is a test and
benchmark dependency (``requirements-dev.txt``), never needed by the book.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import fast, network
from ..timing import autonumber, compare
from .flops import step_flops, step_products

#: The four cases of the report: (sizes, batch) in float32 and float64.
CASES = [([64, 32, 10], 64), ([784, 1024, 10], 512)]
QUICK_CASES = [([8, 6, 3], 8), ([24, 16, 4], 16)]
DTYPES = ("float32", "float64")
ETA = 0.05


def make_case(sizes, m, dtype, seed=0):
    """Parameters, inputs ``X`` ``(n_0, m)`` and one-hot targets ``Y`` ``(n_L, m)`` in ``dtype``."""
    dtype = np.dtype(dtype)
    params = network.init_params(sizes, seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((sizes[0], m)).astype(dtype)
    Y = np.eye(sizes[-1], dtype=dtype)[:, rng.integers(0, sizes[-1], m)]
    return params, X, Y


def numpy_steps(params, X, Y, eta=ETA, loss="cross_entropy"):
    """Two step functions of no argument: ``{"readable": ..., "fast": ...}``.

    Each owns a copy of ``params`` and updates it at every call (a real
    training step: gradients, then the update); each returns the cost.
    """
    state = {"params": [(W.copy(), b.copy()) for W, b in params]}

    def readable():
        cost, grads = network.loss_and_grads(state["params"], X, Y, loss)
        state["params"] = network.sgd_step(state["params"], grads, eta)
        return cost

    own = [(W.copy(), b.copy()) for W, b in params]

    def fast_step():
        cost, grads = fast.loss_and_grads_fast(own, X, Y, loss, check=False)
        fast.sgd_step_(own, grads, eta)
        return cost

    return {"readable": readable, "fast": fast_step}


def torch_step(params, X, Y, eta=ETA, loss="cross_entropy"):
    """The same step in PyTorch CPU autograd, written as a PyTorch user would write it fast.

    ``addmm`` for ``W a + b``, ``torch.sigmoid``, ``log_softmax`` for the
    cost, ``backward()``, and an in-place update under ``no_grad`` with the
    gradients reset to ``None`` (no zero-filling). Returns the cost.
    """
    import torch

    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
          for W, b in params]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    L, m = len(tp), X.shape[1]

    def step():
        a = Xt
        for l, (W, b) in enumerate(tp, start=1):
            z = torch.addmm(b, W, a)                   # W a + b, (n_l, m)
            if l < L or loss == "squared_error":
                a = torch.sigmoid(z)
        if loss == "squared_error":
            cost = 0.5 * ((a - Yt) ** 2).sum() / m
        else:
            cost = -(Yt * torch.log_softmax(z, dim=0)).sum() / m
        for W, b in tp:
            W.grad = None
            b.grad = None
        cost.backward()
        with torch.no_grad():
            for W, b in tp:
                W.add_(W.grad, alpha=-eta)
                b.add_(b.grad, alpha=-eta)
        return cost.item()

    return step


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def limit_threads(n):
    """Limit NumPy's BLAS (and any OpenMP pool) and PyTorch to ``n`` threads inside the block."""
    from threadpoolctl import threadpool_limits

    old = None
    if torch_available():
        import torch

        old = torch.get_num_threads()
        torch.set_num_threads(n)
    try:
        with threadpool_limits(limits=n):
            yield
    finally:
        if old is not None:
            import torch

            torch.set_num_threads(old)


def _case_name(sizes, m, dtype):
    return f"{'-'.join(map(str, sizes))}, m={m}, {dtype}"


def run_step(cases=CASES, dtypes=DTYPES, threads=(1,), repeats=15, min_time=0.02, progress=print):
    """Section 1: median step times of readable NumPy, fast NumPy and PyTorch, and their ratios."""
    rows = []
    has_torch = torch_available()
    for n in threads:
        for sizes, m in cases:
            for dtype in dtypes:
                progress(f"step: {_case_name(sizes, m, dtype)}, {n} thread(s)")
                params, X, Y = make_case(sizes, m, dtype)
                funcs = numpy_steps(params, X, Y)
                if has_torch:
                    funcs["torch"] = torch_step(params, X, Y)
                with limit_threads(n):
                    number = autonumber(funcs, min_time=min_time)
                    times = compare(funcs, repeats=repeats, number=number)
                row = dict(sizes=list(sizes), m=m, dtype=dtype, threads=n, loss="cross_entropy",
                           repeats=repeats, number=number, median_s=times)
                if has_torch:
                    row["ratio_to_torch"] = {k: times[k] / times["torch"] for k in ("readable", "fast")}
                rows.append(row)
    return {"rows": rows, "torch": has_torch}


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


def run_flops(sizes=(784, 1024, 10), m=512, dtypes=DTYPES, threads=(1,), repeats=15, min_time=0.02,
              progress=print):
    """Section 2: FLOP rate of the step against the rate of its bare matrix products.

    ``fraction`` is (FLOPs / step time) / (FLOPs / bare-products time), i.e.
    the share of the step spent at the speed of the bare products.
    """
    sizes = list(sizes)
    flops = step_flops(sizes, m)
    has_torch = torch_available()
    rows = []
    for n in threads:
        for dtype in dtypes:
            progress(f"flops: {_case_name(sizes, m, dtype)}, {n} thread(s)")
            params, X, Y = make_case(sizes, m, dtype)
            funcs = numpy_steps(params, X, Y)
            funcs["numpy_matmuls"], ops = bare_products(sizes, m, dtype)
            if has_torch:
                funcs["torch"] = torch_step(params, X, Y)
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
