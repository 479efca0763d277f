"""Reverse mode against a materialized Jacobian: how the cost grows with the width N.

Appendix "Performance", section "Why backpropagation never forms a Jacobian".
For a chain of ``K`` maps ``R^N -> R^N`` with Jacobians ``J_1, ..., J_K``
(each ``(N, N)``), the gradient of a scalar is ``(J_1 ... J_K)^T v``:

- ``autodiff.chain_vjp`` pulls ``v`` back through the chain, one
  matrix-vector product per factor: ``K N^2`` multiply-adds;
- ``autodiff.chain_jacobian`` first multiplies the Jacobians together,
  ``(K - 1) N^3`` multiply-adds, and then applies the result to ``v``.

On a log-log plot the times are lines of slope about 2 and 3, once ``N``
is large enough that the fixed cost of a call no longer dominates.
"""

from __future__ import annotations

import numpy as np

from .. import autodiff
from ..timing import autonumber, compare, limit_threads, loglog_slope

SIZES = [50, 100, 200, 400, 700, 1000, 1400, 2000]
QUICK_SIZES = [10, 20, 40, 80]


def run_scaling(sizes=SIZES, K=3, repeats=5, fit_last=4, progress=print):
    """Section 4: median times of ``chain_vjp`` and of ``chain_jacobian`` then ``J^T v``, per N.

    The log-log slopes are fitted on the ``fit_last`` largest sizes.
    """
    rows = []
    for N in sizes:
        progress(f"VJP vs Jacobian: N={N}")
        rng = np.random.default_rng(N)
        Js = [rng.standard_normal((N, N)) / np.sqrt(N) for _ in range(K)]   # K factors, (N, N)
        v = rng.standard_normal((N, 1))                                     # (N, 1)
        funcs = {
            "vjp": lambda Js=Js, v=v: autodiff.chain_vjp(Js, v),
            "jacobian": lambda Js=Js, v=v: autodiff.chain_jacobian(Js).T @ v,
        }
        number = autonumber(funcs, min_time=0.01)
        times = compare(funcs, repeats=repeats, number=number)
        gap = float(np.abs(funcs["vjp"]() - funcs["jacobian"]()).max())
        rows.append(dict(N=N, median_s=times, number=number, max_abs_difference=gap))
    fit = rows[-fit_last:] if len(rows) >= 2 else rows
    slopes = {k: loglog_slope([r["N"] for r in fit], [r["median_s"][k] for r in fit])
              for k in ("vjp", "jacobian")} if len(fit) >= 2 else {}
    return {"K": K, "dtype": "float64", "repeats": repeats, "rows": rows,
            "slopes": slopes, "fitted_on": [r["N"] for r in fit]}


def measure(opts):
    """The section for ``python -m backprop.bench``: one thread, so that the slopes are the algorithms'."""
    with limit_threads(1):
        data = run_scaling(sizes=QUICK_SIZES if opts.quick else SIZES, repeats=opts.repeats,
                           progress=opts.progress)
    data["threads"] = 1
    return data


def targets(data):
    return []                                  # the slopes are read, not budgeted


def summary(data):
    lines = [f"VJP chain vs Jacobian chain (K={data['K']}), slopes on N={data['fitted_on']}: "
             + ", ".join(f"{k} {v:.2f}" for k, v in data["slopes"].items())]
    for r in data["rows"]:
        lines.append(f"  N={r['N']:>5}: vjp {1e3 * r['median_s']['vjp']:9.3f} ms, "
                     f"jacobian {1e3 * r['median_s']['jacobian']:10.3f} ms")
    return lines
