"""backprop.figures for one_neuron, two_layer, softmax_ce, minibatch, app_performance, app_errata.

Without a notebook kernel: each interactive figure is read out of its chapter's ``explore(...)``
call (literal arguments), set up on a fresh Agg figure, and moved to every value of every
slider; each value must draw different data. Each static figure is drawn from real data of the
package and must label its axes.
"""

import inspect
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import Collection, LineCollection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from backprop import bench, data, figures, network, neuron, training
from backprop.explorer import replay

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["one_neuron", "two_layer", "softmax_ce", "minibatch", "app_performance", "app_errata"]


# -- reading the chapters' calls ----------------------------------------------------------------

def chapter_notebooks(chapter):
    """The chapter's notebook and those of its ``sections:`` in ``_toc.yml`` (the errata's pages
    per source document), which draw with the chapter's module: ``figures.app_errata``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entry = next(c for part in toc["parts"] for c in part["chapters"] if c["file"] == f"chapters/{chapter}")
    return [ROOT / f"{entry['file']}.ipynb", *(ROOT / f"{s['file']}.ipynb" for s in entry.get("sections", []))]


def explore_calls(chapter):
    """``(function name, keyword arguments)`` of every ``explore(figures.CHAPTER.NAME, ...)``,
    read from the chapter's notebooks by ``backprop.explorer.replay``."""
    calls = []
    for path in chapter_notebooks(chapter):
        for call in replay.figure_calls(path, strict=True):
            assert call.module == chapter, f"{path.name}: {call}"
            calls.append((call.name, dict(call.kwargs)))
    return calls


CALLS = [(ch, name, kw) for ch in CHAPTERS for name, kw in explore_calls(ch)]
EXPLORE_OPTIONS = {"figsize", "dpi", "title", "labels", "defaults", "max_frames", "freeze_layout"}


def _decimals(x):
    return next((d for d in range(7) if abs(round(x, d) - x) < 1e-12), 6)


def slider_grid(spec):
    """The values of a slider and its default: a list of choices, or ``(min, max, step[, default])``
    on the explorer's grid (``lo + k * step``, rounded)."""
    if isinstance(spec, list):
        return spec, spec[0]
    lo, hi, step = (float(v) for v in spec[:3])
    d = max(_decimals(lo), _decimals(step))
    values = [round(lo + k * step, d + 2) for k in range(int(round((hi - lo) / step)) + 1)]
    return values, (spec[3] if len(spec) == 4 else values[len(values) // 2])


# -- what a figure draws ------------------------------------------------------------------------

def drawn(fig):
    """The data a figure draws (no texts): line vertices, images, collections, rectangles."""
    out = []
    for artist in fig.findobj():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            value = artist.get_xydata()
        elif isinstance(artist, AxesImage):
            value = np.ma.filled(np.asarray(artist.get_array(), dtype=float), np.nan)
        elif isinstance(artist, LineCollection):
            value = np.concatenate([np.ravel(s) for s in artist.get_segments()] or [np.zeros(0)])
        elif isinstance(artist, Collection):
            value = np.asarray(artist.get_offsets(), dtype=float)
        elif isinstance(artist, Rectangle):
            value = np.array([*artist.get_xy(), artist.get_width(), artist.get_height()])
        else:
            continue
        out.append((type(artist).__name__, np.round(np.asarray(value, dtype=float), 10).tobytes()))
    return tuple(out)


def _worded(labels):
    return any(t.get_text().strip() and not t.get_text().lstrip("−-").replace(".", "").isdigit()
               for t in labels)


def assert_labelled(fig):
    """Every axis says what it shows: an axis label, or word tick labels (categories); an image
    panel without axes has a title; a colorbar has a label."""
    fig.canvas.draw()
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            assert ax.get_ylabel() or ax.get_xlabel(), "colorbar without a label"
        elif not ax.axison:
            assert ax.get_title(), "an image panel without a title"
        else:
            assert ax.get_xlabel() or _worded(ax.get_xticklabels()), f"no x label: {ax.get_title()!r}"
            assert ax.get_ylabel() or _worded(ax.get_yticklabels()), f"no y label: {ax.get_title()!r}"


# -- interactive figures ------------------------------------------------------------------------

def test_every_chapter_has_its_interactive_figures():
    found = {(ch, name) for ch, name, _ in CALLS}
    assert found == {("one_neuron", "descent_regimes"), ("two_layer", "xor_training"),
                     ("softmax_ce", "temperature"), ("softmax_ce", "blob_regions"),
                     ("minibatch", "hyperparameter_grid"),
                     ("app_performance", "vjp_vs_jacobian"), ("app_errata", "sign_error_descent")}


@pytest.mark.parametrize("chapter,name,kwargs", CALLS, ids=[f"{c}.{n}" for c, n, _ in CALLS])
def test_interactive_figure_moves_with_every_slider_value(chapter, name, kwargs):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figures.style.use_book_style()
    grids = {k: slider_grid(v) for k, v in kwargs.items() if k not in EXPLORE_OPTIONS}
    defaults = {k: kwargs.get("defaults", {}).get(k, default) for k, (_, default) in grids.items()}
    fig = Figure(figsize=kwargs.get("figsize", (8.0, 3.4)), dpi=kwargs.get("dpi", 80),
                 layout="constrained")
    FigureCanvasAgg(fig)
    update = getattr(getattr(figures, chapter), name)(fig, **defaults)
    assert callable(update)
    assert_labelled(fig)
    first = drawn(fig)
    for param, (values, _) in grids.items():
        frames = []
        for value in values:
            update(**{**defaults, param: value})
            frames.append(drawn(fig))
        assert len(set(frames)) == len(values), f"{param}: some values draw the same data"
    update(**defaults)
    assert drawn(fig) == first                # the figure is a function of the sliders alone
    fig.canvas.draw()


def test_performance_grid_is_the_committed_widths():
    (kwargs,) = [kw for ch, _, kw in CALLS if ch == "app_performance"]
    sc = bench.load_results()["sections"]["scaling"]
    assert kwargs["N"] == [r["N"] for r in sc["rows"]]
    from matplotlib.figure import Figure

    update = figures.app_performance.vjp_vs_jacobian(Figure(), N=kwargs["N"][0])
    with pytest.raises(ValueError, match="not a width of the committed results"):
        update(N=123)


# -- static figures -----------------------------------------------------------------------------

@pytest.fixture
def shown():
    """Draw a static figure, check its labels, close it; returns the figure's axes."""
    figures.style.use_book_style()
    opened = []

    def check(fig):
        opened.append(fig)
        assert_labelled(fig)
        return fig.axes

    yield check
    for fig in opened:
        plt.close(fig)


def test_one_neuron_static_figures(shown):
    weights = neuron.descend(-23.1, 5.7, 50.1, eta=0.007, steps=20)           # (21,)
    (ax,) = shown(figures.one_neuron.weight_iterates(weights, w_star=50.1 / 5.7, eta=0.007))
    assert np.array_equal(ax.lines[0].get_ydata(), weights)
    assert ax.get_title() == r"One neuron, $\eta = 0.007$, $w_0 = -23.1$"

    joint = neuron.chain_descend([0.4, -0.3], 1.0, 2.0, eta=0.1, steps=40)   # (41, 2)
    staged = np.array([[0.4, -0.3], [0.4, 1.0], [1.9, 1.0]])
    ax, cbar = shown(figures.one_neuron.joint_vs_staged(joint, staged, 1.0, 2.0))
    assert np.array_equal(ax.lines[1].get_xydata(), joint)
    assert np.array_equal(ax.lines[2].get_xydata(), staged)
    assert "$x = 1$, $y = 2$" in ax.get_title()


def test_minibatch_static_figures(shown):
    d = data.digits(test_fraction=0.25, seed=0)
    (ax,) = shown(figures.minibatch.time_per_example([1, 4, 16], [0.2, 0.08, 0.05], 512))
    assert np.allclose(ax.lines[0].get_ydata(), np.array([0.2, 0.08, 0.05]) / 512 * 1e6)

    axes = shown(figures.minibatch.digit_samples(d["X_train"], d["labels_train"]))
    assert [a.get_title() for a in axes] == [f"label {k}" for k in d["labels_train"][:10]]

    history = {"cost": [2.3, 0.5, 0.2], "test_cost": [2.3, 0.6, 0.3]}
    (ax,) = shown(figures.minibatch.training_curves(history))
    assert [list(line.get_ydata()) for line in ax.lines] == [history["cost"], history["test_cost"]]

    params = network.init_params([64, 8, 10], seed=0)
    predicted = training.predict_labels(params, d["X_test"])
    counts = training.confusion_matrix(d["labels_test"], predicted, 10)
    (ax,) = shown(figures.minibatch.confusion(counts))
    assert np.array_equal(ax.images[0].get_array(), counts)
    assert len(ax.texts) == np.count_nonzero(counts)

    wrong = np.flatnonzero(predicted != d["labels_test"])
    axes = shown(figures.minibatch.misclassified(d["images_test"][wrong], d["labels_test"][wrong],
                                                 predicted[wrong]))
    assert sum(bool(a.images) for a in axes) == min(12, wrong.size)
    assert axes[0].get_title() == f"true {d['labels_test'][wrong[0]]}\npredicted {predicted[wrong[0]]}"


def test_performance_static_figures(shown):
    sections = bench.load_results()["sections"]
    (ax,) = shown(figures.app_performance.three_ways(sections["threeways"]))
    assert len(ax.patches) == 4 and ax.get_xscale() == "log"
    rows = sections["flops"]["rows"]
    axes = shown(figures.app_performance.flops_rates(rows))
    assert len(axes) == len({r["dtype"] for r in rows})
    assert sum(len(a.patches) for a in axes) == 5 * len(rows)
    (ax,) = shown(figures.app_performance.profile_shares(sections["profile"]))
    widths = [p.get_width() for p in ax.patches]
    assert np.isclose(sum(widths), 100 * sum(
        sum(sections["profile"][w].get("fractions", {}).get(p, 0.0) for p in figures.app_performance.PARTS)
        for w in ("readable", "fast")))


def test_every_figure_function_is_tested():
    """A public function of these figure modules is a chapter's figure, interactive or static."""
    static = {("one_neuron", "weight_iterates"), ("one_neuron", "joint_vs_staged"),
              ("minibatch", "time_per_example"), ("minibatch", "digit_samples"),
              ("minibatch", "training_curves"), ("minibatch", "confusion"),
              ("minibatch", "misclassified"), ("app_performance", "three_ways"),
              ("app_performance", "flops_rates"), ("app_performance", "profile_shares")}
    public = {(ch, name) for ch in CHAPTERS
              for name, f in inspect.getmembers(getattr(figures, ch), inspect.isfunction)
              if not name.startswith("_") and f.__module__ == f"backprop.figures.{ch}"}
    assert public == static | {(ch, name) for ch, name, _ in CALLS}


def test_reverse_mode_sweep_names_the_values_of_the_tape():
    """The tape of the chapter reverse_mode (issue 27, picture 3): its values are named with the
    book's symbols, in the tape's topological order; the sweep's steps run from C (1) back to
    W^1 X; Z^2 is outlined, and the note that points to it says what Z2.grad holds."""
    import itertools

    from matplotlib.colors import to_rgba
    from matplotlib.text import Annotation, Text

    from backprop.figures import reverse_mode

    figures.style.use_book_style()
    fig = reverse_mode.sweep_order()
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        by_text = {t.get_text(): t for t in ax.texts}
        for name in ["$Z^1$", "$A^1$", "$Z^2$", "$A^2$", "$C$", "$W^1$", "$X$", "$b^1$", "$W^2$",
                     "$b^2$", "$Y$"]:
            assert name in by_text, f"no box {name!r}"
        # the values, left to right, are the tape's, in its topological order
        values = sorted((t for t in ax.texts if t.get_position()[1] == 0.0 and t.get_bbox_patch()),
                        key=lambda t: t.get_position()[0])
        assert [t.get_text() for t in values] == reverse_mode.SWEEP_VALUES
        # the backward step under each value: C first, W^1 X last
        steps = {t.get_position()[0]: int(t.get_text()) for t in ax.texts if t.get_text().isdigit()}
        assert [steps[t.get_position()[0]] for t in values] == list(range(len(values), 0, -1))
        # Z^2 outlined in the gradient colour, and the note pointing at it
        z2 = by_text["$Z^2$"]
        assert to_rgba(z2.get_bbox_patch().get_edgecolor()) == to_rgba(figures.style.COLORS[1])
        notes = [t for t in ax.texts if isinstance(t, Annotation) and r"\nabla_{Z^2} C" in t.get_text()]
        assert len(notes) == 1 and r"\Delta^2/m" in notes[0].get_text()
        assert abs(notes[0].xy[0] - z2.get_position()[0]) < 0.5, "the note points elsewhere"
        # legible and tidy: nothing outside the canvas, no two texts on top of each other
        # (an annotation's own extent includes its arrow; its text is what must not clash)
        boxes = [(t.get_text(), Text.get_window_extent(t, renderer)) for t in texts]
        canvas = fig.bbox
        assert all(canvas.x0 <= b.x0 and b.x1 <= canvas.x1 and canvas.y0 <= b.y0 and b.y1 <= canvas.y1
                   for _, b in boxes)
        clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
        assert not clashes, clashes
    finally:
        plt.close(fig)
