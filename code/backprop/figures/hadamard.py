"""Figures of the chapter `hadamard` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import functools

import numpy as np

from .. import jacobian, network, optim, timing
from ..activations import sigmoid_prime
from . import style

PLATEAU_STEPS = 200


def jacobian_images(z):
    """Static: the sigmoid's diagonal Jacobian and the softmax's full one at ``z`` (a list or
    column of ``n`` numbers), as images with their entries written in. Returns the Figure."""
    import matplotlib.pyplot as plt

    z = np.asarray(z, dtype=float).reshape(-1, 1)                  # (n, 1)
    n = z.shape[0]
    panels = [(r"sigmoid: $\mathrm{diag}(\sigma'(z))$", jacobian.elementwise_jacobian(z, "sigmoid")),
              (r"softmax: $\mathrm{diag}(a) - a a^\top$", jacobian.softmax_jacobian(z))]
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 4.0), layout="constrained")
    for ax, (title, J) in zip(axes, panels):
        limit = np.abs(J).max()
        image = ax.imshow(J, cmap=style.SIGNED_MAP, vmin=-limit, vmax=limit)
        for (i, j), value in np.ndenumerate(J):
            ax.text(j, i, "0" if value == 0 else f"{value:.2f}".replace("0.", ".", 1),
                    ha="center", va="center",
                    color=style.PAPER if abs(value) > 0.6 * limit else style.INK)
        ax.set_xticks(range(n), [f"$z_{j + 1}$" for j in range(n)])
        ax.set_yticks(range(n), [f"$a_{i + 1}$" for i in range(n)])
        ax.set_xlabel("input $j$")
        ax.set_ylabel("output $i$")
        ax.set_title(title)
        ax.grid(False)
        fig.colorbar(image, ax=ax, shrink=0.8, label=r"$\partial a_i / \partial z_j$")
    fig.suptitle(f"Jacobians at z = {z[:, 0].tolist()}")
    return fig


def product_times(sizes, t_diag, n_had, t_had, fit_diag, fit_had):
    """Static: measured time of ``np.diag(s) @ g`` (at ``sizes``) and of ``s * g`` (at ``n_had``),
    with the lines fitted where the masks ``fit_diag`` and ``fit_had`` are true. Returns the Figure."""
    import matplotlib.pyplot as plt

    sizes, t_diag, n_had, t_had = (np.asarray(a) for a in (sizes, t_diag, n_had, t_had))
    fits = [(sizes[fit_diag], t_diag[fit_diag], style.COLORS[0]),
            (n_had[fit_had], t_had[fit_had], style.COLORS[1])]
    slopes = [timing.loglog_slope(n_fit, t_fit) for n_fit, t_fit, _ in fits]
    fig, ax = plt.subplots(figsize=(6.0, 4.2), layout="constrained")
    ax.loglog(sizes, t_diag, "o-", label=f"np.diag(s) @ v: slope {slopes[0]:.2f}")
    ax.loglog(n_had, t_had, "s-", label=f"s * v: slope {slopes[1]:.2f}")
    for (n_fit, t_fit, color), slope in zip(fits, slopes):
        style.power_law_fit(ax, n_fit, t_fit, slope, color)
    ax.set(xlabel="vector length $n$", ylabel="median time per product (s)",
           title="Multiplying by a diagonal Jacobian: matrix or Hadamard product")
    style.legend_below(fig, ncol=2)
    return fig


def _teacher_layer(seed=0, n_0=2, n_1=3, m=40):
    """A batch ``X (n_0, m)``, the targets ``Y (n_1, m)`` of a random sigmoid layer (the
    teacher), and a random starting ``W_0 (n_1, n_0)``, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_0, m))
    teacher = [(1.5 * rng.standard_normal((n_1, n_0)), 0.5 * rng.standard_normal((n_1, 1)))]
    _, activations = network.forward(teacher, X)
    return X, activations[1], rng.standard_normal((n_1, n_0))


@functools.cache
def train_layer(eta, scale):
    """``PLATEAU_STEPS`` steps of gradient descent on one sigmoid layer from ``W = scale W_0``,
    ``b = 0``. Returns the costs ``(PLATEAU_STEPS + 1,)`` and the batch mean of ``sigma'(z_i)``
    for each output, ``(PLATEAU_STEPS + 1, n_1)``."""
    X, Y, W_0 = _teacher_layer()
    params = [(scale * W_0, np.zeros((W_0.shape[0], 1)))]
    costs, slopes = np.empty(PLATEAU_STEPS + 1), np.empty((PLATEAU_STEPS + 1, W_0.shape[0]))
    for k in range(PLATEAU_STEPS + 1):
        zs, _ = network.forward(params, X)
        costs[k], grads = network.loss_and_grads(params, X, Y)
        slopes[k] = sigmoid_prime(zs[0]).mean(axis=1)
        params = optim.sgd_step(params, grads, eta)
    return costs, slopes


def sigmoid_plateau(fig, eta, scale):
    """Interactive: cost (left) and the mean factor ``sigma'(z_i)`` of each output (right) while
    one sigmoid layer trains at rate ``eta`` from weights of scale ``scale``."""
    ax_cost, ax_slope = fig.subplots(1, 2)
    k = np.arange(PLATEAU_STEPS + 1)
    n_out = train_layer(eta, scale)[1].shape[1]
    (cost_line,) = ax_cost.semilogy(k, np.ones(k.size))
    ax_cost.set(xlabel="gradient-descent step", ylabel="cost $C$ (log scale)")
    style.fixed_limits(ax_cost, (0, PLATEAU_STEPS), (1e-7, 1.0))
    cost_title = style.live_text(ax_cost.set_title(""))
    slope_lines = [ax_slope.plot(k, np.zeros(k.size), label=f"output {i + 1}")[0]
                   for i in range(n_out)]
    ax_slope.axhline(0.25, color=style.MUTED, ls=":", label=r"$\sigma'(0) = 1/4$")
    ax_slope.set(xlabel="gradient-descent step", ylabel=r"mean of $\sigma'(z_i)$ over the batch",
                 title=r"the factor $\sigma'(z)$ in $\delta = (a - y) \odot \sigma'(z)$")
    style.fixed_limits(ax_slope, (0, PLATEAU_STEPS), (0, 0.3))
    style.legend_below(fig, ncol=4)

    def update(eta, scale):
        costs, slopes = train_layer(eta, scale)
        cost_line.set_ydata(costs)
        cost_title.set_text(f"cost, η = {eta:g}, s = {scale:g}")
        for i, line in enumerate(slope_lines):
            line.set_ydata(slopes[:, i])

    update(eta, scale)
    return update
