"""Every figure of the book can be read where the book shows it (issue 13, item 2).

For each figure, drawn as its chapter draws it:

- every visible text (tick labels, legends, titles, labels, annotations) is at least
  ``MIN_PX`` pixels tall as displayed in the 1280 px layout;
- no legend (and no title) lies on plotted data, at any slider value.

Displayed size. The book's CSS (``_ext/static/figures.css``) shows every figure at its natural
width, capped at the content column and centred. A font of ``s`` points in a figure of ``dpi``
dots per inch is ``s * dpi / 72`` pixels in the image, and the image is shown at
``min(1, COLUMN_PX / natural width)`` of its size. The content column of
``chapters/gradient.html`` at a 1280 px wide window, measured in Chromium, is 688 px; the
figure's 1 px frame on each side leaves ``COLUMN_PX`` = 686 px for the image.

Natural width. A static figure is shown as the inline backend saves it: a PNG cropped to its
tight bounding box at the figure's dpi. An interactive figure (``backprop.explorer``) is its
``figsize`` times its ``dpi`` (default 80); both come from the chapter's ``explore(...)`` call,
read out of the notebook, so this test follows the chapters.

Data under a legend. The figure is drawn once more with only its data visible (lines,
collections, images, patches; no texts, legends, axes, spines or backgrounds), on a
transparent canvas; no pixel of that drawing may fall inside a legend's box or a title's box.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figharness import interactive_calls
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.spines import Spine
from matplotlib.text import Text

from backprop import bench, data, figures, gradcheck, landscapes, network, neuron, training
from backprop.explorer import explore
from backprop.figures import registry, style

ROOT = Path(__file__).resolve().parents[1]
#: Widest image shown unshrunk at a 1280 px window: the content column of chapters/gradient.html
#: (688 px, measured in Chromium) less the 1 px frame of figures.css on each side.
COLUMN_PX = 686
#: Smallest text, in displayed pixels.
MIN_PX = 11.0
#: The figure modules of the chapters (``diagrams``, ``differentials``, ``reverse_mode`` are
#: other branches' work and follow ``style`` on their own).
MODULES = ["notation", "gradient", "jacobian", "hadamard", "vjp_jvp", "differentials", "one_neuron",
           "two_layer", "softmax_ce", "minibatch", "reverse_mode", "app_derivations", "app_errata",
           "app_performance"]


# -- the book's figures, as the chapters draw them (the registry, read by the one harness) ----------

#: ``(page, "MODULE.NAME", function, kwargs)`` of every ``explore(...)`` call of the chapters.
CALLS = [(page, f"{call.module}.{call.name}", function, dict(call.kwargs))
         for page, call, function in interactive_calls()]


def _difference_errors():
    """The chapter `jacobian`'s relative errors of finite-difference Jacobians, per variant."""
    W, b, x0 = figures.jacobian.LAYER_W, figures.jacobian.LAYER_B, figures.jacobian.LAYER_X0
    J0 = figures.jacobian.linearization_errors()[0]
    steps = np.geomspace(1e-12, 1.0, 49)

    def jac(h, dtype, central):
        f = lambda v: 1 / (1 + np.exp(-(W.astype(dtype) @ v + b.astype(dtype))))  # noqa: E731
        x, step = x0.astype(dtype), dtype(h)
        cols = []
        for j in range(2):
            e = np.zeros_like(x)
            e[j] = step
            cols.append(((f(x + e) - f(x - e)) / (2 * step) if central
                         else (f(x + e) - f(x)) / step)[:, 0])
        return np.stack(cols, axis=1).astype(np.float64)

    variants = {"central, float64": (np.float64, True), "forward, float64": (np.float64, False),
                "central, float32": (np.float32, True)}
    with np.errstate(all="ignore"):
        errors = {k: np.array([gradcheck.relative_error(jac(h, *v), J0) for h in steps])
                  for k, v in variants.items()}
    return steps, errors


@cache
def _digits_run():
    d = data.digits(test_fraction=0.25, seed=0)
    params, history = training.train(
        network.init_params([64, 32, 10], seed=0), d["X_train"], d["Y_train"],
        loss="cross_entropy", eta=0.5, epochs=3, batch_size=16, seed=0,
        X_test=d["X_test"], Y_test=d["Y_test"])
    return d, params, history


def static_figures():
    """Each static figure drawn from the data its chapter gives it (timings: synthetic power
    laws with the chapter's sizes; the digits network: trained for 3 epochs instead of 30)."""
    X, Y = figures.gradient.SIX_X, figures.gradient.SIX_Y
    theta = np.array([[0.5], [1.0]])
    phi = np.deg2rad(np.arange(360))
    D = (landscapes.neuron_grad(theta, X, Y).T @ np.vstack([np.cos(phi), np.sin(phi)]))[0]
    sizes = np.geomspace(10, 3000, 8).astype(int)
    n_had = np.concatenate([sizes, [10**4, 3 * 10**4, 10**5, 3 * 10**5, 10**6]])
    N, p = np.array([50, 100, 200, 400, 800, 1600]), np.array([10, 30, 100, 300, 1000, 3000])
    weights = neuron.descend(-23.1, 5.7, 50.1, eta=0.007, steps=20)
    joint = neuron.chain_descend([0.4, -0.3], 1.0, 2.0, eta=0.1, steps=40)
    staged = _two_stage()
    sections = bench.load_results()["sections"]

    def digits(draw):
        def make():
            d, params, history = _digits_run()
            predicted = training.predict_labels(params, d["X_test"])
            wrong = np.flatnonzero(predicted != d["labels_test"])
            return {
                "samples": lambda: figures.minibatch.digit_samples(d["X_train"], d["labels_train"]),
                "curves": lambda: figures.minibatch.training_curves(history),
                "confusion": lambda: figures.minibatch.confusion(
                    training.confusion_matrix(d["labels_test"], predicted, 10)),
                "wrong": lambda: figures.minibatch.misclassified(
                    d["images_test"][wrong], d["labels_test"][wrong], predicted[wrong]),
            }[draw]()
        return make

    return {
        "gradient.cost_surface": lambda: figures.gradient.cost_surface(X, Y),
        "gradient.directional_rates": lambda: figures.gradient.directional_rates(X, Y, theta, phi, D),
        "jacobian.difference_errors": lambda: figures.jacobian.difference_errors(*_difference_errors()),
        "hadamard.jacobian_images": lambda: figures.hadamard.jacobian_images(
            [-2.0, -1.0, 0.0, 0.5, 1.0, 2.5]),
        "hadamard.product_times": lambda: figures.hadamard.product_times(
            sizes, 2e-9 * sizes**2.0 + 1e-6, n_had, 1e-9 * n_had + 5e-7, sizes >= 200,
            n_had >= 10**4),
        "vjp_jvp.chain_times": lambda: figures.vjp_jvp.chain_times(
            N, 1e-10 * N**3.0 + 1e-5, 3e-9 * N**2.0 + 2e-6, N >= 200, 3),
        "vjp_jvp.mode_times": lambda: figures.vjp_jvp.mode_times(
            p, 4e-5 + 0 * p, 2e-6 * p + 1e-5, 2),
        "one_neuron.weight_iterates": lambda: figures.one_neuron.weight_iterates(
            weights, w_star=50.1 / 5.7, eta=0.007),
        "one_neuron.joint_vs_staged": lambda: figures.one_neuron.joint_vs_staged(
            joint, staged, 1.0, 2.0),
        "minibatch.time_per_example": lambda: figures.minibatch.time_per_example(
            [1, 4, 16, 64, 512], [0.2, 0.06, 0.02, 0.008, 0.004], 512),
        "minibatch.digit_samples": digits("samples"),
        "minibatch.training_curves": digits("curves"),
        "minibatch.confusion": digits("confusion"),
        "minibatch.misclassified": digits("wrong"),
        "app_performance.three_ways": lambda: figures.app_performance.three_ways(
            sections["threeways"]),
        "app_performance.flops_rates": lambda: figures.app_performance.flops_rates(
            sections["flops"]["rows"]),
        "differentials.remainder_orders": figures.differentials.remainder_orders,
        "reverse_mode.sweep_order": figures.reverse_mode.sweep_order,
        "app_performance.profile_shares": lambda: figures.app_performance.profile_shares(
            sections["profile"]),
    }


def _two_stage():
    """The chapter `one_neuron`'s two stages: 20 steps on ``w^2`` alone, then 20 on ``w^1``."""
    path = [np.array([0.4, -0.3])]
    for stage in (1, 0):
        for _ in range(20):
            w = path[-1].copy()
            w[stage] -= 0.1 * neuron.chain_grad(w, 1.0, 2.0)[stage]
            path.append(w)
    return np.array(path)


STATIC = static_figures()


# -- measuring -------------------------------------------------------------------------------------

def drawn_texts(fig):
    """The texts a draw of ``fig`` really draws (tick labels of ticks out of view are not), with
    their size in points: ``[(text, points), ...]``."""
    seen = []
    original = Text.draw

    def recording(self, renderer):
        if self.get_visible() and self.get_text().strip():
            seen.append((self.get_text(), float(self.get_fontsize())))
        return original(self, renderer)

    Text.draw = recording
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return seen


def natural_width(fig):
    """Width in pixels of the PNG the inline backend shows: tight box at the figure's dpi."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", dpi=fig.dpi)
    return Image.open(io.BytesIO(buf.getvalue())).size[0]


def small_texts(fig, natural_px):
    """Texts below ``MIN_PX`` as displayed: ``[(text, displayed px), ...]``."""
    scale = min(1.0, COLUMN_PX / natural_px)
    return sorted({(t, round(pt * fig.dpi / 72 * scale, 2)) for t, pt in drawn_texts(fig)
                   if pt * fig.dpi / 72 * scale < MIN_PX})


def _boxes(fig):
    """Legends and titles of ``fig``, as ``(name, display bbox)``."""
    renderer = fig.canvas.get_renderer()
    out = [(f"figure legend {k}", leg.get_window_extent(renderer)) for k, leg in enumerate(fig.legends)]
    for ax in fig.axes:
        if ax.get_legend() is not None and ax.get_legend().get_visible():
            out.append((f"legend of {ax.get_title()!r}", ax.get_legend().get_window_extent(renderer)))
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_visible() and title.get_text().strip():
                out.append((f"title {title.get_text()!r}", title.get_window_extent(renderer)))
    return out


def covered(fig):
    """Names of the legends and titles of ``fig`` under which its data draw a pixel."""
    fig.canvas.draw()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")       # keep the layout while texts are hidden
    boxes = _boxes(fig)
    hidden = [fig.patch] + [a for a in fig.findobj()
                            if isinstance(a, (Text, Legend, Axis, Spine))]
    hidden += [ax.patch for ax in fig.axes]
    hidden += [a for ax in fig.axes for a in getattr(ax, "_axis_map", {}).values()]
    was = [(a, a.get_visible()) for a in hidden]
    for a, _ in was:
        a.set_visible(False)
    try:
        fig.canvas.draw()
        alpha = np.array(fig.canvas.buffer_rgba())[..., 3]      # a copy
    finally:
        for a, v in was:
            a.set_visible(v)
    height = alpha.shape[0]
    hits = []
    for name, box in boxes:
        x0, x1 = int(np.ceil(box.x0)) + 2, int(np.floor(box.x1)) - 2
        y0, y1 = height - int(np.floor(box.y1)) + 2, height - int(np.ceil(box.y0)) - 2
        inside = alpha[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
        if inside.size and (inside > 40).sum() > 0:
            hits.append(f"{name}: {(inside > 40).sum()} px of data")
    return hits


# -- the tests ----------------------------------------------------------------------------------

def test_every_static_figure_of_the_chapters_is_measured():
    drawn = {registry.name(f) for page in registry.REGISTRY.values() for f in page.static}
    assert {name for name in drawn if name.split(".")[0] in MODULES} == set(STATIC)


@pytest.mark.parametrize("key", list(STATIC))
def test_static_figure_text_is_legible(key):
    style.use_book_style()
    fig = STATIC[key]()
    try:
        natural = natural_width(fig)
        assert natural <= COLUMN_PX, f"{key}: {natural} px wide, shown shrunk to {COLUMN_PX} px"
        assert small_texts(fig, natural) == [], f"{key}: texts under {MIN_PX} px"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("key", list(STATIC))
def test_static_figure_legends_leave_data_free(key):
    style.use_book_style()
    fig = STATIC[key]()
    try:
        assert covered(fig) == []
    finally:
        plt.close(fig)


@pytest.mark.parametrize("chapter, name, setup, kwargs", CALLS, ids=[n for _, n, _, _ in CALLS])
def test_interactive_figure_text_is_legible(chapter, name, setup, kwargs):
    style.use_book_style()
    ex = explore(setup, **kwargs)       # as the chapter builds it
    natural = round(ex.fig.get_figwidth() * ex.dpi)
    assert small_texts(ex.fig, natural) == [], f"{name}: texts under {MIN_PX} px"


@pytest.mark.parametrize("chapter, name, setup, kwargs", CALLS, ids=[n for _, n, _, _ in CALLS])
def test_interactive_figure_legends_leave_data_free(chapter, name, setup, kwargs):
    """At every value of every slider (the others at their defaults)."""
    style.use_book_style()
    ex = explore(setup, **kwargs)       # as the chapter builds it
    defaults = dict(ex.values)
    problems = []
    for param in ex.params:
        for value in param.values:
            ex.set(**{**defaults, param.name: value})
            problems += [f"{param.name}={value!r}: {hit}" for hit in covered(ex.fig)]
    assert problems == []


# -- the palette ----------------------------------------------------------------------------------

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def test_the_cycle_is_the_colour_blind_safe_palette():
    import matplotlib as mpl

    style.use_book_style()
    cycle = [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == OKABE_ITO == [c.upper() for c in style.COLORS]


#: A colour written in a figure module: a hex code, a grey level, a named colour or a colormap.
LITERAL_COLOUR = re.compile(
    r"""#[0-9a-fA-F]{3,8}\b|(?:colou?rs?|mec|mfc|mew_color|edgecolors?|facecolor|cmap)\s*=\s*["'](?!none["'])"""
    r"""|["'](?:k|w|r|g|b|black|white|gray|grey|red|blue|green|orange|\d?\.\d+)["'](?!\s*[:\]])"""
    r"""|["']k[-:._o]*["']|["'][-:.os]*k["']""")


@pytest.mark.parametrize("module", MODULES)
def test_figure_modules_take_colours_from_the_style(module):
    source = (ROOT / "code" / "backprop" / "figures" / f"{module}.py").read_text()
    found = [(n, line.strip()) for n, line in enumerate(source.splitlines(), 1)
             if LITERAL_COLOUR.search(line.split("  #")[0])]
    assert found == [], "use style.COLORS, style.INK, style.MUTED or a style colormap"


# -- the measures themselves, and the style's helpers ---------------------------------------------

def _line_figure():
    fig = Figure(figsize=(6.0, 3.0), dpi=80, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.ones_like(x) * 0.9, label="high line")       # runs under an upper legend
    ax.plot(x, x * 0.5, label="low line")
    ax.set(xlabel="x", ylabel="y", ylim=(0, 1))
    return fig, ax


def test_a_legend_on_a_line_is_caught_and_one_below_is_not():
    style.use_book_style()
    fig, ax = _line_figure()
    ax.legend(loc="upper left")
    assert any("legend" in hit for hit in covered(fig))
    fig, ax = _line_figure()
    style.legend_below(fig)
    assert covered(fig) == []


def test_small_text_is_caught_with_the_shrinking_of_wide_figures():
    style.use_book_style()
    fig, ax = _line_figure()
    ax.set_title("small", fontsize=7)
    assert ("small", round(7 * 80 / 72, 2)) in small_texts(fig, 480)
    ax.set_title("book size")
    assert small_texts(fig, 480) == []                         # 10.5 pt at 80 dpi: 11.7 px
    shrunk = small_texts(fig, 800)                              # shown at 686/800 of its size
    assert ("0.0", round(style.FONT_PT * 80 / 72 * COLUMN_PX / 800, 2)) in shrunk   # a tick label


def test_legend_below_gathers_each_label_once_and_pale_mixes_with_white():
    fig, ax = _line_figure()
    ax2 = fig.add_subplot(2, 1, 2)
    ax2.plot([0, 1], [0, 1], label="high line")
    legend = style.legend_below(fig)
    assert [t.get_text() for t in legend.get_texts()] == ["high line", "low line"]
    with pytest.raises(ValueError, match="no labelled artist"):
        style.legend_below(fig, axes=[fig.add_subplot(2, 2, 4)])
    assert style.pale("#000000", 0.5) == (0.5, 0.5, 0.5)
    assert style.pale(style.COLORS[0], 0.0) == pytest.approx((0.0, 0x72 / 255, 0xB2 / 255))
    with pytest.raises(ValueError, match="amount"):
        style.pale("black", 1.5)
    cmap = style.pale_diverging()
    assert cmap(0.5)[:3] == pytest.approx((1.0, 1.0, 1.0), abs=0.01)
    assert cmap(0.0)[:3] == pytest.approx(style.pale(style.COLORS[0], 0.6), abs=0.01)
