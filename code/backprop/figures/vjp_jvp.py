"""Figures of the chapter `vjp_jvp` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import functools

import numpy as np

from .. import autodiff, timing
from . import style

CHAIN_STEPS = 300


def chain_times(N_values, t_materialize, t_vjp, fit, K):
    """Static: time of ``chain_jacobian`` then ``J^T v`` against ``chain_vjp`` through ``K``
    Jacobians of size ``N x N``, with lines fitted where the mask ``fit`` is true. Returns the Figure."""
    import matplotlib.pyplot as plt

    N_values = np.asarray(N_values)
    series = [np.asarray(t_materialize), np.asarray(t_vjp)]
    slopes = [timing.loglog_slope(N_values[fit], t[fit]) for t in series]
    fig, ax = plt.subplots(figsize=(6.0, 4.2), layout="constrained")
    ax.loglog(N_values, series[0], "o-", label=f"chain_jacobian, then $J^\\top v$: {slopes[0]:.2f}")
    ax.loglog(N_values, series[1], "s-", label=f"chain_vjp: {slopes[1]:.2f}")
    for t, slope, color in zip(series, slopes, style.COLORS):
        style.power_law_fit(ax, N_values[fit], t[fit], slope, color)
    ax.set(xlabel="width $N$ of each Jacobian", ylabel="median time (s)",
           title=f"Gradient through a chain of K = {K} Jacobians of size N × N")
    style.legend_below(fig, ncol=2, title="method: fitted slope")
    return fig


def mode_times(p_values, t_forward, t_reverse, n):
    """Static: time of the full Jacobian of a map from R^n to R^p by ``n`` JVPs and by ``p``
    VJPs, against ``p``. Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 4.0), layout="constrained")
    ax.loglog(p_values, t_forward, "o-", label=f"forward mode: {n} JVPs")
    ax.loglog(p_values, t_reverse, "s-", label="reverse mode: p VJPs")
    ax.set(xlabel=f"number of outputs $p$ (inputs: $n = {n}$)", ylabel="median time (s)",
           title=r"Full Jacobian of $x \mapsto \tanh(Wx + b)$, "
                 r"$\mathbb{R}^2 \to \mathbb{R}^p$")
    style.legend_below(fig, ncol=2)
    return fig


def _chain_data(m=24):
    """The chapter's regression data: ``X (1, m)`` evenly spaced in [-2, 2], ``Y = sin(1.5 X)``."""
    X = np.linspace(-2, 2, m).reshape(1, m)
    return X, np.sin(1.5 * X)


def _chain_params(depth, width=8, seed=1):
    """``depth`` hidden tanh layers of ``width`` units and a linear output unit, as the chapter
    initializes them: ``W^l`` standard normal over ``sqrt(n_{l-1})``, ``b^l`` normal of scale 0.1."""
    sizes = [1] + [width] * depth + [1]
    r = np.random.default_rng(seed)
    return [(r.standard_normal((n_l, n_prev)) / np.sqrt(n_prev), 0.1 * r.standard_normal((n_l, 1)))
            for n_prev, n_l in zip(sizes[:-1], sizes[1:])]


def _chain_cost_and_grads(params, X, Y):
    """Cost ``||a^L - Y||^2 / 2m`` of the tanh chain and its gradients, by the VJPs of
    ``backprop.autodiff`` (affine, then tanh, layer by layer from the output)."""
    a, inputs, zs = X, [], []
    for l, (W, b) in enumerate(params, start=1):
        inputs.append(a)
        zs.append(W @ a + b)
        a = np.tanh(zs[-1]) if l < len(params) else zs[-1]
    grad_Z = (a - Y) / X.shape[1]                          # the gradient of C at Z^L, (1, m)
    grads = []
    for l in range(len(params), 0, -1):
        grads.insert(0, autodiff.affine_vjp_params(inputs[l - 1], grad_Z))
        if l > 1:
            grad_A = autodiff.affine_vjp(params[l - 1][0], grad_Z)             # (n_{l-1}, m)
            grad_Z = autodiff.elementwise_vjp(zs[l - 2], grad_A, "tanh")
    return 0.5 * np.sum((a - Y) ** 2) / X.shape[1], grads


@functools.cache
def train_chain(eta, depth):
    """``CHAIN_STEPS`` steps of gradient descent on the chain. Returns the costs ``(CHAIN_STEPS + 1,)``;
    after a divergence (a cost that is not finite) the rest are ``nan``."""
    X, Y = _chain_data()
    params = _chain_params(depth)
    costs = np.full(CHAIN_STEPS + 1, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(CHAIN_STEPS + 1):
            costs[k], grads = _chain_cost_and_grads(params, X, Y)
            if not np.isfinite(costs[k]):
                break
            params = [(W - eta * grad_W, b - eta * grad_b)
                      for (W, b), (grad_W, grad_b) in zip(params, grads)]
    return costs


@functools.cache
def layer_gradient_sizes(depth):
    """Frobenius norm of the gradient of ``W^l``, ``l = 1, ..., L``, at the initial parameters."""
    _, grads = _chain_cost_and_grads(_chain_params(depth), *_chain_data())
    return np.array([np.linalg.norm(grad_W) for grad_W, _ in grads])


def deep_chain(fig, eta, depth):
    """Interactive: cost of gradient descent on a tanh chain with ``depth`` hidden layers at rate
    ``eta`` (left) and the size of each layer's weight gradient at the start (right)."""
    ax_cost, ax_layers = fig.subplots(1, 2)
    (cost_line,) = ax_cost.semilogy(np.ones(CHAIN_STEPS + 1))
    ax_cost.set(xlabel="gradient-descent step", ylabel="cost $C$ (log scale)")
    style.fixed_limits(ax_cost, (0, CHAIN_STEPS), (1e-3, 1))
    cost_title = style.live_text(ax_cost.set_title(""))
    (layer_line,) = ax_layers.semilogy([1], [1], "o-", color=style.COLORS[2])
    ax_layers.set(xlabel="layer $l$ (1 = next to the input)",
                  ylabel=r"$\|\nabla_{W^l} C\|$ at the start (log scale)",
                  title="gradient size per layer")
    style.fixed_limits(ax_layers, (0.5, 9.5), (1e-2, 3))

    def update(eta, depth):
        cost_line.set_data(np.arange(CHAIN_STEPS + 1), train_chain(eta, depth))
        cost_title.set_text(f"cost: {depth} hidden, η = {eta:g}")
        layer_line.set_data(np.arange(1, depth + 2), layer_gradient_sizes(depth))

    update(eta, depth)
    return update
