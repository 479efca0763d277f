"""One gradient, three ways: per-weight Python loops, a loop over examples, the batched matrix form.

Appendix "Performance", section "From loops to BLAS". The three functions
below compute exactly the gradients of ``network.loss_and_grads`` for the
book's network, the layers of ``network.architecture(L, loss)``
(sigmoid hidden layers; sigmoid output with squared error, or softmax output
with cross-entropy; the cost is the mean loss over the batch). They differ
only in how the arithmetic is grouped:

1. ``per_weight_grads``: the element form of backpropagation, one Python
   float operation at a time, the gradient ``(nabla_{W^l} C)_{jk} = (1/m) sum_i
   delta^{l,(i)}_j a^{l-1,(i)}_k``;
2. ``per_example_grads``: the matrix form for one column ``x`` at a time
   (matrix-vector products), averaged over the batch;
3. ``network.loss_and_grads``: the matrix form for the whole batch
   (matrix-matrix products, which BLAS runs at full speed).
"""

from __future__ import annotations

import math

import numpy as np

from .. import fast, network
from .._checks import check_batch
from ..activations import FUNCTIONS, log_softmax
from ..data import as_onehot
from ..timing import compare
from .flops import step_flops


def _sigmoid(x):
    # the two branches keep exp from overflowing, as activations.sigmoid does
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def per_weight_grads(params, X, Y, loss="squared_error"):
    """Gradients by Python loops over examples, neurons and individual weights. Returns ``(cost, grads)``.

    ``params``: list of ``(W, b)``, ``W^l`` ``(n_l, n_{l-1})``, ``b^l``
    ``(n_l, 1)``; ``X``: ``(n_0, m)``; ``Y``: ``(n_L, m)``. The grads are
    NumPy arrays with the shapes of ``params``, but every number in them was
    computed by a scalar Python operation.
    """
    params, X, Y = check_batch(params, X, Y)
    layers = network.architecture(len(params), loss)
    Ws = [W.tolist() for W, _ in params]
    bs = [b[:, 0].tolist() for _, b in params]
    L, m = len(Ws), X.shape[1]
    gWs = [[[0.0] * len(row) for row in W] for W in Ws]
    gbs = [[0.0] * len(b) for b in bs]
    total = 0.0
    for k in range(m):
        a = [float(v) for v in X[:, k]]
        acts, zs = [a], []
        for l in range(L):                                   # layer l + 1 of the text
            W, b = Ws[l], bs[l]
            z = [b[j] + sum(W[j][i] * a[i] for i in range(len(a))) for j in range(len(W))]
            zs.append(z)
            if layers[l] == "sigmoid":
                a = [_sigmoid(v) for v in z]
            else:
                top = max(z)
                e = [math.exp(v - top) for v in z]
                s = sum(e)
                a = [v / s for v in e]
            acts.append(a)
        y = [float(v) for v in Y[:, k]]
        if loss == "squared_error":
            total += 0.5 * sum((aj - yj) ** 2 for aj, yj in zip(a, y, strict=True))
            delta = [(aj - yj) * aj * (1.0 - aj) for aj, yj in zip(a, y, strict=True)]
        else:
            top = max(zs[-1])
            lse = top + math.log(sum(math.exp(v - top) for v in zs[-1]))
            total += -sum(yj * (zj - lse) for yj, zj in zip(y, zs[-1], strict=True))
            s = sum(y)
            delta = [aj * s - yj for aj, yj in zip(a, y, strict=True)]
        for l in range(L - 1, -1, -1):
            a_prev = acts[l]
            for j, d in enumerate(delta):
                row = gWs[l][j]
                for i, ai in enumerate(a_prev):              # one weight w^l_ji at a time
                    row[i] += d * ai / m
                gbs[l][j] += d / m
            if l > 0:
                W = Ws[l]
                delta = [sum(W[j][i] * delta[j] for j in range(len(delta))) * ai * (1.0 - ai)
                         for i, ai in enumerate(a_prev)]
    dtype = params[0][0].dtype
    grads = [(np.array(gW, dtype=dtype), np.array(gb, dtype=dtype).reshape(-1, 1))
             for gW, gb in zip(gWs, gbs, strict=True)]
    return total / m, grads


def per_example_grads(params, X, Y, loss="squared_error"):
    """Gradients by the matrix form applied to one example (one column) at a time.

    Same arguments and result as ``per_weight_grads``; each example costs a
    few matrix-vector products, and the ``m`` results are averaged.
    """
    params, X, Y = check_batch(params, X, Y)
    layers = network.architecture(len(params), loss)
    L, m = len(params), X.shape[1]
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    total = 0.0
    for k in range(m):
        a = X[:, [k]]                                    # (n_0, 1): one example
        y = Y[:, [k]]                                    # (n_L, 1)
        acts = [a]
        for l, (W, b) in enumerate(params, start=1):
            z = W @ a + b                                # (n_l, 1)
            a = FUNCTIONS[layers[l - 1]](z)
            acts.append(a)
        if loss == "squared_error":
            total += 0.5 * float(np.sum((a - y) ** 2))
            delta = (a - y) * a * (1 - a)                # (n_L, 1)
        else:
            total += -float(np.sum(y * log_softmax(z)))
            delta = a * y.sum() - y
        for l in range(L, 0, -1):
            gW, gb = grads[l - 1]
            gW += delta @ acts[l - 1].T                  # (n_l, 1) @ (1, n_{l-1})
            gb += delta
            if l > 1:
                a_prev = acts[l - 1]
                delta = (params[l - 1][0].T @ delta) * a_prev * (1 - a_prev)
    for gW, gb in grads:
        gW /= m
        gb /= m
    return total / m, grads


def run_threeways(sizes=(64, 32, 10), m=64, loss="squared_error", repeats=5, progress=print):
    """Section 3: time the three ways (and the fast batched form) on one small network."""
    progress(f"three ways: {'-'.join(map(str, sizes))}, m={m}")
    params = network.init_params(list(sizes), seed=0)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((sizes[0], m))
    Y = rng.random((sizes[-1], m)) if loss == "squared_error" else \
        as_onehot(rng.integers(0, sizes[-1], m), sizes[-1])
    funcs = {
        "per_weight_loops": lambda: per_weight_grads(params, X, Y, loss),
        "per_example_matrix": lambda: per_example_grads(params, X, Y, loss),
        "batched_matrix": lambda: network.loss_and_grads(params, X, Y, loss),
        "batched_fast": lambda: fast.loss_and_grads_fast(params, X, Y, loss, check=False),
    }
    results = {name: f() for name, f in funcs.items()}
    reference = results["batched_matrix"][1]
    agreement = {
        name: max(_rel(g, r) for pair, ref in zip(grads, reference, strict=True)
                  for g, r in zip(pair, ref, strict=True))
        for name, (_, grads) in results.items()
    }
    number = {"per_weight_loops": 1, "per_example_matrix": 3}
    times = {}
    # The loops are far slower than the rest: time them with number=1, the rest with more calls.
    times.update(compare({k: funcs[k] for k in ("per_weight_loops", "per_example_matrix")},
                         repeats=repeats, number=1))
    fast_number = max(1, int(0.02 / max(times["per_example_matrix"] / m, 1e-6)))
    times.update(compare({k: funcs[k] for k in ("batched_matrix", "batched_fast")},
                         repeats=repeats, number=fast_number))
    number.update(batched_matrix=fast_number, batched_fast=fast_number)
    loops = times["per_weight_loops"]
    return {
        "sizes": list(sizes), "m": m, "loss": loss, "dtype": "float64", "repeats": repeats,
        "median_s": times,
        "speedup_vs_loops": {k: loops / t for k, t in times.items()},
        "max_relative_difference": agreement,
        "flops": step_flops(list(sizes), m),
    }


def _rel(a, b):
    scale = max(np.abs(a).max(), np.abs(b).max())
    return float(np.abs(a - b).max() / scale) if scale else 0.0


def measure(opts):
    """The section for ``python -m backprop.bench``: a 64-32-10 network, m=64 (tiny when quick)."""
    sizes, m = ((6, 5, 3), 4) if opts.quick else ((64, 32, 10), 64)
    return run_threeways(sizes=sizes, m=m, repeats=opts.repeats, progress=opts.progress)


def targets(data):
    return []                                  # a comparison to read, with no budget


def summary(data):
    lines = [f"One gradient three ways ({'-'.join(map(str, data['sizes']))}, m={data['m']}): "
             "median ms (speedup over the loops)"]
    for k, v in data["median_s"].items():
        lines.append(f"  {k:<22}{1e3 * v:>12.3f}{data['speedup_vs_loops'][k]:>10.0f}x")
    return lines
