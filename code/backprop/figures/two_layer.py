"""Figures of the chapter "The two-layer network" (`two_layer`): drawing only, the math is in
``backprop.network``.

- ``xor_training``: a 2-n₁-1 network trained on XOR, its output and decision boundary over
  the plane and its cost during training, for a width and a learning rate (interactive).
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from .. import data, network, optim, training
from . import style
from .style import COLORS

#: Full-batch gradient-descent updates of each training run.
STEPS = 250
#: The square drawn, ``[-LIM, LIM]^2``, and the points of its output map.
LIM, GRID = 2.2, 90


@lru_cache(maxsize=1)
def _xor_points():
    """The chapter's XOR examples, corners moved to -1 and +1: ``(2, 100)``, ``(1, 100)``."""
    X, Y = data.xor(m=100, noise=0.2, seed=0)
    return 2.0 * (X - 0.5), Y


def _grid():
    g = np.linspace(-LIM, LIM, GRID)
    return np.meshgrid(g, g)                                     # (GRID, GRID) each


@cache
def _xor_run(n_hidden, eta):
    """Train a 2-n_hidden-1 network (seed 3) for ``STEPS`` updates of rate ``eta``.

    Returns the costs ``(STEPS + 1,)``, the output over the grid ``(GRID, GRID)`` and the
    boundary ``a^2 = 0.5`` as a list of ``(k, 2)`` polylines. Each run is computed once.
    """
    import contourpy  # matplotlib's own contouring library, to extract the boundary a = 0.5

    X, Y = _xor_points()
    params = network.init_params([2, int(n_hidden), 1], seed=3)
    costs = []
    for _ in range(STEPS):
        cost, grads = network.loss_and_grads(params, X, Y)
        costs.append(cost)
        params = optim.sgd_step(params, grads, eta)
    costs.append(network.cost(params, X, Y))
    G1, G2 = _grid()
    surface = training.predict(params, np.vstack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    boundary = contourpy.contour_generator(G1, G2, surface).lines(0.5)
    return np.array(costs), surface, boundary


def xor_training(fig, n_hidden, eta):
    """Interactive: the network's output map with its boundary and the XOR points, and its cost
    against the update, after training ``n_hidden`` hidden neurons at rate ``eta``."""
    from matplotlib.collections import LineCollection

    X, Y = _xor_points()
    ax_map, ax_cost = fig.subplots(1, 2)
    fig.get_layout_engine().set(wspace=0.12)
    costs, surface, boundary = _xor_run(n_hidden, eta)
    # The map changes at every move; with the axis (ticks and labels) drawn below it and
    # no grid, a redraw repaints the map and what lies on it, not the axis texts.
    ax_map.grid(False)
    ax_map.set_axisbelow(True)
    image = ax_map.imshow(surface, origin="lower", extent=(-LIM, LIM, -LIM, LIM),
                          cmap=style.pale_diverging(), vmin=0.0, vmax=1.0, zorder=1)
    fig.colorbar(image, ax=ax_map, label="output $a^2$", shrink=0.9)
    lines = LineCollection(boundary, colors=style.INK, linewidths=1.5,
                           label="boundary $a^2 = 0.5$")
    ax_map.add_collection(lines)
    for label, marker, color in [(0, "o", COLORS[0]), (1, "s", COLORS[1])]:
        ax_map.scatter(*X[:, Y[0] == label], marker=marker, s=20, color=color,
                       edgecolors=style.INK, linewidths=0.6, label=f"class {label}")
    ax_map.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(-LIM, LIM), ylim=(-LIM, LIM),
               title="output over the plane")
    style.legend_below(fig, axes=[ax_map], ncol=3)

    (cost_line,) = ax_cost.semilogy(np.arange(STEPS + 1), costs, color=COLORS[2])
    ax_cost.set(xlabel="gradient-descent update", ylabel="cost $C$ (log scale)",
                xlim=(0, STEPS), ylim=(1e-3, 0.3))

    def update(n_hidden, eta):
        costs, surface, boundary = _xor_run(n_hidden, eta)
        image.set_data(surface)
        lines.set_segments(boundary)
        cost_line.set_ydata(costs)
        ax_cost.set_title(f"n₁ = {int(n_hidden)}, η = {eta:g}: final cost {costs[-1]:.3f}")

    update(n_hidden, eta)
    return update
