"""Figures of the chapter "Softmax and cross-entropy" (`softmax_ce`): drawing only, the math is in
``backprop.activations``, ``backprop.losses`` and ``backprop.network``.

- ``temperature``: the probabilities ``softmax(z / T)``, the gradient ``a - t`` and the loss
  curve, for the true class's logit and a temperature (interactive);
- ``blob_regions``: decision regions and cost of a softmax classifier trained by gradient
  descent on three blobs, for a learning rate and a width (interactive).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import activations, data, losses, network, optim, training
from . import style
from .style import COLORS

# -- temperature ------------------------------------------------------------------------------

#: Logits of classes 1, 2 and 4; the true class 3 gets the slider's logit ``z3``.
OTHERS = (2.0, 1.0, -1.0)
#: One-hot target, class 3.
TARGET = np.array([0.0, 0.0, 1.0, 0.0])
#: The temperatures of the loss curves share one y range (the chapter's slider grid).
TEMPERATURES = (0.5, 1.0, 1.5, 2.0)


def _logits(z3):
    """The four logits, ``(4,)``, with ``z3`` for the true class; ``z3`` may be ``(k,)``: then ``(4, k)``."""
    z3 = np.asarray(z3, dtype=float)
    return np.stack([np.full_like(z3, OTHERS[0]), np.full_like(z3, OTHERS[1]), z3,
                     np.full_like(z3, OTHERS[2])])


def _loss_curve(z3_grid, T):
    """The loss ``(k,)`` over a grid ``(k,)`` of true-class logits, at temperature ``T``."""
    T_grid = np.repeat(TARGET[:, None], z3_grid.size, axis=1)              # (4, k)
    return losses.cross_entropy_with_logits(_logits(z3_grid) / T, T_grid)


def temperature(fig, z3, T):
    """Interactive: bars of ``a = softmax(z / T)`` against the target, bars of ``a - t``, and the
    loss against the true-class logit with the current ``z3`` marked."""
    ax_p, ax_g, ax_l = fig.subplots(1, 3)
    z3_grid = np.linspace(-4.0, 5.0, 181)                                  # for the loss curve
    classes = np.arange(1, 5)
    colors = [COLORS[0]] * 2 + [COLORS[1]] + [COLORS[0]]
    for ax in (ax_p, ax_g):
        ax.set_axisbelow(True)   # grid and ticks under the bars: a redraw repaints only bars
    p_bars = ax_p.bar(classes, np.zeros(4), color=colors, label="$a = $ softmax$(z/T)$")
    ax_p.plot(classes, TARGET, "_", color=style.INK, ms=18, mew=2, label="target $t$")
    ax_p.set(xticks=classes, ylim=(0, 1.05), xlabel="class $i$",
             ylabel="probability $a_i$", title="probabilities")
    g_bars = ax_g.bar(classes, np.zeros(4), color=colors)
    ax_g.axhline(0, color=style.INK, lw=0.8)
    ax_g.set(xticks=classes, ylim=(-1.05, 1.05), xlabel="class $i$",
             ylabel=r"$\partial \ell/\partial (z_i/T) = a_i - t_i$", title="gradient")
    (curve,) = ax_l.plot(z3_grid, _loss_curve(z3_grid, T), label=r"loss $\ell$")
    (point,) = ax_l.plot([z3], [0.0], "o", color=COLORS[1], label="current $z_3$")
    # One y range for every temperature, so that the curves can be compared.
    L_max = 1.05 * max(_loss_curve(z3_grid, T_).max() for T_ in TEMPERATURES)
    ax_l.set(xlabel="logit of the true class $z_3$", ylabel=r"$\ell$ (nats)",
             xlim=(-4, 5), ylim=(0, L_max), title="loss")
    style.legend_below(fig, ncol=4)

    def update(z3, T):
        z_now = _logits(z3) / T
        a_now = activations.softmax(z_now)
        for bar, h in zip(p_bars, a_now, strict=True):
            bar.set_height(h)
        for bar, h in zip(g_bars, a_now - TARGET, strict=True):
            bar.set_height(h)
        L_now = losses.cross_entropy_with_logits(z_now, TARGET)
        curve.set_ydata(_loss_curve(z3_grid, T))
        point.set_data([z3], [L_now])
        ax_g.set_title(f"gradient (ℓ = {float(L_now):.2f} nats)")

    update(z3, T)
    return update


# -- decision regions -------------------------------------------------------------------------

#: Full-batch gradient-descent steps of each run; the drawn square ``[-LIM, LIM]^2``.
STEPS, LIM = 150, 4.5


@cache
def _blobs():
    """The chapter's three blobs: ``X (2, 240)``, one-hot ``Y (3, 240)``, ``labels (240,)``."""
    return data.blobs(m=240, k=3, spread=0.9, seed=1)


def _grid():
    g = np.linspace(-LIM, LIM, 70)
    return np.meshgrid(g, g)                                               # (70, 70) each


@cache
def _blob_run(eta, n_1):
    """Full-batch gradient descent of a 2-n_1-3 network (seed 0) at rate ``eta``.

    Returns the costs ``(STEPS + 1,)``, the predicted class over the grid ``(70, 70)`` and the
    training accuracy. Each run is computed once.
    """
    X, Y, labels = _blobs()
    params = network.init_params([2, int(n_1), 3], seed=0)
    costs = []
    for _ in range(STEPS):
        cost, grads = network.loss_and_grads(params, X, Y, "cross_entropy")
        costs.append(cost)
        params = optim.sgd_step(params, grads, eta)      # W <- W - eta grad_W
    costs.append(network.cost(params, X, Y, loss="cross_entropy"))
    GX, GY = _grid()
    regions = training.predict_labels(params, np.vstack([GX.ravel(), GY.ravel()]))
    return np.array(costs), regions.reshape(GX.shape), training.accuracy(params, X, labels)


def blob_regions(fig, eta, n_1):
    """Interactive: the decision regions over the blobs, and the training cost against the step,
    after training ``n_1`` hidden units at rate ``eta``."""
    from matplotlib.colors import ListedColormap

    X, _, labels = _blobs()
    ax_r, ax_c = fig.subplots(1, 2)
    costs, regions, _ = _blob_run(eta, n_1)
    ax_r.grid(False)
    ax_r.set_axisbelow(True)     # the axis under the map: a redraw repaints the map, not the ticks
    light = ListedColormap([style.pale(c) for c in COLORS[:3]])  # the palette, paler
    image = ax_r.imshow(regions, origin="lower", extent=(-LIM, LIM, -LIM, LIM),
                        cmap=light, vmin=0, vmax=2, interpolation="nearest", zorder=1)
    for c in range(3):
        keep = labels == c
        ax_r.scatter(X[0, keep], X[1, keep], s=10, color=COLORS[c], marker="o^s"[c],
                     edgecolors=style.INK, linewidths=0.3, label=f"class {c + 1}")
    ax_r.set(xlabel="$x_1$", ylabel="$x_2$", title="decision regions", aspect="equal")
    style.legend_below(fig, axes=[ax_r], ncol=3, markerscale=1.5)
    (line,) = ax_c.plot(np.arange(STEPS + 1), costs)
    ax_c.set(xlabel="gradient-descent step", ylabel="training cost $C$ (nats)",
             xlim=(0, STEPS), ylim=(0, 1.3), title="cost")

    def update(eta, n_1):
        costs, regions, acc = _blob_run(eta, n_1)
        image.set_data(regions)
        line.set_ydata(costs)
        ax_r.set_title(f"decision regions (accuracy {acc:.0%})")

    update(eta, n_1)
    return update
