"""Figures of the chapter `reverse_mode` (drawing code only; the math lives in the package).

- ``tape_descent(fig, eta, n_1)``: a network ``2 -> n_1 -> 1`` trained on the
  XOR data by gradient descent with gradients from ``backprop.tape``, beside
  the same descent with ``network.loss_and_grads``; and the trained network's
  output over the plane.
- ``sweep_order()``: the tape of a two-layer network, its nodes in
  topological order, numbered in the order the backward sweep visits them.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import data, network, tape
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
        twin = network.sgd_step(twin, grads, eta)
        if k < steps:
            params = new
    return costs, twin_costs, params


def _output_map(params, n=60):
    g = np.linspace(*LIM, n)
    G1, G2 = np.meshgrid(g, g)
    grid = np.vstack([G1.ravel(), G2.ravel()])              # (2, n * n)
    return network.predict(params, grid).reshape(n, n)


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


def sweep_order():
    """Static: the tape of ``C`` for a two-layer network, in the order of the backward sweep."""
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    names = {}
    leaf = lambda name, shape: names.setdefault(name, tape.Variable(rng.standard_normal(shape)))  # noqa: E731
    X, Y = leaf("X", (2, 3)), leaf("Y", (1, 3))
    W1, b1, W2, b2 = leaf("W1", (3, 2)), leaf("b1", (3, 1)), leaf("W2", (1, 3)), leaf("b2", (1, 1))
    C = tape.network_cost([(W1, b1), (W2, b2)], X, Y)
    order = C._topological_order()                           # each node after its inputs
    # "W1" is drawn as W^1 (a layer's superscript), "X" as X
    label_of = {id(v): f"${n[0]}^{n[1:]}$" if n[1:].isdigit() else f"${n}$" for n, v in names.items()}
    short = {"sigmoid": r"$\sigma$", "square": r"$\cdot^2$", "mean_columns": r"$\mu$", "sum": r"$\Sigma$",
             "-": "$-$",
             "*": r"$\times$", "log_softmax": "ln sm", "neg": "$-$"}
    computed = [v for v in order if v._inputs]
    fig, ax = plt.subplots(figsize=(8.4, 3.2))
    pos = {}
    for k, v in enumerate(order):
        is_leaf = not v._inputs
        pos[id(v)] = (k, 1.0 if is_leaf else 0.0)
        if id(v) in label_of:
            text = label_of[id(v)]
        else:                                                # an operation, or the constant 1/2
            text = f"{float(v.value):g}" if is_leaf else short.get(v._op, v._op)
        fill = style.pale(style.MUTED, 0.8) if is_leaf else style.PAPER
        ax.text(k, pos[id(v)][1], text, ha="center", va="center",
                bbox=dict(boxstyle="round", fc=fill, ec=style.COLORS[0]))
        if not is_leaf:
            back = len(computed) - computed.index(v)         # reverse topological order
            ax.text(k, -0.45, str(back), ha="center", color=style.COLORS[1])
    for v in order:
        for inp in v._inputs:
            (x0, y0), (x1, y1) = pos[id(inp)], pos[id(v)]
            ax.annotate("", xy=(x1, y1 + 0.12 * (y0 > y1)), xytext=(x0, y0 - 0.12 * (y0 > y1)),
                        arrowprops=dict(arrowstyle="->", color=style.MUTED, lw=0.8,
                                        connectionstyle="arc3,rad=-0.25" if y0 == y1 else "arc3"))
    ax.text(-0.8, -0.45, "backward\nstep", ha="right", va="center", color=style.COLORS[1])
    ax.set(xlim=(-1.5, len(order) - 0.5), ylim=(-0.8, 1.4),
           xlabel="position in the topological order (the forward pass, left to right)")
    ax.set_yticks([0, 1], ["computed", "inputs"])
    ax.grid(False)
    fig.tight_layout()
    return fig
