"""Figures of the chapter `jacobian` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import functools

import numpy as np

from .. import jacobian, landscapes, optim
from ..activations import sigmoid
from . import style
from .gradient import SIX_X, SIX_Y

#: The chapter's layer ``f(x) = sigmoid(W x + b)`` from R^2 to R^2, and its point ``x0``.
LAYER_W = np.array([[1.5, -1.0], [0.8, 2.0]])
LAYER_B = np.array([[0.2], [-0.4]])
LAYER_X0 = np.array([[0.4], [0.1]])


def _layer(v):
    """``sigmoid(W v + b)`` for ``v`` of shape ``(2, k)``, ``k`` inputs as columns: ``(2, k)``."""
    return sigmoid(LAYER_W @ v + LAYER_B)


@functools.cache
def linearization_errors():
    """The layer's Jacobian at ``x0`` and how well it predicts the change of the layer.

    Returns ``(J0, radii, change, error, slope)``: ``J0 = diag(sigma'(z)) W`` (2, 2); for 40
    nudge sizes ``radii``, the largest ``||f(x0 + r u) - f(x0)||`` and
    ``||f(x0 + r u) - f(x0) - J0 r u||`` over 16 unit directions ``u``, each ``(40,)``; and
    the fitted log-log slope of the error for ``r <= 0.1`` (about 2).
    """
    J0 = jacobian.elementwise_jacobian(LAYER_W @ LAYER_X0 + LAYER_B) @ LAYER_W
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    U = np.vstack([np.cos(angles), np.sin(angles)])              # (2, 16)
    radii = np.geomspace(1e-3, 2.0, 40)
    moved = [_layer(LAYER_X0 + r * U) - _layer(LAYER_X0) for r in radii]      # each (2, 16)
    change = np.array([np.linalg.norm(d, axis=0).max() for d in moved])
    error = np.array([np.linalg.norm(d - J0 @ (r * U), axis=0).max() for d, r in zip(moved, radii)])
    small = radii <= 0.1
    slope = np.polyfit(np.log(radii[small]), np.log(error[small]), 1)[0]
    return J0, radii, change, error, slope


def _patch_lines(r, J0):
    """Grid lines of the square of half-width ``r`` around ``x0``, mapped by ``f`` and by its
    linear approximation, relative to ``f(x0)`` and magnified by ``1/r``. Each line (2, 41)."""
    s = np.linspace(-1, 1, 41)
    curved, straight = [], []
    for c in np.linspace(-1, 1, 9):                   # 9 grid lines each way
        for du in (np.vstack([s, np.full_like(s, c)]), np.vstack([np.full_like(s, c), s])):
            curved.append((_layer(LAYER_X0 + r * du) - _layer(LAYER_X0)) / r)
            straight.append(J0 @ du)                  # (J r du) / r: the same for every r
    return curved, straight


def linearization(fig, r):
    """Interactive: the layer near ``x0`` and its linear approximation, magnified by ``1/r``
    (left), and the change and the error against the nudge size (right). ``r`` is text."""
    from matplotlib.collections import LineCollection

    J0, radii, change, error, slope = linearization_errors()
    ax_map, ax_err = fig.subplots(1, 2)
    curved, straight = _patch_lines(1.0, J0)
    # One collection per family of grid lines: one artist to draw instead of dozens.
    lines_f = LineCollection([c.T for c in curved], colors=style.COLORS[0], linewidths=1.2,
                             label=r"$f(x_0 + \Delta x)$")
    lines_J = LineCollection([s.T for s in straight], colors=style.COLORS[1], linewidths=1,
                             linestyles="--", label=r"$f(x_0) + J\,\Delta x$")
    ax_map.add_collection(lines_f)
    ax_map.add_collection(lines_J)
    ax_map.plot(0, 0, "o", color=style.INK, ms=4, label="$f(x_0)$")
    pts = np.hstack(curved + straight)          # (2, many) at r = 1, the widest patch
    lo, hi = pts.min(axis=1), pts.max(axis=1)
    pad = 0.08 * (hi - lo)
    ax_map.set(xlabel=r"$(y_1 - f_1(x_0))\,/\,r$", ylabel=r"$(y_2 - f_2(x_0))\,/\,r$",
               xlim=(lo[0] - pad[0], hi[0] + pad[0]), ylim=(lo[1] - pad[1], hi[1] + pad[1]))

    ax_err.loglog(radii, change, color=style.COLORS[2],
                  label=r"change $\|f(x_0+\Delta x) - f(x_0)\|$")
    ax_err.loglog(radii, error, color=style.COLORS[1],
                  label=r"error $\|f(x_0+\Delta x) - f(x_0) - J\Delta x\|$")
    ref = radii <= 0.2
    ax_err.loglog(radii[ref], 5 * error[0] * (radii[ref] / radii[0]) ** 2, ":",
                  color=style.MUTED, label="slope 2 (reference)")
    marker = style.on_top(ax_err.axvline(float(r), color=style.INK, lw=1, label="current $r$"))
    (dots,) = ax_err.plot([], [], "o", color=style.INK, ms=5)
    style.on_top(dots)
    ax_err.set(xlabel=r"size of the nudge $\|\Delta x\|$", ylabel="norm (output units)",
               title=f"error like $r^2$ (fitted slope {slope:.2f})", ylim=(1e-8, 3))
    style.decade_ticks(ax_err)
    title_map = style.live_text(ax_map.set_title(""))
    style.legend_below(fig, ncol=3)

    def update(r):
        r = float(r)                            # the slider's choices are text
        curved, _ = _patch_lines(r, J0)
        lines_f.set_segments([c.T for c in curved])             # each (41, 2): points as rows
        title_map.set_text(f"half-width r = {r:g}, magnified by 1/r")
        marker.set_xdata([r, r])
        k = np.argmin(np.abs(np.log(radii / r)))                 # nearest measured radius
        dots.set_data([radii[k], radii[k]], [change[k], error[k]])

    update(r)
    return update


def difference_errors(steps, errors):
    """Static: relative error of finite-difference Jacobians against the step ``h``.

    ``steps`` (k,) are the steps; ``errors`` maps a variant's name to its ``(k,)`` errors.
    Returns the Figure.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 4.2), layout="constrained")
    for (name, errs), color in zip(errors.items(), style.COLORS):
        ax.loglog(steps, errs, "o-", ms=3, color=color, label=name)
    for name in ("float64", "float32"):      # named in the legend, which sits below the data
        ax.axvline(np.finfo(name).eps ** (1 / 3), color=style.MUTED, ls=":", lw=1.2,
                   label=r"$h = \varepsilon^{1/3}$ of float64, float32" if name == "float64" else None)
    ax.set(xlabel="step $h$", ylabel="relative error of the Jacobian",
           title="Finite differences: rounding (left), truncation (right)",
           ylim=(1e-13, 3))
    style.legend_below(fig, ncol=2)
    return fig


NEURON_STEPS = 40
NEURON_W_LIM, NEURON_B_LIM = (-2.0, 5.0), (-3.0, 3.0)


@functools.cache
def neuron_minimum():
    """The minimum ``(w, b)`` of the neuron's cost on the six points: 300 steps at rate 40
    from (1, 0), as in the chapter. Shape (2,)."""
    def grad(t):
        return landscapes.neuron_grad(t, SIX_X, SIX_Y)
    return optim.gradient_descent(grad, np.array([[1.0], [0.0]]), 40.0, 300)[-1, :, 0]


def vjp_descent(eta, start):
    """Path ``(NEURON_STEPS + 1, 2)`` of gradient descent with the VJP ``J_f^T (f - y) / m``."""
    m = SIX_X.shape[1]

    def vjp_grad(t):
        r = landscapes.neuron_outputs(t, SIX_X) - SIX_Y.T              # (m, 1)
        return landscapes.neuron_jacobian(t, SIX_X).T @ r / m          # (2, 1)
    return optim.gradient_descent(vjp_grad, np.reshape(start, (2, 1)), eta, NEURON_STEPS)[:, :, 0]


def neuron_descent(fig, eta, start):
    """Interactive: the one-neuron fit by gradient descent at rate ``eta`` from ``start`` (w, b):
    the path over the cost (left), the data, the curves and the residuals (right)."""
    x_curve = np.linspace(-4, 4.5, 100)              # (100,) inputs for the curve
    ax_path, ax_fit = fig.subplots(1, 2)
    style.cost_bands(ax_path, lambda a, c: landscapes.neuron_cost_grid(a, c, SIX_X, SIX_Y),
                     NEURON_W_LIM, NEURON_B_LIM, 20, log=True, n=200)
    ax_path.set(xlabel="weight $w$", ylabel="bias $b$")
    ax_path.plot(*neuron_minimum(), "*", color=style.COLORS[4], ms=12, mec=style.INK,
                 label="minimum")
    set_path = style.descent_path(ax_path, NEURON_W_LIM, NEURON_B_LIM, margin=0.02)  # far: at the edge

    ax_fit.plot(SIX_X[0], SIX_Y[0], "o", color=style.INK, ms=5, zorder=3, label="data $(x_k, y_k)$")
    (curve_start,) = ax_fit.plot([], [], color=style.MUTED, lw=1.2, ls="--", label="start curve")
    (curve_end,) = ax_fit.plot([], [], color=style.COLORS[0], lw=2,
                               label=f"after {NEURON_STEPS} steps")
    resid = [ax_fit.plot([], [], color=style.COLORS[1], lw=2)[0] for _ in range(SIX_X.shape[1])]
    resid[0].set_label(r"residuals $f(\theta) - y$")
    ax_fit.set(xlabel="input $x$", ylabel=r"prediction $\sigma(w x + b)$",
               ylim=(-0.05, 1.05), xlim=(x_curve.min(), x_curve.max()))
    title_path, title_fit = (style.live_text(ax.set_title("")) for ax in (ax_path, ax_fit))
    style.legend_below(fig, ncol=4)

    def update(eta, start):
        path = vjp_descent(eta, start)
        set_path(path, start)
        title_path.set_text(f"path over the cost, η = {eta:g}")
        w_end, b_end = path[-1]
        curve_start.set_data(x_curve, sigmoid(start[0] * x_curve + start[1]))
        curve_end.set_data(x_curve, sigmoid(w_end * x_curve + b_end))
        pred = sigmoid(w_end * SIX_X[0] + b_end)
        for k, line in enumerate(resid):
            line.set_data([SIX_X[0, k]] * 2, [SIX_Y[0, k], pred[k]])
        cost_end = landscapes.neuron_cost(path[-1].reshape(2, 1), SIX_X, SIX_Y)
        title_fit.set_text(f"fit after {NEURON_STEPS} steps: cost {cost_end:.4f}")

    update(eta, start)
    return update
