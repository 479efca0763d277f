"""Diagrams of networks and computational graphs (issue 13), drawn with matplotlib alone.

Each function returns a :class:`Diagram`, a matplotlib Figure 9 inches wide at the book's
80 dpi, that is 720 px, the width of the book's column, with text of at least 11.5 pt
(12.8 px). The first sentence of each docstring says what the diagram shows; a chapter
can use it as the figure's alt text. Forward values flow along solid blue arrows, and
gradients flow back along dashed vermillion ones (Okabe-Ito colours, told apart by the
line style too). The background is opaque white, like every figure of the book.

- ``one_neuron()``: the one-neuron chain of the question-and-answer example
  (chapter one_neuron);
- ``two_layer(sizes)``: a two-layer network, its weights ``W^l_jk`` and every shape
  (chapter two_layer);
- ``layer_vjp()``: one layer's forward and backward pass as a computational graph, the
  VJP on each edge (chapters two_layer and vjp_jvp);
- ``softmax_ce()``: softmax and cross-entropy, whose product of derivatives is ``p - y``
  (chapter softmax_ce);
- ``sum_over_paths()``: the 1-2-2-1 network with two paths from the first layer's weights
  and the factor they share (chapter differentials);
- ``fan_out_fan_in()``: one layer's fan-out of ``a^{l-1}_k`` to every neuron and the fan-in
  of the errors ``delta^l_j``, where the transpose comes from (chapter one_neuron).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .. import neuron
from .style import COLORS

FORWARD, BACKWARD, ACCENT = COLORS[0], COLORS[1], COLORS[2]  # blue, vermillion, green
#: The diagrams' own greys (not ``style.INK`` and ``style.MUTED``, the plots' black and mid grey):
#: near-black strokes and text, dark-grey notes, light-grey edges.
STROKE, NOTE, EDGE = "#1a1a1a", "#4d4d4d", "#9a9a9a"
DPI = 80        # the book's figure dpi: 9 inches are 720 px
WIDTH = 9.0     # inches
FONT = 13.0     # points; 14.4 px at 80 dpi
MATH = 14.0     # points, for formulas whose sub-subscripts must stay legible
SMALL = 11.5    # points; 12.8 px at 80 dpi, the smallest text of a diagram
DASHED = (0, (4.0, 2.5))


class Diagram(Figure):
    """A matplotlib Figure that a notebook shows as a PNG of its own size when it is returned.

    Diagrams are not made with pyplot, so that a chapter's one-line call shows the figure
    once, as the cell's result; ``_repr_png_`` is what IPython then displays.
    """

    #: ``figures.show`` saves a diagram whole, at its 9-inch width (not cropped to its ink).
    show_bbox = None

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=self.dpi, facecolor=self.get_facecolor())
        return buffer.getvalue()


def alt_text(diagram) -> str:
    """The first paragraph of a diagram function's docstring, on one line: the figure's alt text.

    ``diagram`` is one of this module's functions, e.g. ``alt_text(one_neuron)``.
    """
    if not callable(diagram) or not diagram.__doc__:
        raise TypeError(f"diagram must be a diagram function of this module; got {diagram!r}")
    return " ".join(diagram.__doc__.strip().split("\n\n")[0].split())


def _canvas(height, width=WIDTH):
    """A white figure whose one axes has 1 data unit per inch and no frame."""
    fig = Diagram(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _box(ax, xy, text, width, height=0.56, *, edge=STROKE, fill="white", size=FONT, lw=1.5):
    """A rounded box centred at ``xy`` with ``text`` in it. Returns its (x0, y0, x1, y1)."""
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0,rounding_size=0.12",
                                fc=fill, ec=edge, lw=lw, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=STROKE, zorder=4)
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _label(ax, xy, text, *, color=STROKE, size=SMALL, ha="center", va="center", **kw):
    return ax.text(*xy, text, ha=ha, va=va, fontsize=size, color=color, zorder=5, **kw)


def _arrow(ax, start, end, *, color=FORWARD, dashed=False, rad=0.0, lw=1.8):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=15, color=color,
                                 lw=lw, linestyle=DASHED if dashed else "-", shrinkA=0, shrinkB=0,
                                 connectionstyle=f"arc3,rad={rad}", zorder=2))


def _pair(ax, start, end, offset=0.09):
    """A forward arrow ``start -> end`` and, beside it, a dashed backward arrow ``end -> start``."""
    p, q = np.asarray(start, float), np.asarray(end, float)
    d = (q - p) / np.linalg.norm(q - p)
    n = np.array([-d[1], d[0]]) * offset
    _arrow(ax, p + n, q + n)
    _arrow(ax, q - n, p - n, color=BACKWARD, dashed=True)


def _legend(ax, xy, items):
    """A key of arrow styles: ``items`` is a list of (color, dashed, text), drawn in a row."""
    x, y = xy
    for color, dashed, text in items:
        _arrow(ax, (x, y), (x + 0.55, y), color=color, dashed=dashed)
        t = _label(ax, (x + 0.68, y), text, ha="left", color=NOTE)
        x += 0.68 + len(text) * 0.085 + 0.45
    return t


def one_neuron(x=5.7, w0=-23.1, y=50.1):
    """The one-neuron chain of the question-and-answer example: the input x = 5.7 and the
    weight w = −23.1 make z¹ = w x, the output a¹ = z¹ (no activation) and, with the target
    y = 50.1, the cost C = (a¹ − y)²; dashed arrows carry the local derivatives back, and
    their product is dC/dw = 2(a¹ − y) · 1 · x = −2072.2.

    The numbers are the example's starting point (input ``x = 5.7``, weight
    ``w0 = -23.1``, target ``y = 50.1``), computed with ``backprop.neuron``. Chapter
    one_neuron. Returns a Figure.
    """
    z = float(neuron.output(w0, x))
    cost = float(neuron.one_weight_cost(w0, x, y))
    dC_da = 2.0 * (z - y)
    dC_dw = float(neuron.grad(w0, x, y))

    fig, ax = _canvas(4.3)
    bx = _box(ax, (0.75, 3.25), f"$x = {x:g}$", 1.2, edge=FORWARD)
    bw = _box(ax, (0.75, 1.75), f"$w = {w0:g}$", 1.3, edge=FORWARD)
    bz = _box(ax, (3.05, 2.5), r"$z^1 = w\,x$", 1.35)
    ba = _box(ax, (5.2, 2.5), r"$a^1 = z^1$", 1.25)
    bc = _box(ax, (7.75, 2.5), r"$C = (a^1 - y)^2$", 2.1)
    by = _box(ax, (7.75, 3.85), f"$y = {y:g}$", 1.25, edge=FORWARD)

    # values after the forward pass, under each box
    _label(ax, (3.05, 2.0), f"$= {z:.2f}$", color=FORWARD)
    _label(ax, (5.2, 2.0), f"$= {z:.2f}$", color=FORWARD)
    _label(ax, (7.75, 2.0), f"$= {cost:,.1f}$".replace(",", r"\,"), color=FORWARD)
    _label(ax, (5.2, 3.05), "no activation", color=NOTE)

    # forward arrows
    _arrow(ax, (bx[2], 3.2), (bz[0], bz[3] - 0.08))
    _arrow(ax, (bw[2], 1.8), (bz[0], bz[1] + 0.08))
    _arrow(ax, (bz[2], 2.5), (ba[0], 2.5))
    _arrow(ax, (ba[2], 2.5), (bc[0], 2.5))
    _arrow(ax, (7.75, by[1]), (7.75, bc[3]))

    # backward arrows, each with its local derivative
    _arrow(ax, (bc[0] + 0.25, bc[1]), (ba[2] - 0.1, ba[1]), color=BACKWARD, dashed=True, rad=-0.35)
    _label(ax, (6.5, 1.45), r"$\partial C/\partial a^1 = 2(a^1 - y)$" "\n"
           f"$= {dC_da:.2f}$", color=BACKWARD)
    _arrow(ax, (ba[0] + 0.1, ba[1]), (bz[2] - 0.1, bz[1]), color=BACKWARD, dashed=True, rad=-0.5)
    _label(ax, (4.12, 1.55), r"$\partial a^1/\partial z^1 = 1$", color=BACKWARD)
    _arrow(ax, (bz[0] + 0.25, bz[1]), (bw[2], 1.6), color=BACKWARD, dashed=True, rad=-0.25)
    _label(ax, (2.15, 1.2), r"$\partial z^1/\partial w = x$", color=BACKWARD)

    _label(ax, (4.5, 0.45),
           r"$dC/dw = (\partial C/\partial a^1)\,(\partial a^1/\partial z^1)"
           r"\,(\partial z^1/\partial w) = 2(a^1 - y)\cdot 1\cdot x"
           f" = {dC_dw:.1f}$", size=FONT)
    return fig


def two_layer(sizes=(3, 4, 2)):
    """A two-layer network: three columns of units, the input a⁰, the hidden layer a¹ and
    the output a², joined by every weight, three weights labelled W¹₂₁, W¹₁₃ and W²₂₃, and
    each layer's shapes, a^l and b^l (n_l, 1) and W^l (n_l, n_{l−1}); the weight W^l_jk goes
    from unit k of layer l − 1 to unit j of layer l.

    ``sizes`` is ``(n_0, n_1, n_2)``, at most 5 units a layer; the default is the
    network of chapter two_layer. Returns a Figure.
    """
    sizes = tuple(sizes)
    if len(sizes) != 3 or not all(isinstance(n, (int, np.integer)) and 1 <= n <= 5 for n in sizes):
        raise ValueError(f"sizes must be three layer sizes (n_0, n_1, n_2), each 1 to 5; got {sizes!r}")
    n_max = max(sizes)
    height = 1.0 * n_max + 2.3
    fig, ax = _canvas(height)
    xs = (1.2, 4.5, 7.8)
    radius = 0.3
    top = height - 1.05

    def unit_y(n, j):  # unit j (1-based) of a layer of n units, centred vertically
        return top - (j - 1) * 1.0 - (n_max - n) * 0.5

    # every weight, thin and grey; a few are labelled below
    highlight = {(1, 2, 1): FORWARD, (1, 1, 3): ACCENT, (2, 2, 3): BACKWARD}
    for l in (1, 2):
        for j in range(1, sizes[l] + 1):
            for k in range(1, sizes[l - 1] + 1):
                color = highlight.get((l, j, k), EDGE)
                p = np.array([xs[l - 1], unit_y(sizes[l - 1], k)])
                q = np.array([xs[l], unit_y(sizes[l], j)])
                d = (q - p) / np.linalg.norm(q - p)
                lw = 2.4 if (l, j, k) in highlight else 0.9
                _arrow(ax, p + d * radius, q - d * radius, color=color, lw=lw)

    for l, (x, n) in enumerate(zip(xs, sizes)):
        for j in range(1, n + 1):
            ax.add_patch(Circle((x, unit_y(n, j)), radius, fc="white", ec=STROKE, lw=1.5, zorder=3))
            _label(ax, (x, unit_y(n, j)), f"$a^{l}_{j}$", size=FONT)
        name = ("input", "hidden", "output")[l]
        _label(ax, (x, height - 0.35), f"layer {l} ({name})", size=FONT)
        names = f"$a^{l}$" if l == 0 else f"$a^{l}$, $b^{l}$"
        _label(ax, (x, 1.45), f"{names}: $(n_{l}, 1) = ({n}, 1)$")

    # the labelled weights, at a point along their edge where they do not crowd
    for (l, j, k), color in highlight.items():
        if j > sizes[l] or k > sizes[l - 1]:
            continue
        p = np.array([xs[l - 1], unit_y(sizes[l - 1], k)])
        q = np.array([xs[l], unit_y(sizes[l], j)])
        at = p + 0.3 * (q - p)
        _label(ax, at + (0, 0.22), f"$W^{l}_{{{j}{k}}}$", color=color, size=FONT,
               bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none"))

    for l in (1, 2):
        x = (xs[l - 1] + xs[l]) / 2
        _label(ax, (x, 0.98), f"$W^{l}$: $(n_{l}, n_{l - 1}) = ({sizes[l]}, {sizes[l - 1]})$")
    _label(ax, (WIDTH / 2, 0.38), r"$W^l_{jk}$ is the weight from unit $k$ of layer $l-1$ to unit $j$"
           r" of layer $l$: row $j$, column $k$ of $W^l$", color=NOTE)
    return fig


def layer_vjp():
    """One layer as a computational graph: a^{l−1}, W^l and b^l make z^l = W^l a^{l−1} + b^l,
    and a^l = σ(z^l) goes on to the loss ℓ; dashed arrows carry the gradient of ℓ back, each
    edge labelled with its vector-Jacobian product: δ^l, the gradient at a^l times σ′(z^l) entrywise, into z^l, then
    δ^l (a^{l−1})ᵀ to W^l, δ^l to b^l and (W^l)ᵀ δ^l to a^{l−1}.

    Each variable's box has its shape under it. Chapters two_layer and vjp_jvp.
    Returns a Figure.
    """
    fig, ax = _canvas(5.0)
    ya, yw, yb, ym = 4.05, 2.55, 1.05, 2.55
    ba = _box(ax, (0.85, ya), r"$a^{l-1}$", 1.0)
    bw = _box(ax, (0.85, yw), r"$W^l$", 1.0)
    bb = _box(ax, (0.85, yb), r"$b^l$", 1.0)
    bz = _box(ax, (4.75, ym), r"$z^l$", 0.9)
    bs = _box(ax, (6.85, ym), r"$a^l$", 0.9)
    bl = _box(ax, (8.45, ym), r"$\ell$", 0.7)
    for box, shape in [(ba, r"$(n_{l-1}, 1)$"), (bw, r"$(n_l, n_{l-1})$"), (bb, r"$(n_l, 1)$"),
                       (bz, r"$(n_l, 1)$"), (bs, r"$(n_l, 1)$")]:
        _label(ax, ((box[0] + box[2]) / 2, box[1] - 0.22), shape, color=NOTE)

    # forward: what each node computes, above it
    _label(ax, (4.75, 3.25), r"$z^l = W^l a^{l-1} + b^l$", color=FORWARD, size=MATH)
    _label(ax, (6.85, 3.25), r"$a^l = \sigma(z^l)$", color=FORWARD, size=MATH)

    _pair(ax, (ba[2], ya - 0.15), (bz[0], ym + 0.16))
    _pair(ax, (bw[2], yw), (bz[0], ym))
    _pair(ax, (bb[2], yb + 0.15), (bz[0], ym - 0.16))
    _pair(ax, (bz[2], ym), (bs[0], ym))
    _pair(ax, (bs[2], ym), (bl[0], ym))

    # backward: the VJP each edge carries
    _label(ax, (2.55, 4.15), r"$\nabla_{a^{l-1}}\ell = (W^l)^\top \delta^l$", color=BACKWARD, size=MATH)
    _label(ax, (2.75, 2.2), r"$\nabla_{W^l}\ell = \delta^l\,(a^{l-1})^\top$", color=BACKWARD, size=MATH)
    _label(ax, (2.55, 0.95), r"$\nabla_{b^l}\ell = \delta^l$", color=BACKWARD, size=MATH)
    _label(ax, (5.8, 1.6), r"$\delta^l = \nabla_{a^l}\ell \odot \sigma'(z^l)$", color=BACKWARD, size=MATH)
    _label(ax, (7.68, 2.95), r"$\nabla_{a^l}\ell$", color=BACKWARD, size=MATH)
    _label(ax, (8.45, 2.05), "later\nlayers", color=NOTE)

    _legend(ax, (0.35, 0.3), [(FORWARD, False, "forward: values"),
                              (BACKWARD, True, "backward: gradients of the loss (VJPs)")])
    return fig


def softmax_ce():
    """Softmax followed by cross-entropy: the logits z give a = softmax(z), and with the
    target t the loss ℓ = −Σ t_i ln a_i; backward, the step ∇_a ℓ = −t ⊘ a and the product
    with the transposed softmax Jacobian J = diag(a) − a aᵀ combine into one arrow from ℓ to
    z, ∇_z ℓ = a − t, so J is never formed.

    Chapter softmax_ce. Returns a Figure.
    """
    fig, ax = _canvas(4.3)
    y0 = 2.75
    bz = _box(ax, (0.8, y0), r"$z$", 0.8)
    bs = _box(ax, (2.85, y0), "softmax", 1.35, edge=NOTE, fill="#f2f2f2")
    bp = _box(ax, (4.75, y0), r"$a$", 0.8)
    bc = _box(ax, (6.75, y0), "cross-\nentropy", 1.35, height=0.8, edge=NOTE, fill="#f2f2f2")
    bl = _box(ax, (8.4, y0), r"$\ell$", 0.7)
    by = _box(ax, (6.75, 3.95), r"$t$ (target)", 1.4, edge=FORWARD)
    _label(ax, (0.8, y0 + 0.5), r"$(n, 1)$", color=NOTE)
    _label(ax, (4.75, y0 + 0.5), r"$(n, 1)$", color=NOTE)

    _pair(ax, (bz[2], y0), (bs[0], y0))
    _pair(ax, (bs[2], y0), (bp[0], y0))
    _pair(ax, (bp[2], y0), (bc[0], y0))
    _pair(ax, (bc[2], y0), (bl[0], y0))
    _arrow(ax, (6.75, by[1]), (6.75, bc[3]))

    _label(ax, (2.85, 3.45), r"$a_i = e^{z_i} / \Sigma_k\, e^{z_k}$", color=FORWARD, size=FONT)
    _label(ax, (8.85, 3.45), r"$\ell = -\Sigma_i\, t_i \ln a_i$", color=FORWARD, size=FONT,
           ha="right")
    _label(ax, (5.75, 2.25), r"$\nabla_a \ell = -t \oslash a$", color=BACKWARD, size=FONT)
    _label(ax, (2.75, 2.25), r"$J^\top \nabla_a \ell$, $J = \mathrm{diag}(a) - a\,a^\top$",
           color=BACKWARD, size=FONT)

    # the shortcut: the product of the two backward steps, with no J
    _arrow(ax, ((bl[0] + bl[2]) / 2, bl[1]), ((bz[0] + bz[2]) / 2, bz[1]), color=ACCENT, rad=-0.4,
           lw=2.4)
    _label(ax, (4.7, 0.6), r"together: $\nabla_z \ell = J^\top(-t \oslash a) = a - t$",
           color=ACCENT, size=FONT)
    _label(ax, (4.7, 0.2), r"for a target with $\Sigma_i\, t_i = 1$; the $n \times n$ Jacobian $J$"
           " is never formed", color=NOTE)
    return fig


def sum_over_paths():
    """The sum over paths on a network 1 → 2 → 2 → 1 whose cost is its output, C = a³: one
    path from the weight w¹₁ through a¹₁ and a²₁ to a³ and one from the weight w¹₂ through
    a¹₂ and a²₁ to a³, drawn in two colours; both end with the same factor
    δ²₁ = σ′(z²₁) w³₁ σ′(z³), marked in green, which backpropagation computes once for both.

    Under the network each path's product of local derivatives is written out, with
    ``s^l_j`` for ``σ′(z^l_j)``. Chapter differentials. Returns a Figure.
    """
    fig, ax = _canvas(5.6)
    radius = 0.32
    xs = (0.9, 2.95, 5.0, 7.05)
    y_mid, gap = 3.55, 0.95
    nodes = {(0, 1): (xs[0], y_mid), (3, 1): (xs[3], y_mid)}
    for l in (1, 2):
        for j in (1, 2):
            nodes[(l, j)] = (xs[l], y_mid + gap * (1.5 - j) * 2)
    names = {(0, 1): "$x$", (3, 1): "$a^3$"}
    names.update({(l, j): f"$a^{l}_{j}$" for l in (1, 2) for j in (1, 2)})

    path_a, path_b = FORWARD, BACKWARD
    colored = {((0, 1), (1, 1)): path_a, ((1, 1), (2, 1)): path_a,
               ((0, 1), (1, 2)): path_b, ((1, 2), (2, 1)): path_b,
               ((2, 1), (3, 1)): ACCENT}
    edges = [((0, 1), (1, j)) for j in (1, 2)]
    edges += [((1, k), (2, j)) for j in (1, 2) for k in (1, 2)]
    edges += [((2, j), (3, 1)) for j in (1, 2)]

    def ends(start, end):
        p, q = np.asarray(nodes[start], float), np.asarray(nodes[end], float)
        d = (q - p) / np.linalg.norm(q - p)
        return p + d * radius, q - d * radius

    # the shared part, a²₁ and its edge to a³, on a pale green band
    p, q = np.asarray(nodes[(2, 1)]), np.asarray(nodes[(3, 1)])
    ax.plot(*zip(p, q), color=ACCENT, lw=26, alpha=0.18, solid_capstyle="round", zorder=1)
    for edge in edges:
        color = colored.get(edge, EDGE)
        _arrow(ax, *ends(*edge), color=color, lw=2.8 if edge in colored else 0.9)

    for key, (x, y) in nodes.items():
        ax.add_patch(Circle((x, y), radius, fc="white", ec=STROKE, lw=1.5, zorder=3))
        _label(ax, (x, y), names[key], size=FONT)
    _label(ax, (xs[3] + radius + 0.12, y_mid), "$C = a^3$", ha="left", size=FONT)
    for l, x in enumerate(xs):
        _label(ax, (x, 5.3), f"layer {l}", size=FONT)

    # the weights on the coloured edges, each at a point of its edge where it does not crowd
    box = dict(boxstyle="round,pad=0.12", fc="white", ec="none")
    for (start, end), text, at, color in [
            (((0, 1), (1, 1)), "$w^1_1$", 0.45, path_a),
            (((0, 1), (1, 2)), "$w^1_2$", 0.45, path_b),
            (((1, 1), (2, 1)), "$W^2_{11}$", 0.5, path_a),
            (((1, 2), (2, 1)), "$W^2_{12}$", 0.3, path_b),
            (((2, 1), (3, 1)), "$w^3_1$", 0.5, ACCENT)]:
        p, q = np.asarray(nodes[start], float), np.asarray(nodes[end], float)
        _label(ax, p + at * (q - p), text, color=color, size=FONT, bbox=box)
    _label(ax, (xs[2] + 0.62, nodes[(2, 1)][1] + 0.42), r"$\delta^2_1$", color=ACCENT, size=MATH)

    # each path's product: the shared factor in one column, in green
    for y, start, weight, color in [(1.75, "$w^1_1$", "11", path_a),
                                    (1.2, "$w^1_2$", "12", path_b)]:
        _label(ax, (0.3, y), f"path from {start}:", ha="left", color=color, size=FONT)
        _label(ax, (2.45, y), rf"$x\,s^1_{weight[1]}\,W^2_{{{weight}}}$", ha="left", color=color,
               size=MATH)
        _label(ax, (3.5, y), r"$\cdot\;s^2_1\,w^3_1\,s^3$", ha="left", color=ACCENT, size=MATH)
    ax.plot([4.95, 5.05, 5.05, 4.95], [1.95, 1.95, 1.0, 1.0], color=ACCENT, lw=1.8)
    _label(ax, (5.2, 1.62), r"$=\delta^2_1$, the shared factor,", ha="left", color=ACCENT,
           size=FONT)
    _label(ax, (5.2, 1.2), "computed once for both", ha="left", color=ACCENT, size=FONT)
    _label(ax, (WIDTH / 2, 0.45), r"$s^l_j = \sigma'(z^l_j)$, the derivative of neuron $j$ of"
           r" layer $l$; the cost is the output, $C = a^3$", color=NOTE)
    return fig


def fan_out_fan_in(n_prev=3, n_next=4, k=2):
    """One layer's fan-out and fan-in, in two panels of the same weights: forward, the
    activation a^{l−1}_k of one neuron of layer l − 1 feeds every neuron j of layer l, through
    the weights W^l_jk of column k of W^l; backward, the errors δ^l_j of all those neurons flow
    back along the same weights and add up, ∂ℓ/∂a^{l−1}_k = Σ_j W^l_jk δ^l_j, entry k of
    (W^l)ᵀ δ^l: column k of W^l is row k of its transpose.

    ``n_prev`` and ``n_next`` are the layer sizes ``n_{l-1}`` and ``n_l`` (1 to 4 each) and
    ``k`` (1-based) the neuron of layer ``l - 1`` that is followed; the defaults are drawn in
    chapter one_neuron. Returns a Figure.
    """
    sizes_ok = all(isinstance(n, (int, np.integer)) and 1 <= n <= 4 for n in (n_prev, n_next))
    if not sizes_ok or not (isinstance(k, (int, np.integer)) and 1 <= k <= n_prev):
        raise ValueError("n_prev and n_next must be layer sizes from 1 to 4 and k a neuron "
                         f"of layer l - 1, from 1 to n_prev; got {(n_prev, n_next, k)!r}")
    height = 6.5
    fig, ax = _canvas(height)
    radius, gap, top = 0.36, 0.95, 4.7

    def unit_y(n, i):  # unit i (1-based) of a layer of n units, centred on the tallest layer
        return top - (i - 1) * gap - (4 - n) * gap / 2

    ax.plot([WIDTH / 2, WIDTH / 2], [0.75, height - 0.15], color=EDGE, lw=1.0, zorder=1)
    panels = [(0.0, FORWARD, False, f"forward: $a^{{l-1}}_{{{k}}}$ feeds every neuron $j$"),
              (WIDTH / 2, BACKWARD, True, "backward: the errors $\\delta^l_j$ add up")]
    for x0, color, backward, title in panels:
        x_prev, x_next = x0 + 0.85, x0 + 3.45
        _label(ax, (x0 + WIDTH / 4, height - 0.4), title, color=color, size=FONT)
        _label(ax, (x_prev, height - 0.95), "layer $l-1$", color=NOTE)
        _label(ax, (x_next, height - 0.95), "layer $l$", color=NOTE)
        p = np.array([x_prev, unit_y(n_prev, k)])
        # the other weights, thin and grey
        for i in range(1, n_prev + 1):
            for j in range(1, n_next + 1):
                if i == k:
                    continue
                a = np.array([x_prev, unit_y(n_prev, i)])
                b = np.array([x_next, unit_y(n_next, j)])
                d = (b - a) / np.linalg.norm(b - a)
                ax.plot(*zip(a + d * radius, b - d * radius), color=EDGE, lw=0.8, zorder=1)
        # the weights of column k, one arrow each, labelled near layer l
        for j in range(1, n_next + 1):
            q = np.array([x_next, unit_y(n_next, j)])
            d = (q - p) / np.linalg.norm(q - p)
            start, end = (q - d * radius, p + d * radius) if backward else (p + d * radius,
                                                                             q - d * radius)
            _arrow(ax, start, end, color=color, dashed=backward, lw=2.2)
            _label(ax, p + 0.68 * (q - p), f"$W^l_{{{j}{k}}}$", color=color, size=FONT,
                   bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none"))
        for i in range(1, n_prev + 1):
            followed = i == k
            ax.add_patch(Circle((x_prev, unit_y(n_prev, i)), radius, fc="white", zorder=3,
                                ec=color if followed else EDGE, lw=2.2 if followed else 1.2))
            _label(ax, (x_prev, unit_y(n_prev, i)), f"$a^{{l-1}}_{i}$", size=FONT,
                   color=STROKE if followed else NOTE)
        for j in range(1, n_next + 1):
            name = f"$\\delta^l_{j}$" if backward else f"$z^l_{j}$"
            ax.add_patch(Circle((x_next, unit_y(n_next, j)), radius, fc="white", ec=STROKE,
                                lw=1.5, zorder=3))
            _label(ax, (x_next, unit_y(n_next, j)), name, size=FONT)
    _label(ax, (WIDTH / 4, 1.0), r"$z^l_j = \sum_k W^l_{jk}\, a^{l-1}_k$ for every $j$:"
           "\n" f"$a^{{l-1}}_{k}$ meets column {k} of $W^l$", color=FORWARD, size=FONT)
    _label(ax, (3 * WIDTH / 4, 1.0),
           f"$\\partial \\ell/\\partial a^{{l-1}}_{k} = \\sum_j W^l_{{j{k}}}\\, \\delta^l_j$"
           f" $= ((W^l)^\\top \\delta^l)_{k}$" "\n"
           f"the same column, row {k} of $(W^l)^\\top$", color=BACKWARD, size=FONT)
    _label(ax, (WIDTH / 2, 0.3), "a value that feeds many neurons receives the sum of their "
           "errors, a product with the transpose", color=NOTE)
    return fig
