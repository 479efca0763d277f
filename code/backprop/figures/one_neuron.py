"""Figures of the chapter "One neuron, one weight" (`one_neuron`): drawing only, the math is in
``backprop.neuron``.

- ``weight_iterates``: the weights of gradient descent against the update (static);
- ``descent_regimes``: the iterates on the cost parabola, the weight and the cost against the
  update, for a learning rate and a start (interactive);
- ``joint_vs_staged``: two linear neurons, descent on both weights against the thread's two
  stages, over the cost's contours (static).
"""

from __future__ import annotations

import numpy as np

from .. import neuron
from . import style
from .style import COLORS

#: The worked example of the thread (source 001): input x, target y.
X_THREAD, Y_THREAD = 5.7, 50.1
#: Updates drawn by ``descent_regimes``.
STEPS = 30


def weight_iterates(weights, w_star, eta):
    """The weights ``w_0 ... w_k`` (shape ``(k + 1,)``) against the update, with ``w*`` dashed.

    ``eta`` is the learning rate of the run, for the title. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    weights = np.asarray(weights, dtype=float)
    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    ax.plot(np.arange(weights.size), weights, "o-", ms=4, label=r"$w_k$, gradient descent")
    ax.axhline(w_star, color=COLORS[1], ls="--", label=r"$w^\star = y/x$")
    ax.set(xlabel="update $k$", ylabel="weight $w_k$",
           title=rf"One neuron, $\eta = {eta:g}$, $w_0 = {weights[0]:g}$")
    style.legend_below(fig, ncol=2)
    return fig


def descent_regimes(fig, eta, w0):
    """Interactive: ``STEPS`` updates of one weight on the thread's example, from ``w0`` with
    rate ``eta``; the title names the regime (monotone, oscillating, diverging) from the ratio
    ``r = 1 - 2 eta x^2`` of successive errors."""
    x, y = X_THREAD, Y_THREAD
    ax_par, ax_w, ax_c = fig.subplots(1, 3)
    w_curve = np.linspace(-45.0, 65.0, 300)                      # (300,) for the parabola
    ax_par.plot(w_curve, neuron.one_weight_cost(w_curve, x, y), color=style.FAINT, lw=1.2, label=r"$C(w)$")
    (zigzag,) = ax_par.plot([], [], "o-", ms=3, lw=0.8, color=COLORS[0], label="iterates")
    ax_par.set(xlabel="weight $w$", ylabel="cost $C$", title="iterates on the cost",
               xlim=(-45, 65), ylim=(-5e3, 1.3e5))

    ax_w.axhline(y / x, color=COLORS[1], ls="--", lw=1.2, label=r"$w^\star$")
    (w_line,) = ax_w.plot([], [], "o-", ms=3, color=COLORS[0], label="$w_k$")
    ax_w.set(xlabel="update $k$", ylabel="weight $w_k$", xlim=(0, STEPS), ylim=(-45, 65))

    (c_line,) = ax_c.semilogy([], [], "o-", ms=3, color=COLORS[2], label="$C(w_k)$")
    ax_c.set(xlabel="update $k$", ylabel="cost (log scale)", xlim=(0, STEPS),
             ylim=(1e-12, 1e12), title="cost against update")
    style.legend_below(fig, ncol=5)
    k = np.arange(STEPS + 1)

    def update(eta, w0):
        path = neuron.descend(w0, x, y, eta, STEPS)             # (STEPS + 1,)
        shown = np.clip(path, -1e3, 1e3)                        # keep diverging runs drawable
        zigzag.set_data(shown, neuron.one_weight_cost(shown, x, y))
        w_line.set_data(k, shown)
        c_line.set_data(k, np.maximum(neuron.one_weight_cost(path, x, y), 1e-12))
        r = neuron.contraction(x, eta)
        regime = "monotone" if r > 0 else "oscillating" if r > -1 else "diverging"
        ax_w.set_title(f"r = {r:+.3f}: {regime}")

    update(eta, w0)
    return update


def joint_vs_staged(joint, staged, x, y):
    """Two linear neurons, ``C = (w^1 w^2 x - y)^2``: contours (log scale), the valley of
    minima, and two paths of shape ``(k, 2)`` holding ``(w^1, w^2)``: gradient descent on both
    weights (``joint``) and the two stages, ``w^2`` then ``w^1`` (``staged``). Returns the Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    fig, ax = plt.subplots(figsize=(6.0, 4.6), layout="constrained")
    g1, g2 = np.meshgrid(np.linspace(-0.5, 3.0, 200), np.linspace(-1.0, 3.0, 200))
    cs = ax.contourf(g1, g2, neuron.chain_cost(np.stack([g1, g2]), x, y),
                     levels=np.geomspace(1e-3, 60, 16), cmap=style.COST_MAP, norm=LogNorm())
    fig.colorbar(cs, ax=ax, label="cost $C$ (log scale)", ticks=[1e-3, 1e-2, 1e-1, 1, 10])
    w1_curve = np.linspace(0.6, 3.0, 100)
    ax.plot(w1_curve, y / (x * w1_curve), "--", color=COLORS[3], lw=1.5,   # seen on the dark valley
            label=r"minima: $w^1 w^2 x = y$")
    ax.plot(*np.asarray(joint).T, "o-", ms=3, color=COLORS[1],
            label="gradient descent (both weights)")
    ax.plot(*np.asarray(staged).T, "s-", ms=3, color=COLORS[4],
            label="two stages ($w^2$, then $w^1$)")
    ax.set(xlabel="$w^1$", ylabel="$w^2$", xlim=(-0.5, 3.0), ylim=(-1.0, 3.0),
           title=rf"Two linear neurons: $C = (w^1 w^2 x - y)^2$, $x = {x:g}$, $y = {y:g}$")
    style.legend_below(fig, ncol=2)
    return fig
