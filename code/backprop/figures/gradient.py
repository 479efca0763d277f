"""Figures of the chapter `gradient` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import numpy as np

from .. import landscapes, optim
from . import style

#: The chapter's bowl ``C(w) = w^T H w / 2``: eigenvalues 4 (along (1, 1)) and 1 (along (1, -1)).
BOWL = np.array([[2.5, 1.5],
                 [1.5, 2.5]])

#: The six points ``(x_k, y_k)`` that one sigmoid neuron fits in the chapters `gradient`
#: and `jacobian`: inputs and targets as rows ``(1, m)``.
SIX_X = np.array([[-3.0, -1.5, -0.5, 0.5, 2.0, 3.5]])
SIX_Y = np.array([[0.05, 0.15, 0.45, 0.55, 0.90, 0.95]])

BOWL_STEPS = 30
BOWL_LIM = (-3.2, 3.2)


def cost_surface(X, Y):
    """Static: the cost ``C(w, b)`` of one sigmoid neuron on the points ``(X, Y)`` (rows ``(1, m)``)
    as a 3-D surface over its contours, with the gradient field on the floor and followed
    on the surface. Returns the Figure."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    def cost(w, b):
        return landscapes.neuron_cost_grid(w, b, X, Y)

    w_grid, b_grid = np.meshgrid(np.linspace(-2, 4, 40), np.linspace(-3, 3, 40))  # (40, 40)
    C_grid = cost(w_grid, b_grid)
    i_min = np.unravel_index(np.argmin(C_grid), C_grid.shape)
    # The cost axis is drawn stretched by `scale` so that the three axes have comparable
    # lengths (3-D arrows are drawn in data units); its tick labels show the true cost.
    scale, floor = 20.0, -3.0
    w_a, b_a = np.meshgrid(np.linspace(-1.5, 3.5, 6), np.linspace(-2.5, 2.5, 6))  # arrow feet
    C_a = cost(w_a, b_a)
    g_w, g_b = landscapes.neuron_grad_grid(w_a, b_a, X, Y)        # each (6, 6)
    g_norm = np.hypot(g_w, g_b)
    step = 0.7                   # length of the climb along the surface, in (w, b)
    C_up = cost(w_a + step * g_w / g_norm, b_a + step * g_b / g_norm)

    fig = plt.figure(figsize=(8.0, 6.2), dpi=110, layout="constrained")
    ax = fig.add_subplot(projection="3d", computed_zorder=False)
    ax.contourf(w_grid, b_grid, scale * C_grid, levels=20, zdir="z", offset=floor,
                cmap=style.COST_MAP, alpha=0.9)
    ax.plot_surface(w_grid, b_grid, scale * C_grid, cmap=style.SURFACE_MAP, alpha=0.6, linewidth=0)
    ax.quiver(w_a, b_a, np.full_like(w_a, floor), g_w, g_b, 0 * g_w, length=8.0,
              color=style.COLORS[1], linewidth=1.5, arrow_length_ratio=0.3,
              label=r"$\nabla_\theta C$ in the $(w, b)$ plane (8× longer)")
    ax.quiver(w_a, b_a, scale * C_a, step * g_w / g_norm, step * g_b / g_norm,
              scale * (C_up - C_a), color=style.INK, linewidth=1.5, arrow_length_ratio=0.35,
              label="the same direction, followed on the surface")
    ax.scatter([w_grid[i_min]], [b_grid[i_min]], [floor], marker="*", s=150,
               color=style.COLORS[4], edgecolor=style.INK, label="minimum")
    ax.set_zlim(floor, scale * 0.3)
    ax.set_zticks(scale * np.array([0.0, 0.1, 0.2, 0.3]))
    ax.zaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / scale:.1f}"))
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")
    ax.set_zlabel("cost $C(w, b)$")
    ax.set_title("Cost of one sigmoid neuron on six points, with its gradient field")
    ax.view_init(elev=30, azim=-55)
    ax.set_box_aspect(None, zoom=1.2)           # fill the figure
    style.legend_below(fig, ncol=2)
    return fig


def directional_rates(X, Y, theta, phi, D):
    """Static: the measured rates ``D[k]`` of the neuron's cost at ``theta`` (2, 1) in the
    directions of angle ``phi[k]`` (radians), on the contours (left) and against the
    angle with ``||grad|| cos(phi - phi_g)`` (right). Returns the Figure."""
    import matplotlib.pyplot as plt

    w0, b0 = float(theta[0, 0]), float(theta[1, 0])
    g = landscapes.neuron_grad(theta, X, Y)                      # (2, 1)
    g_norm = np.linalg.norm(g)
    g_angle = np.rad2deg(np.arctan2(g[1, 0], g[0, 0])) % 360
    fig, (ax_dir, ax_rate) = plt.subplots(1, 2, figsize=(8.4, 4.4), layout="constrained")
    box, radius = 0.9, 0.5
    style.contour_panel(ax_dir, lambda a, c: landscapes.neuron_cost_grid(a, c, X, Y),
                        (w0 - box, w0 + box), (b0 - box, b0 + box), levels=15,
                        xlabel="weight $w$", ylabel="bias $b$", alpha=0.35)
    dots = ax_dir.scatter(w0 + radius * np.cos(phi), b0 + radius * np.sin(phi), c=D,
                          cmap=style.SIGNED_MAP, s=14, vmin=-g_norm, vmax=g_norm, zorder=3,
                          edgecolors=style.INK, linewidths=0.2)
    ax_dir.annotate("", xy=(w0 + radius * g[0, 0] / g_norm, b0 + radius * g[1, 0] / g_norm),
                    xytext=(w0, b0), arrowprops=dict(arrowstyle="-|>", color=style.INK, lw=1.8))
    ax_dir.plot([], [], color=style.INK, label=r"direction of $\nabla_\theta C$")
    ax_dir.plot(w0, b0, "o", color=style.INK, ms=4)
    ax_dir.set_aspect("equal")
    ax_dir.set_title(r"rate $D_u C$ in each direction $u$")
    fig.colorbar(dots, ax=ax_dir, label="rate $D_u C$ on the ring")
    fig.get_layout_engine().set(wspace=0.06)

    angles = np.rad2deg(phi)
    ax_rate.plot(angles, D, color=style.COLORS[0], lw=3, label="measured by finite differences")
    ax_rate.plot(angles, g_norm * np.cos(phi - np.deg2rad(g_angle)), "--", color=style.COLORS[1],
                 label=r"$\|\nabla_\theta C\| \cos(\varphi - \varphi_g)$")
    ax_rate.axvline(g_angle, color=style.INK, lw=1, label=r"angle of $\nabla_\theta C$")
    ax_rate.axhline(g_norm, color=style.MUTED, lw=1, ls=":", label=r"$\pm\|\nabla_\theta C\|$")
    ax_rate.axhline(-g_norm, color=style.MUTED, lw=1, ls=":")
    ax_rate.set(xlabel=r"angle $\varphi$ of $u$ (degrees)",
                ylabel="$D_u C$", xlim=(0, 360), xticks=np.arange(0, 361, 90),
                title="the rate peaks at the gradient's angle")
    style.legend_below(fig, ncol=3)
    return fig


def descent_on_bowl(eta, start):
    """Gradient descent on ``BOWL`` from ``start`` (2,): path ``(BOWL_STEPS + 1, 2)`` and costs."""
    path, costs = optim.gradient_descent(
        lambda v: landscapes.quadratic_grad(v, BOWL), np.reshape(start, (2, 1)), eta, BOWL_STEPS,
        cost=lambda v: landscapes.quadratic_cost(v, BOWL))
    return path[:, :, 0], costs


def regime(eta):
    """The regime of gradient descent on ``BOWL`` at rate ``eta``, as a title (mathtext)."""
    eta_mono, eta_div = landscapes.learning_rate_thresholds(BOWL)     # 1/4 and 1/2
    if np.isclose(eta, eta_mono):
        return r"$\eta = 1/\lambda_{\max}$: across the valley in one step"
    if np.isclose(eta, eta_div):
        return r"$\eta = 2/\lambda_{\max}$: bounces forever"
    if eta < eta_mono:
        return r"$\eta < 1/\lambda_{\max}$: monotone convergence"
    if eta < eta_div:
        return r"$1/\lambda_{\max} < \eta < 2/\lambda_{\max}$: oscillation"
    return r"$\eta > 2/\lambda_{\max}$: divergence"


def bowl_descent(fig, eta, start):
    """Interactive: gradient descent on the quadratic bowl at rate ``eta`` from ``start`` (w1, w2):
    the path over bands of equal cost (left) and the cost per step (right)."""
    ax_path, ax_cost = fig.subplots(1, 2)
    style.cost_bands(ax_path, lambda a, c: landscapes.quadratic_cost_grid(a, c, BOWL),
                     BOWL_LIM, BOWL_LIM, 15)
    ax_path.set(xlabel="$w_1$", ylabel="$w_2$")
    s = np.linspace(-4, 4, 2)
    ax_path.plot(s, s, "--", color=style.MUTED, lw=1)           # eigenvector directions of H
    ax_path.plot(s, -s, ":", color=style.MUTED, lw=1)
    ax_path.text(2.2, 2.75, r"$\lambda = 4$", ha="right")
    ax_path.text(2.3, -2.85, r"$\lambda = 1$")
    set_path = style.descent_path(ax_path, BOWL_LIM, BOWL_LIM)
    ax_path.set_aspect("equal")
    (line_cost,) = ax_cost.semilogy([], [], "o-", color=style.COLORS[1], ms=3, lw=1.2)
    style.decade_ticks(ax_cost, "y")
    ax_cost.set(xlabel="step $k$", ylabel=r"cost $C(w_k)$")
    # One range for every learning rate: converging and diverging runs share the scale.
    style.fixed_limits(ax_cost, (0, BOWL_STEPS), (1e-12, 1e10))
    title_path = style.live_text(ax_path.set_title(""))
    style.legend_below(fig, axes=[ax_path], ncol=2)

    def update(eta, start):
        path, costs = descent_on_bowl(eta, start)
        set_path(path, start)
        title_path.set_text(f"path on the bowl, η = {eta:.2f}")
        line_cost.set_data(np.arange(BOWL_STEPS + 1), np.clip(costs, 1e-12, 1e10))
        ax_cost.set_title(regime(eta), fontsize=style.FONT_PT)

    update(eta, start)
    return update

