"""Figures of the appendix "Performance" (`app_performance`): drawing only. The numbers are the
committed report of ``make bench`` (``backprop.load_results()``, read from ``benchmarks.report``), section by section.

- ``three_ways``: median time of one gradient computed four ways (static);
- ``flops_rates``: GFLOP/s of the step and of its bare matrix products (static);
- ``profile_shares``: where the samples of a profiled step fall (static);
- ``vjp_vs_jacobian``: time of a VJP chain and of a materialized Jacobian chain against the
  width, one width picked by the slider (interactive).
"""

from __future__ import annotations

import numpy as np

from ..benchmarks.report import load_results
from . import style
from .style import COLORS

#: The four ways of section "threeways", slowest first, with their names in the figure.
WAYS = {"per_weight_loops": "per-weight loops", "per_example_matrix": "per-example matrix form",
        "batched_matrix": "batched matrix form", "batched_fast": "batched, arranged for speed"}
#: The contenders of section "flops" and their colors.
RATES = [("numpy_matmuls", "np.matmul alone", COLORS[0]), ("fast", "fast NumPy step", COLORS[2]),
         ("readable", "readable NumPy step", COLORS[5]), ("torch_matmuls", "torch.mm alone", COLORS[1]),
         ("torch", "PyTorch step", COLORS[4])]
#: The parts of a profiled step, in the order they are stacked.
PARTS = ["matrix products (BLAS)", "sigmoid and its derivative", "softmax and cost",
         "other element-wise work", "input checks", "parameter update"]


def three_ways(tw):
    """Horizontal bars, log scale: the median time of each way of section ``tw`` (the report's
    ``sections["threeways"]``), labelled with its speedup over the loops. Returns the Figure."""
    import matplotlib.pyplot as plt

    names = list(WAYS)
    times_ms = [1e3 * tw["median_s"][k] for k in names]
    fig, ax = plt.subplots(figsize=(8.4, 3.2), layout="constrained")
    bars = ax.barh([WAYS[k] for k in names], times_ms, color=COLORS[:4])
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set_xlabel("median time per gradient (ms, log scale)")
    ax.set_title(f"one gradient of a {'-'.join(map(str, tw['sizes']))} network, m = {tw['m']}, float64")
    for bar, k in zip(bars, names):
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2,
                f"{tw['speedup_vs_loops'][k]:,.0f}× faster than the loops" if k != names[0] else "1×",
                va="center")
    ax.set_xlim(min(times_ms) / 3, max(times_ms) * 40)
    return fig


def flops_rates(rows):
    """Grouped bars of GFLOP/s, one panel per dtype and one group per thread count, from the
    ``rows`` of the report's ``sections["flops"]``; the fast step's share of the bare-matmul
    rate is written above its bar. Returns the Figure."""
    import matplotlib.pyplot as plt

    dtypes = sorted({r["dtype"] for r in rows})
    fig, axes = plt.subplots(1, len(dtypes), figsize=(8.4, 4.2), squeeze=False, layout="constrained")
    width = 0.16
    for ax, dtype in zip(axes[0], dtypes):
        group = [r for r in rows if r["dtype"] == dtype]
        for k, (key, name, color) in enumerate(RATES):
            x = np.arange(len(group)) + (k - 2) * width
            ax.bar(x, [r["gflops"].get(key, 0.0) for r in group], width, color=color, label=name)
        for g, r in enumerate(group):      # above the fast bar and its taller neighbour
            top = max(r["gflops"]["fast"], r["gflops"].get("numpy_matmuls", 0.0))
            ax.text(g - width, 1.02 * top, f"{100 * r['fraction_of_matmul_rate']['fast']:.0f}%",
                    ha="center", va="bottom")
        ax.margins(y=0.12)
        ax.set_xticks(range(len(group)), [f"{r['threads']} thread{'s' * (r['threads'] > 1)}"
                                          for r in group])
        ax.set(ylabel="GFLOP/s", title=f"{dtype}: FLOPs of the step / time")
    style.legend_below(fig, axes=[axes[0][0]], ncol=3)
    return fig


def profile_shares(prof):
    """Stacked bars: the share of each part of ``PARTS`` in the samples of the readable and the
    fast step, from the report's ``sections["profile"]``. Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.4, 3.4), layout="constrained")
    for y, which in enumerate(("readable", "fast")):
        left = 0.0
        for k, part in enumerate(PARTS):
            share = 100 * prof[which].get("fractions", {}).get(part, 0.0)
            ax.barh(y, share, left=left, color=COLORS[k], label=part if y == 0 else None)
            if share >= 6:
                ax.text(left + share / 2, y, f"{share:.0f}%", ha="center", va="center",
                        color=style.PAPER)
            left += share
    ax.set_yticks([0, 1], ["readable step", "fast step"])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the step's samples (%)")
    ax.set_title(f"py-spy profile, {'-'.join(map(str, prof['sizes']))}, m = {prof['m']}, {prof['dtype']}")
    style.legend_below(fig, ncol=3)
    return fig


def vjp_vs_jacobian(fig, N):
    """Interactive: the report's section "scaling" on log-log axes, with the width ``N`` (one of
    the measured widths) marked, and bars of the two times at that width."""
    sc = load_results()["sections"]["scaling"]
    Ns = [r["N"] for r in sc["rows"]]
    t_vjp = np.array([1e3 * r["median_s"]["vjp"] for r in sc["rows"]])        # ms
    t_jac = np.array([1e3 * r["median_s"]["jacobian"] for r in sc["rows"]])   # ms
    ax_log, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    ax_log.loglog(Ns, t_vjp, "o-", label=f"VJP chain, slope {sc['slopes']['vjp']:.2f}")
    ax_log.loglog(Ns, t_jac, "s-", label=f"Jacobian chain, slope {sc['slopes']['jacobian']:.2f}")
    (picked,) = ax_log.plot([], [], "o", ms=11, mfc="none", mec=style.INK, label="selected N")
    guide = ax_log.axvline(N, color=style.FAINT, ls=":", lw=1)
    ax_log.set(xlabel="width N", ylabel="median time (ms)", title=f"K = {sc['K']} factors, float64")
    style.legend_below(fig, axes=[ax_log], ncol=3)
    bars = ax_bar.bar(["VJP chain", "Jacobian chain"], [1.0, 1.0], color=COLORS[:2], zorder=2)
    ax_bar.set_yscale("log")
    ax_bar.set(ylabel="median time (ms)", ylim=(t_vjp.min() / 3, t_jac.max() * 3))

    def update(N):
        if N not in Ns:
            raise ValueError(f"N = {N} is not a width of the committed results; they have {Ns}")
        k = Ns.index(N)
        picked.set_data([N, N], [t_vjp[k], t_jac[k]])
        guide.set_xdata([N, N])
        bars[0].set_height(t_vjp[k])
        bars[1].set_height(t_jac[k])
        ax_bar.set_title(f"N = {N}: ratio {t_jac[k] / t_vjp[k]:,.0f}")

    update(N)
    return update
