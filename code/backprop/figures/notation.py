"""Figures of the chapter `notation` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import functools

import numpy as np

from .. import conventions, network
from ..activations import sigmoid
from . import style

#: Longest run of the two-conventions figure; shorter runs are its prefixes.
MAX_STEPS = 100


def _layer_example(seed=0, n_0=3, n_1=4, m=5):
    """One sigmoid layer in the row convention and a batch: ``W_r (n_0, n_1)``, ``B (1, n_1)``,
    ``X (n_0, m)`` (examples as columns) and targets ``Y (n_1, m)``, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    W_r = rng.standard_normal((n_0, n_1))       # (n_in, n_out)
    B = rng.standard_normal((1, n_1))           # (1, n_out)
    X = rng.standard_normal((n_0, m))           # (n_0, m)
    Y = rng.random((n_1, m))                    # (n_1, m)
    return W_r, B, X, Y


@functools.cache
def train_both(eta):
    """Gradient descent on one sigmoid layer in both conventions, ``MAX_STEPS`` steps.

    The column convention runs through ``network.loss_and_grads``; the row
    convention (examples as rows, ``W_r`` of shape ``(n_0, n_1)``) is the
    chapter `notation`'s hand-written backward pass. Returns the two cost
    curves and the largest gap ``max |W - W_r^T|`` per step, each ``(MAX_STEPS + 1,)``.
    """
    W_r, B, X, Y = _layer_example()
    X_r, m = X.T, X.shape[1]                               # (m, n_0): examples as rows
    W_c, b_c = conventions.from_row_convention(W_r, B)     # book: (n_1, n_0), (n_1, 1)
    costs_col, costs_row, gaps = [], [], []
    for _ in range(MAX_STEPS + 1):
        cost_c, [(grad_W, grad_b)] = network.loss_and_grads([(W_c, b_c)], X, Y)
        A_r = sigmoid(X_r @ W_r + B)                       # (m, n_1)
        d_r = (A_r - Y.T) * A_r * (1 - A_r) / m            # (m, n_1)
        costs_col.append(cost_c)
        costs_row.append(0.5 * np.sum((A_r - Y.T) ** 2) / m)
        gaps.append(max(np.abs(W_c - W_r.T).max(), 1e-17))  # 0 would vanish on a log axis
        W_c, b_c = W_c - eta * grad_W, b_c - eta * grad_b
        W_r, B = W_r - eta * (X_r.T @ d_r), B - eta * d_r.sum(axis=0, keepdims=True)
    return np.array(costs_col), np.array(costs_row), np.array(gaps)


def two_conventions(fig, eta, steps):
    """Interactive: cost curves of one layer trained in the column and the row convention
    (left) and the gap between the two runs' weights (right), for ``steps`` steps at rate ``eta``."""
    ax_cost, ax_gap = fig.subplots(1, 2)
    c_col, c_row, gap = (curve[:steps + 1] for curve in train_both(eta))
    (line_col,) = ax_cost.plot(c_col, label="column convention (package)")
    (line_row,) = ax_cost.plot(c_row, "o", ms=3, label="row convention")
    ax_cost.set(xlabel="gradient-descent step", ylabel="cost $C$",
                title="cost during training")
    (line_gap,) = ax_gap.semilogy(gap, color=style.COLORS[2], label=r"$\max|W - W_r^\top|$")
    ax_gap.set(xlabel="gradient-descent step", ylabel="largest difference",
               title="the two runs' weights", ylim=(1e-18, 1e-10))
    style.legend_below(fig, ncol=3)

    def update(eta, steps):
        c_col, c_row, gap = (curve[:steps + 1] for curve in train_both(eta))
        k = np.arange(steps + 1)
        line_col.set_data(k, c_col)
        line_row.set_data(k, c_row)
        line_gap.set_data(k, gap)
        for ax in (ax_cost, ax_gap):
            ax.set_xlim(0, steps)
        ax_cost.set_ylim(0, 1.05 * max(c_col.max(), c_row.max()))

    update(eta, steps)
    return update
