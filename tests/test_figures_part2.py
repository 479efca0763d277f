"""backprop.figures for one_neuron, two_layer, softmax_ce, minibatch, app_performance, app_errata.

Without a notebook kernel: each static figure is drawn from real data of the package and must
label its axes. The interactive figures are moved through every slider value by
``test_figure_calls.py``, from the registry of the book's figures, with the one harness.
"""

import inspect

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figharness import assert_labelled, interactive_calls

from backprop import bench, data, figures, network, neuron, training
from backprop.figures import registry

CHAPTERS = ["one_neuron", "two_layer", "softmax_ce", "minibatch", "app_performance", "app_errata"]


def test_performance_grid_is_the_committed_widths():
    (kwargs,) = [call.kwargs for _, call, _ in interactive_calls() if call.module == "app_performance"]
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
    interactive = {tuple(registry.name(f).split(".")) for page in registry.REGISTRY.values()
                   for f in page.interactive}
    assert public == static | {(ch, name) for ch, name in interactive if ch in CHAPTERS}


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
