"""Unit tests, without a notebook kernel, of the figures of the chapters notation, gradient,
jacobian, hadamard, vjp_jvp and app_derivations (``backprop.figures``), and of the style helpers.

The interactive figures are moved through every slider value by ``test_figure_calls.py``, which
iterates the registry of the book's figures (``backprop.figures.registry``) with the one figure
harness (``figharness``). Here: the static figures, the numbers behind the figures, the helpers.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from figharness import assert_labelled
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from backprop import figures, gradcheck, landscapes, optim
from backprop.figures import registry, style

CHAPTERS = ["notation", "gradient", "jacobian", "hadamard", "vjp_jvp", "app_derivations"]


def agg_figure(figsize=(8.0, 3.4)):
    """A fresh Figure drawn by Agg, outside pyplot (matplotlib is set to Agg in conftest)."""
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig


def static_figures():
    """Each static figure with inputs shaped like its chapter's."""
    rng = np.random.default_rng(0)
    X, Y = figures.gradient.SIX_X, figures.gradient.SIX_Y
    theta = np.array([[0.5], [1.0]])
    phi = np.deg2rad(np.arange(360))
    D = (landscapes.neuron_grad(theta, X, Y).T @ np.vstack([np.cos(phi), np.sin(phi)]))[0]
    steps = np.geomspace(1e-12, 1.0, 49)
    errors = {"central, float64": steps**2 + 1e-16 / steps, "forward, float64": steps + 1e-16 / steps}
    sizes, n_had = np.geomspace(10, 3000, 8).astype(int), np.geomspace(10, 1e6, 13).astype(int)
    N, p = np.array([50, 100, 200, 400, 800, 1600]), np.array([10, 30, 100, 300, 1000, 3000])
    return {
        "gradient.cost_surface": (figures.gradient.cost_surface, (X, Y), None),
        "gradient.directional_rates": (figures.gradient.directional_rates,
                                       (X, Y, theta, phi, D), D),
        "jacobian.difference_errors": (figures.jacobian.difference_errors, (steps, errors),
                                       errors["central, float64"]),
        "hadamard.jacobian_images": (figures.hadamard.jacobian_images,
                                     ([-2.0, -1.0, 0.0, 0.5, 1.0, 2.5],), None),
        "hadamard.product_times": (figures.hadamard.product_times,
                                   (sizes, 1e-9 * sizes**2.0, n_had, 1e-8 * n_had**1.0,
                                    sizes >= 200, n_had >= 10**4), 1e-9 * sizes**2.0),
        "vjp_jvp.chain_times": (figures.vjp_jvp.chain_times,
                                (N, 1e-10 * N**3.0, 1e-8 * N**2.0, N >= 200, 3), 1e-10 * N**3.0),
        "vjp_jvp.mode_times": (figures.vjp_jvp.mode_times,
                               (p, 1e-5 + 0 * p, 1e-6 * p * (1 + rng.random(6)), 2), None),
    }


@pytest.mark.parametrize("key", list(static_figures()))
def test_static_figure_draws_labelled_axes(key):
    import matplotlib.pyplot as plt

    draw, args, first_curve = static_figures()[key]
    fig = draw(*args)
    try:
        assert isinstance(fig, Figure)
        fig.canvas.draw()
        assert_labelled(fig)
        if first_curve is not None:      # the data passed in are the data drawn
            ys = [line.get_ydata() for ax in fig.axes for line in ax.get_lines()]
            assert any(len(y) == len(first_curve) and np.allclose(y, first_curve) for y in ys)
    finally:
        plt.close(fig)


def test_jacobian_images_show_the_two_jacobians():
    import matplotlib.pyplot as plt

    fig = figures.hadamard.jacobian_images([0.0, 1.0, -1.0])
    sig, soft = (ax.get_images()[0].get_array() for ax in fig.axes if ax.get_label() != "<colorbar>")
    plt.close(fig)
    assert np.count_nonzero(sig - np.diag(np.diag(sig))) == 0       # diagonal
    assert np.allclose(np.diag(sig), [0.25, 0.19661193, 0.19661193])
    assert np.allclose(soft.sum(axis=1), 0) and np.count_nonzero(soft) == 9


def test_every_public_figure_function_is_tested():
    """A new figure function needs a test here, or (interactive ones) a place in the registry."""
    tested = {registry.name(f) for page in registry.REGISTRY.values() for f in page.interactive
              if registry.name(f).split(".")[0] in CHAPTERS} | set(static_figures())
    helpers = {"gradient.descent_on_bowl", "gradient.regime", "jacobian.linearization_errors",
               "jacobian.neuron_minimum", "jacobian.vjp_descent",
               "hadamard.train_layer", "notation.train_both", "vjp_jvp.train_chain",
               "vjp_jvp.layer_gradient_sizes", "app_derivations.descend_logits"}
    public = {f"{c}.{n}" for c in CHAPTERS
              for n, f in vars(getattr(figures, c)).items()
              if not n.startswith("_") and inspect.isfunction(inspect.unwrap(f))
              and f.__module__ == f"backprop.figures.{c}"}
    assert public == tested | helpers


# ---- the numbers behind the figures ---------------------------------------------------------


def test_two_conventions_train_the_same_layer():
    costs_col, costs_row, gaps = figures.notation.train_both(2.0)
    assert costs_col.shape == (figures.notation.MAX_STEPS + 1,)
    assert np.allclose(costs_col, costs_row, rtol=1e-12)
    assert costs_col[-1] < costs_col[0] and gaps.max() < 1e-13


def test_bowl_regimes_follow_the_critical_rates():
    for eta, kind in [(0.15, "monotone"), (0.25, "one step"), (0.4, "oscillation"),
                      (0.5, "bounces"), (0.55, "divergence")]:
        assert kind in figures.gradient.regime(eta)
    _, costs = figures.gradient.descent_on_bowl(0.15, (2.5, 0.5))
    assert np.all(np.diff(costs) < 0)
    path, _ = figures.gradient.descent_on_bowl(0.55, (2.5, 0.5))
    assert np.linalg.norm(path[-1]) > np.linalg.norm(path[0])


def test_linearization_error_is_second_order():
    J0, radii, change, error, slope = figures.jacobian.linearization_errors()
    f = lambda v: figures.jacobian._layer(v)
    J_fd = gradcheck.relative_error(J0, np.column_stack(
        [(f(figures.jacobian.LAYER_X0 + h) - f(figures.jacobian.LAYER_X0 - h))[:, 0] / 2e-6
         for h in 1e-6 * np.eye(2)[:, :, None]]))
    assert J_fd < 1e-8
    assert abs(slope - 2) < 0.05 and np.all(error < change)


def test_neuron_descent_by_vjp_is_gradient_descent():
    X, Y = figures.gradient.SIX_X, figures.gradient.SIX_Y
    path = figures.jacobian.vjp_descent(30.0, (-1.5, 2.5))
    expected = optim.gradient_descent(lambda t: landscapes.neuron_grad(t, X, Y),
                                      np.array([[-1.5], [2.5]]), 30.0, figures.jacobian.NEURON_STEPS)
    assert np.allclose(path, expected[:, :, 0], rtol=1e-12, atol=1e-12)
    w_min = figures.jacobian.neuron_minimum().reshape(2, 1)
    assert np.linalg.norm(landscapes.neuron_grad(w_min, X, Y)) < 1e-10


def test_sigmoid_plateau_large_weights_stall():
    small, _ = figures.hadamard.train_layer(2.5, 0.5)
    large, slopes = figures.hadamard.train_layer(2.5, 8.0)
    assert small[-1] < 0.01 * small[0]           # falls from the first step
    assert large[-1] > 0.8 * large[0]            # a plateau ...
    assert slopes[0].max() < 0.05                # ... because sigma'(z) is near 0
    assert np.all(slopes <= 0.25 + 1e-15)


def test_power_law_fit_goes_through_a_power_law():
    ax = agg_figure().add_subplot()
    n = np.array([10.0, 100.0, 1000.0])
    line = style.power_law_fit(ax, n, 3e-9 * n**2, 2.0, "black")
    assert np.allclose(line.get_ydata(), 3e-9 * n**2)
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_chain_gradients_match_finite_differences():
    params = figures.vjp_jvp._chain_params(2)
    X, Y = figures.vjp_jvp._chain_data()
    _, grads = figures.vjp_jvp._chain_cost_and_grads(params, X, Y)
    for l, (W, b) in enumerate(params):
        def cost_of(W_new, l=l, b=b):
            trial = list(params)
            trial[l] = (W_new, b)
            return figures.vjp_jvp._chain_cost_and_grads(trial, X, Y)[0]
        assert gradcheck.relative_error(grads[l][0], gradcheck.numerical_gradient(cost_of, W)) < 1e-7
    sizes = figures.vjp_jvp.layer_gradient_sizes(2)
    assert sizes.shape == (3,) and np.allclose(sizes, [np.linalg.norm(g) for g, _ in grads])
    costs = figures.vjp_jvp.train_chain(0.1, 1)
    assert costs.shape == (figures.vjp_jvp.CHAIN_STEPS + 1,) and costs[-1] < 0.5 * costs[0]


def test_base_b_is_base_e_at_a_rescaled_rate():
    for base in (2.0, 10.0):
        loss_b, prob_b = figures.app_derivations.descend_logits(1.0, base)
        loss_e, prob_e = figures.app_derivations.descend_logits(1.0 / np.log(base), np.e)
        assert np.allclose(loss_b, loss_e, rtol=1e-12) and np.allclose(prob_b, prob_e, rtol=1e-12)
    assert prob_b[-1] > prob_b[0]


# ---- style helpers --------------------------------------------------------------------------


def test_fixed_limits_and_decade_ticks():
    from matplotlib.ticker import LogLocator, NullLocator

    ax = agg_figure().add_subplot()
    assert style.fixed_limits(ax, (0, 10), (1e-3, 1)) is ax
    ax.plot([0, 100], [0, 100])
    ax.autoscale_view()
    assert ax.get_xlim() == (0, 10) and ax.get_ylim() == (1e-3, 1)
    with pytest.raises(ValueError, match="lo < hi"):
        style.fixed_limits(ax, (1, 0))
    ax.set_yscale("log")
    style.decade_ticks(ax, "y")
    assert isinstance(ax.yaxis.get_major_locator(), LogLocator)
    assert isinstance(ax.yaxis.get_minor_locator(), NullLocator)
    with pytest.raises(ValueError, match="which"):
        style.decade_ticks(ax, "z")


def test_on_top_live_image_and_live_text():
    ax = agg_figure().add_subplot()
    line, dots = ax.plot([0, 1]), ax.plot([1, 0])
    assert style.on_top(line[0], dots[0]) is line[0]
    assert line[0].get_zorder() == dots[0].get_zorder() == style.ON_TOP
    with pytest.raises(TypeError):
        style.on_top()
    assert style.live_image(ax, np.eye(3)).get_zorder() == 1
    text = style.live_text(ax.set_title("cost 0.5, η = 1"))
    assert text.get_parse_math() is False


def test_descent_path_clips_a_diverging_run():
    ax = agg_figure().add_subplot()
    set_path = style.descent_path(ax, (-1, 1), (-1, 1), margin=1.0)
    set_path(np.array([[0.5, 0.5], [np.inf, -np.inf]]), (0.5, 0.5))
    line, dot = ax.get_lines()
    assert np.allclose(line.get_xydata(), [[0.5, 0.5], [3.0, -3.0]])     # 1 + 1 * span 2
    assert dot.get_xydata().tolist() == [[0.5, 0.5]]
