"""Figures of the chapter `reverse_mode` (drawing code only; the math lives in the package).

- ``tape_descent(fig, eta, n_1)``: a network ``2 -> n_1 -> 1`` trained on the
  XOR data by gradient descent with gradients from ``backprop.tape``, beside
  the same descent with ``network.loss_and_grads``; and the trained network's
  output over the plane.
- ``sweep_order()``: the tape of a two-layer network, its values named as in
  the book (``Z^1``, ``A^1``, ``Z^2``, ``A^2``, ``C``) in topological order,
  numbered in the order the backward sweep visits them, and ``Z^2`` marked with
  the gradient the sweep leaves in it.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import data, network, optim, tape, training
from . import style

STEPS = 300
LIM = (-0.6, 1.6)


@functools.cache
def xor_data():
    """The XOR data of ``backprop.data``, 80 examples: ``X`` (2, 80), ``Y`` (1, 80)."""
    return data.xor(m=80, noise=0.15, seed=0)


def tape_step(params, X, Y, eta):
    """One gradient-descent step with the tape's gradients. Returns (cost, new params)."""
    P = [(tape.Variable(W), tape.Variable(b)) for W, b in params]
    C = tape.network_cost(P, X, Y)
    C.backward()
    return float(C.value), [(W.value - eta * W.grad, b.value - eta * b.grad) for W, b in P]


@functools.cache
def tape_training(eta, n_1, steps=STEPS):
    """Costs of the tape's descent and of ``network``'s, each (steps + 1,), and the final params."""
    X, Y = xor_data()
    params = network.init_params([2, n_1, 1], seed=1)
    twin = params
    costs, twin_costs = np.empty(steps + 1), np.empty(steps + 1)
    for k in range(steps + 1):
        costs[k], new = tape_step(params, X, Y, eta)
        twin_costs[k], grads = network.loss_and_grads(twin, X, Y)
        twin = optim.sgd_step(twin, grads, eta)
        if k < steps:
            params = new
    return costs, twin_costs, params


def _output_map(params, n=60):
    g = np.linspace(*LIM, n)
    G1, G2 = np.meshgrid(g, g)
    grid = np.vstack([G1.ravel(), G2.ravel()])              # (2, n * n)
    return training.predict(params, grid).reshape(n, n)


def tape_descent(fig, eta, n_1):
    """Interactive: the cost per step (tape and network.py), and the trained network's output."""
    ax_cost, ax_map = fig.subplots(1, 2)
    (tape_line,) = ax_cost.plot([], [], color=style.COLORS[0], lw=3, alpha=0.6, label="tape")
    (net_line,) = ax_cost.plot([], [], "--", color=style.COLORS[1], label="network.loss_and_grads")
    ax_cost.set(xlabel="gradient-descent step", ylabel="cost $C$", title="cost",
                xlim=(0, STEPS), ylim=(0, 0.14))
    style.legend_below(fig, axes=[ax_cost])                  # below the axes: it covers no data
    image = ax_map.imshow(np.zeros((2, 2)), extent=(*LIM, *LIM), origin="lower", cmap=style.pale_diverging(),
                          vmin=0, vmax=1, aspect="auto", zorder=0)
    X, Y = xor_data()
    for label, marker in [(0, "o"), (1, "s")]:                 # the classes in the full colours
        ax_map.scatter(*X[:, Y[0] == label], marker=marker, s=18, color=style.COLORS[label],
                       edgecolors=style.INK, linewidths=0.6)
    ax_map.set(xlabel="$x_1$", ylabel="$x_2$", title="output $a^2$ after training")
    fig.colorbar(image, ax=ax_map, label="$a^2$")

    def update(eta, n_1):
        costs, twin_costs, params = tape_training(eta, n_1)
        steps = np.arange(STEPS + 1)
        tape_line.set_data(steps, costs)
        net_line.set_data(steps, twin_costs)
        image.set_data(_output_map(params))

    update(eta, n_1)
    return update


#: The values of the two-layer tape in topological order, as the book writes them: the
#: products W^1 X and W^2 A^1, the pre-activations Z^l, the activations A^l, then the cost's
#: squared residual, its mean over the columns (mu), its sum (Sigma) and C = Sigma / 2.
SWEEP_VALUES = ["$W^1X$", "$Z^1$", "$A^1$", "$W^2A^1$", "$Z^2$", "$A^2$", "$A^2 - Y$",
                r"$(\cdot)^2$", r"$\mu$", r"$\Sigma$", "$C$"]
#: The operation that computes each of them on the tape.
SWEEP_OPS = ["@", "+", "sigmoid", "@", "+", "sigmoid", "-", "square", "mean_columns", "sum", "*"]
#: The value whose gradient the figure points out, and what the sweep leaves in its ``.grad``.
SWEEP_MARKED = "$Z^2$"
SWEEP_NOTE = r"Z2.grad $= \nabla_{Z^2} C = \Delta^2/m$"


def sweep_order():
    """Static: the tape of ``C`` for a two-layer network, each value named as in the book
    (``Z^1``, ``A^1``, ``Z^2``, ``A^2``, ``C``), in topological order from left to right, each
    numbered with the step at which the backward sweep visits it; the value ``Z^2`` is marked
    with the gradient the sweep leaves in it, ``grad_{Z^2} C = Delta^2 / m``.

    The graph is the tape's own: ``tape.network_cost`` records it and ``_topological_order``
    orders it; the names are checked against the operations that computed the values.
    """
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    names = {}
    leaf = lambda name, shape: names.setdefault(name, tape.Variable(rng.standard_normal(shape)))  # noqa: E731
    X, Y = leaf("X", (2, 3)), leaf("Y", (1, 3))
    W1, b1, W2, b2 = leaf("W1", (3, 2)), leaf("b1", (3, 1)), leaf("W2", (1, 3)), leaf("b2", (1, 1))
    C = tape.network_cost([(W1, b1), (W2, b2)], X, Y)
    order = C._topological_order()                           # each node after its inputs
    computed = [v for v in order if v._inputs]
    if [v._op for v in computed] != SWEEP_OPS:               # the names below fit this tape only
        raise RuntimeError(f"the tape's operations changed: {[v._op for v in computed]}")
    # "W1" is drawn as W^1 (a layer's superscript), "X" as X; the constant as 1/2
    label_of = {id(v): f"${n[0]}^{n[1:]}$" if n[1:].isdigit() else f"${n}$" for n, v in names.items()}
    label_of.update({id(v): text for v, text in zip(computed, SWEEP_VALUES, strict=True)})

    fig, ax = plt.subplots(figsize=(8.4, 3.5))
    pos = {id(v): (float(k), 0.0) for k, v in enumerate(computed)}
    for v in computed:                                       # inputs above their first user
        leaves = [inp for inp in v._inputs if not inp._inputs and id(inp) not in pos]
        for j, inp in enumerate(leaves):
            shift = 0.0 if len(leaves) == 1 else (j - (len(leaves) - 1) / 2) * 0.62
            pos[id(inp)] = (pos[id(v)][0] + shift, 1.0)
    for v in order:
        x, y = pos[id(v)]
        marked = label_of.get(id(v)) == SWEEP_MARKED
        text = label_of.get(id(v), "$1/2$" if not v._inputs else v._op)
        fill = style.pale(style.MUTED, 0.8) if not v._inputs else style.PAPER
        ax.text(x, y, text, ha="center", va="center", zorder=3,
                bbox=dict(boxstyle="round", fc=fill, lw=2.2 if marked else 1.0,
                          ec=style.COLORS[1] if marked else style.COLORS[0]))
    for k, v in enumerate(computed):                         # the backward sweep: C first
        ax.text(k, -0.55, str(len(computed) - k), ha="center", va="center", color=style.COLORS[1])
        for inp in v._inputs:
            (x0, y0), (x1, y1) = pos[id(inp)], pos[id(v)]
            if y0 > y1:                                      # an input, from above
                start, end = (x0, y0 - 0.2), (x1 + 0.4 * (x0 - x1), y1 + 0.2)
            else:                                            # the value just before
                start, end = (x0 + 0.3, y0), (x1 - 0.3, y1)
            ax.annotate("", xy=end, xytext=start, zorder=2,
                        arrowprops=dict(arrowstyle="->", color=style.MUTED, lw=0.9,
                                        shrinkA=0, shrinkB=0))
    xz = pos[id(computed[SWEEP_VALUES.index(SWEEP_MARKED)])][0]
    ax.annotate(SWEEP_NOTE, xy=(xz + 0.18, 0.2), xytext=(xz + 0.75, 1.62), ha="left", va="center",
                color=style.COLORS[1], zorder=3, fontsize=12.0,      # the nested subscript stays legible
                arrowprops=dict(arrowstyle="->", color=style.COLORS[1], lw=1.2, shrinkA=2, shrinkB=0))
    ax.set(xlim=(-0.75, len(computed) - 0.45), ylim=(-0.85, 1.9),
           xlabel="the forward pass, left to right (a topological order of the tape)")
    ax.set_yticks([1.0, 0.0, -0.55], ["inputs", "values", "backward step"])
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    fig.tight_layout()
    return fig
