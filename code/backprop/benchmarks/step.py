"""One SGD training step: the readable NumPy step, the fast one, and PyTorch's, side by side.

Appendix "Performance", section "NumPy against PyTorch" (the section
"Distance from the machine's limit" is ``flops``, which reuses these steps).
All three implementations start from the same weights and data (same
shapes, same dtype), run the same math (the layers of
``network.architecture``: sigmoid hidden layers, softmax output, mean
cross-entropy, then ``W <- W - eta grad_W``), and are limited to the same
number of threads (``timing.limit_threads``). The section also measures,
side by side, what the readable step's input check costs: the public
``network.loss_and_grads`` against its unchecked math,
``network.loss_and_grads.__wrapped__``, on the 64-32-10 network with a
batch of 64.
PyTorch is imported only when these benchmarks run: it is a test and
benchmark dependency (``requirements-dev.txt``), never needed by the book.
"""

from __future__ import annotations

import numpy as np

from .. import fast, network, optim
from ..data import as_onehot
from ..timing import autonumber, compare, limit_threads
from .report import target

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
    Y = as_onehot(rng.integers(0, sizes[-1], m), sizes[-1]).astype(dtype)
    return params, X, Y


def numpy_steps(params, X, Y, eta=ETA, loss="cross_entropy"):
    """Two step functions of no argument: ``{"readable": ..., "fast": ...}``.

    Each owns a copy of ``params`` and updates it at every call (a real
    training step: gradients, then the update); each returns the cost.
    """
    state = {"params": [(W.copy(), b.copy()) for W, b in params]}

    def readable():
        cost, grads = network.loss_and_grads(state["params"], X, Y, loss)
        state["params"] = optim.sgd_step(state["params"], grads, eta)
        return cost

    own = [(W.copy(), b.copy()) for W, b in params]

    def fast_step():
        cost, grads = fast.loss_and_grads_fast(own, X, Y, loss, check=False)
        fast.sgd_step_(own, grads, eta)
        return cost

    return {"readable": readable, "fast": fast_step}


def torch_cost(tp, Xt, Yt, loss="cross_entropy", hidden="sigmoid"):
    """The book's network in PyTorch: the cost of a batch, a 0-d tensor to call ``backward()`` on.

    ``tp`` is a list of ``(W, b)`` tensors (``W^l`` ``(n_l, n_{l-1})``, ``b^l``
    ``(n_l, 1)``), ``Xt`` ``(n_0, m)`` and ``Yt`` ``(n_L, m)``. The layers are
    ``network.architecture(L, loss, hidden)``: a sigmoid output and the mean
    of ``1/2 ||y - a||^2`` for ``"squared_error"``, a softmax output and the
    mean cross-entropy (from ``log_softmax``) for ``"cross_entropy"``. The
    tests' PyTorch reference too.
    """
    import torch

    functions = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                 "identity": lambda z: z}
    a, m = Xt, Xt.shape[1]
    for (W, b), f in zip(tp, network.architecture(len(tp), loss, hidden)):
        z = torch.addmm(b, W, a)                       # W a + b, (n_l, m)
        if f != "softmax":                             # the softmax is inside the cost
            a = functions[f](z)
    if loss == "squared_error":
        return 0.5 * ((a - Yt) ** 2).sum() / m
    return -(Yt * torch.log_softmax(z, dim=0)).sum() / m


def torch_step(params, X, Y, eta=ETA, loss="cross_entropy"):
    """The same step in PyTorch CPU autograd, written as a PyTorch user would write it fast.

    ``addmm`` for ``W a + b``, ``torch.sigmoid``, ``log_softmax`` for the
    cost (``torch_cost``), ``backward()``, and an in-place update under
    ``no_grad`` with the gradients reset to ``None`` (no zero-filling).
    Returns the cost.
    """
    import torch

    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
          for W, b in params]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def step():
        cost = torch_cost(tp, Xt, Yt, loss)
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


def _case_name(sizes, m, dtype):
    return f"{'-'.join(map(str, sizes))}, m={m}, {dtype}"


#: The case whose input check the report measures: 64-32-10, a batch of 64, float64, one thread.
CHECK_CASE = ([64, 32, 10], 64, "float64")


def run_check_share(case=CHECK_CASE, repeats=15, min_time=0.02, progress=print):
    """What the readable step's input check costs, as a share of the step, measured side by side.

    Two training steps (gradients, then ``optim.sgd_step``) on one thread:
    ``checked`` calls the public ``network.loss_and_grads``, which validates
    its input once; ``unchecked`` calls the same math without the check,
    ``network.loss_and_grads.__wrapped__``. The share is
    ``(checked - unchecked) / checked``.
    """
    sizes, m, dtype = case
    progress(f"check share: {_case_name(sizes, m, dtype)}, 1 thread")
    params, X, Y = make_case(sizes, m, dtype)
    math = network.loss_and_grads.__wrapped__
    funcs = {}
    for name, grad_fn in (("checked", network.loss_and_grads),
                          ("unchecked", lambda p, X, Y, loss: math(p, X, Y, loss, "sigmoid"))):
        state = {"params": [(W.copy(), b.copy()) for W, b in params]}

        def step(grad_fn=grad_fn, state=state):
            cost, grads = grad_fn(state["params"], X, Y, "cross_entropy")
            state["params"] = optim.sgd_step(state["params"], grads, ETA)
            return cost

        funcs[name] = step
    with limit_threads(1):
        number = autonumber(funcs, min_time=min_time)
        times = compare(funcs, repeats=repeats, number=number)
    share = (times["checked"] - times["unchecked"]) / times["checked"]
    return dict(sizes=list(sizes), m=m, dtype=dtype, threads=1, loss="cross_entropy", repeats=repeats,
                number=number, median_s=times, share=share)


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


#: Budgets: the fast NumPy step's time over PyTorch's, in every case, and never above 1;
#: the input check's share of the readable step.
TARGET_RATIO = 0.7
NEVER_SLOWER = 1.0
CHECK_SHARE = 0.10


def measure(opts):
    """The section for ``python -m backprop.bench``: the four cases (tiny ones when quick), and the check's share."""
    data = run_step(cases=QUICK_CASES if opts.quick else CASES, threads=opts.threads,
                    repeats=opts.repeats, min_time=opts.min_time, progress=opts.progress)
    # a difference of a few microseconds: more interleaved repetitions than the steps need
    repeats = opts.repeats if opts.quick else max(opts.repeats, 41)
    data["check"] = run_check_share(repeats=repeats, min_time=opts.min_time, progress=opts.progress)
    return data


def targets(data):
    out = []
    for row in data.get("rows", []):
        ratio = row.get("ratio_to_torch", {}).get("fast")
        if ratio is None:
            continue
        where = f"{'-'.join(map(str, row['sizes']))} m={row['m']} {row['dtype']} {row['threads']}T"
        out.append(target("fast step / PyTorch step", TARGET_RATIO, ratio, ratio <= TARGET_RATIO, where))
        out.append(target("fast step not slower than PyTorch", NEVER_SLOWER, ratio,
                          ratio <= NEVER_SLOWER, where))
    check = data.get("check")
    if check is not None:
        where = f"{'-'.join(map(str, check['sizes']))} m={check['m']} {check['dtype']} 1T"
        out.append(target("input check / readable step", CHECK_SHARE, check["share"],
                          check["share"] <= CHECK_SHARE, where))
    return out


def summary(data):
    lines = ["Training step (median ms; ratio to PyTorch)",
             f"  {'case':<34}{'thr':>4}{'readable':>11}{'fast':>10}{'torch':>10}{'read/t':>8}{'fast/t':>8}"]
    for r in data["rows"]:
        t, q = r["median_s"], r.get("ratio_to_torch", {})
        case = f"{'-'.join(map(str, r['sizes']))}, m={r['m']}, {r['dtype']}"
        lines.append(f"  {case:<34}{r['threads']:>4}{1e3 * t['readable']:>11.3f}"
                     f"{1e3 * t['fast']:>10.3f}{1e3 * t.get('torch', float('nan')):>10.3f}"
                     f"{q.get('readable', float('nan')):>8.2f}{q.get('fast', float('nan')):>8.2f}")
    check = data.get("check")
    if check is not None:
        t = check["median_s"]
        lines.append(f"  input check of the readable step, {'-'.join(map(str, check['sizes']))}, "
                     f"m={check['m']}, {check['dtype']}, 1 thread: {1e3 * t['checked']:.3f} ms checked, "
                     f"{1e3 * t['unchecked']:.3f} ms unchecked, a share of {100 * check['share']:.1f} %")
    return lines
