"""The diagrams of ``backprop.figures.diagrams`` (issue 13, item 3), checked without a kernel.

Each diagram is a Figure 720 px wide (the book's column) that has the labels it promises,
text of at least 11 px, every text inside the canvas and no two texts on top of each other.
"""

import itertools

import pytest
from matplotlib.figure import Figure

from backprop.figures import diagrams

EXPECTED = {
    "one_neuron": [r"$x = 5.7$", r"$w = -23.1$", r"$y = 50.1$", r"$z^1 = w\,x$", r"$a^1 = z^1$",
                   r"$C = (a^1 - y)^2$", r"$= -131.67$", r"$\partial z^1/\partial w = x$",
                   r"$\partial a^1/\partial z^1 = 1$", r" = -2072.2$"],
    "two_layer": [r"$W^1_{21}$", r"$W^1_{13}$", r"$W^2_{23}$", r"$a^0_1$", r"$a^1_4$", r"$a^2_2$",
                  r"$W^1$: $(n_1, n_0) = (4, 3)$", r"$W^2$: $(n_2, n_1) = (2, 4)$",
                  r"$a^0$: $(n_0, 1) = (3, 1)$", r"$a^1$, $b^1$: $(n_1, 1) = (4, 1)$",
                  r"$a^2$, $b^2$: $(n_2, 1) = (2, 1)$", "row $j$, column $k$"],
    "layer_vjp": [r"$z^l = W^l a^{l-1} + b^l$", r"$a^l = \sigma(z^l)$",
                  r"$\delta^l = \nabla_{a^l}\ell \odot \sigma'(z^l)$",
                  r"$\nabla_{W^l}\ell = \delta^l\,(a^{l-1})^\top$", r"$\nabla_{b^l}\ell = \delta^l$",
                  r"$\nabla_{a^{l-1}}\ell = (W^l)^\top \delta^l$", r"$(n_l, n_{l-1})$"],
    "softmax_ce": ["softmax", r"$t$ (target)", r"$\nabla_a \ell = -t \oslash a$",
                   r"$J = \mathrm{diag}(a) - a\,a^\top$", r"$\nabla_z \ell = J^\top(-t \oslash a) = a - t$",
                   "is never formed"],
    "sum_over_paths": [r"$w^1_1$", r"$w^1_2$", r"$W^2_{11}$", r"$W^2_{12}$", r"$w^3_1$",
                       r"$a^2_1$", r"$a^2_2$", r"$C = a^3$", r"$\delta^2_1$",
                       r"$x\,s^1_1\,W^2_{11}$", r"$x\,s^1_2\,W^2_{12}$",
                       r"$\cdot\;s^2_1\,w^3_1\,s^3$", "the shared factor",
                       r"$s^l_j = \sigma'(z^l_j)$"],
    "fan_out_fan_in": [r"$a^{l-1}_2$", r"$z^l_1$", r"$z^l_4$", r"$\delta^l_1$",
                       r"$\delta^l_4$", r"$W^l_{12}$", r"$W^l_{42}$", "feeds every neuron",
                       "add up", r"$z^l_j = \sum_k W^l_{jk}\, a^{l-1}_k$",
                       r"\sum_j W^l_{j2}\, \delta^l_j", r"((W^l)^\top \delta^l)_2",
                       "column 2 of $W^l$", "row 2 of $(W^l)^\\top$", "the transpose"],
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def drawn(request):
    fig = getattr(diagrams, request.param)()
    fig.draw_without_rendering()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
             if t.get_visible() and t.get_text().strip()]
    return request.param, fig, texts


def test_each_diagram_is_a_figure_of_the_column_width(drawn):
    name, fig, _ = drawn
    assert isinstance(fig, Figure)
    width_px = fig.get_figwidth() * fig.dpi
    assert width_px == pytest.approx(720), f"{name} is {width_px:.0f} px wide"
    assert fig.get_facecolor()[3] == 1.0, "the background must be opaque (dark mode)"


def test_each_diagram_shows_itself_as_a_720_px_png(drawn):
    """A notebook displays the returned figure through ``_repr_png_``, at the figure's size."""
    import struct

    name, fig, _ = drawn
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (720, round(fig.get_figheight() * fig.dpi)), name


def test_each_diagram_has_its_labels(drawn):
    name, _, texts = drawn
    strings = [t.get_text() for t in texts]
    for label in EXPECTED[name]:
        assert any(label in s for s in strings), f"{name}: no text contains {label!r}; texts: {strings}"


def test_text_is_at_least_11_px(drawn):
    name, fig, texts = drawn
    small = [(t.get_text(), t.get_fontsize() * fig.dpi / 72) for t in texts
             if t.get_fontsize() * fig.dpi / 72 < 11]
    assert not small, f"{name}: text under 11 px at the figure's own size: {small}"


def test_every_text_lies_inside_the_canvas(drawn):
    name, fig, texts = drawn
    canvas = fig.bbox
    renderer = fig.canvas.get_renderer()
    outside = []
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < canvas.x0 or box.y0 < canvas.y0 or box.x1 > canvas.x1 or box.y1 > canvas.y1:
            outside.append((t.get_text(), tuple(round(v) for v in box.extents)))
    assert not outside, f"{name}: texts outside the {canvas.width:.0f}x{canvas.height:.0f} canvas: {outside}"


def test_no_two_texts_overlap(drawn):
    name, fig, texts = drawn
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
               if box_a.overlaps(box_b)]
    assert not clashes, f"{name}: overlapping texts: {clashes}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_alt_text_is_the_docstrings_first_paragraph_on_one_line(name):
    text = diagrams.alt_text(getattr(diagrams, name))
    assert text.endswith(".") and len(text) > 100 and "\n" not in text and "  " not in text
    assert text.startswith(getattr(diagrams, name).__doc__.split()[0])


def test_alt_text_of_one_neuron_states_the_drawn_derivative():
    fig = diagrams.one_neuron()
    drawn = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("$dC/dw")][0]
    value = drawn.rsplit("=", 1)[1].strip(" $")
    assert value in diagrams.alt_text(diagrams.one_neuron).replace("−", "-")


def test_alt_text_rejects_what_is_not_a_diagram():
    with pytest.raises(TypeError, match="diagram"):
        diagrams.alt_text("one_neuron")


def test_one_neuron_numbers_come_from_the_package():
    from backprop import neuron

    fig = diagrams.one_neuron(x=2.0, w0=1.5, y=4.0)
    strings = [t.get_text() for t in fig.texts + fig.axes[0].texts]
    assert any(f"{float(neuron.grad(1.5, 2.0, 4.0)):.1f}" in s for s in strings)  # 2*2*(3-4) = -4.0
    assert any("-4.0" in s for s in strings)


@pytest.mark.parametrize("sizes", [(3, 4), (0, 2, 2), (3, 6, 2), (2.5, 3, 2)])
def test_two_layer_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        diagrams.two_layer(sizes)


def test_two_layer_draws_other_sizes():
    fig = diagrams.two_layer((2, 3, 1))
    strings = [t.get_text() for t in fig.axes[0].texts]
    assert r"$W^2$: $(n_2, n_1) = (1, 3)$" in strings
    assert r"$a^1_3$" in strings and r"$a^1_4$" not in strings


def texts_of(fig):
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontsize"))
            if t.get_visible() and t.get_text().strip()]


def test_sum_over_paths_marks_the_shared_factor_on_both_paths():
    """Issue 27, picture 2 (chapter differentials)."""
    assert "δ²₁ = σ′(z²₁) w³₁ σ′(z³)" in diagrams.alt_text(diagrams.sum_over_paths)
    strings = texts_of(diagrams.sum_over_paths())
    # both paths end with the one shared factor, written once per path
    assert strings.count(r"$\cdot\;s^2_1\,w^3_1\,s^3$") == 2


def test_fan_out_fan_in_draws_each_weight_of_the_column_in_both_directions():
    """Issue 27, picture 1 (chapter one_neuron)."""
    assert "Σ_j W^l_jk δ^l_j" in diagrams.alt_text(diagrams.fan_out_fan_in)
    strings = texts_of(diagrams.fan_out_fan_in())
    for j in range(1, 5):           # forward and backward along the same weight
        assert strings.count(f"$W^l_{{{j}2}}$") == 2, j
    assert r"$W^l_{11}$" not in strings  # only column k = 2 is labelled


def test_fan_out_fan_in_draws_other_sizes_and_rejects_bad_ones():
    fig = diagrams.fan_out_fan_in(n_prev=2, n_next=3, k=1)
    strings = [t.get_text() for t in fig.axes[0].texts]
    assert r"$W^l_{31}$" in strings and r"$W^l_{41}$" not in strings
    assert r"$a^{l-1}_2$" in strings and r"$a^{l-1}_3$" not in strings
    for bad in [dict(n_prev=0), dict(n_next=5), dict(k=4), dict(k=1.5)]:
        with pytest.raises(ValueError, match="n_prev"):
            diagrams.fan_out_fan_in(**bad)
