"""Figures of the chapter "What the gradient costs, and what comes after it" (`relu`):
drawing only, the math is in the package.

- ``relu_training(fig, eta)``: a sigmoid and a ReLU network of the same sizes trained on the
  digits from the same start with the same batches, their training and test costs, and the
  share of training examples on which each ReLU hidden unit is active, before and after
  training (a dead unit is active on none) (interactive).
"""

from __future__ import annotations

import functools

import numpy as np

from .. import data, network, training
from . import style
from .style import COLORS

# --- relu ---

#: The learning rates of ``relu_training`` (the chapter's slider), and its runs' settings:
#: sizes, epochs, batch size; the start and the shuffling are seeded with 0.
RELU_ETAS, RELU_SIZES, RELU_EPOCHS, RELU_BATCH = (0.1, 0.5, 2.0), (64, 32, 10), 30, 16


@functools.cache
def _relu_digits():
    return data.digits(test_fraction=0.25, seed=0)


def _active_share(params, X, hidden):
    """The share of the columns of ``X`` on which each unit of layer 1 has ``z > 0``: ``(n_1,)``."""
    zs, _ = network.forward(params, X, "cross_entropy", hidden)
    return np.mean(zs[0] > 0, axis=1)


@functools.cache
def relu_run(hidden, eta):
    """One run of ``relu_training``: the hidden activation ``hidden``, learning rate ``eta``.

    Returns ``(history, test accuracy, active share at the start, active share after
    training, dead units after training)``; the shares are sorted, largest first, ``(n_1,)``.
    Each run is computed once.
    """
    d = _relu_digits()
    start = network.init_params(list(RELU_SIZES), seed=0)
    grad_fn = functools.partial(network.loss_and_grads, hidden=hidden)
    trained, history = training.train(
        start, d["X_train"], d["Y_train"], loss="cross_entropy", eta=eta,
        epochs=RELU_EPOCHS, batch_size=RELU_BATCH, seed=0,
        X_test=d["X_test"], Y_test=d["Y_test"], grad_fn=grad_fn)
    acc = training.accuracy(trained, d["X_test"], d["labels_test"], hidden=hidden)
    before = np.sort(_active_share(start, d["X_train"], hidden))[::-1]
    after = np.sort(_active_share(trained, d["X_train"], hidden))[::-1]
    dead = int(training.dead_units(trained, d["X_train"], hidden)[0].sum())
    return history, acc, before, after, dead


def relu_training(fig, eta):
    """Interactive: training (solid) and test (dashed) cost of the sigmoid and the ReLU network
    trained with learning rate ``eta``; and, for the ReLU network, the share of the training
    examples on which each hidden unit is active, sorted, at the start and after training."""
    ax_c, ax_u = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    epochs = np.arange(RELU_EPOCHS + 1)
    lines = {}
    for hidden, color, name in (("sigmoid", COLORS[0], "sigmoid"), ("relu", COLORS[1], "ReLU")):
        (lines[hidden, "cost"],) = ax_c.plot(epochs, epochs * 0.0 + 1, color=color,
                                             label=f"{name}, training")
        (lines[hidden, "test_cost"],) = ax_c.plot(epochs, epochs * 0.0 + 1, "--", color=color,
                                                  label=f"{name}, test")
    ax_c.set(xlabel="epoch", ylabel="mean cross-entropy (nats)", yscale="log",
             xlim=(0, RELU_EPOCHS), ylim=(1e-3, 5.0))
    style.decade_ticks(ax_c, "y")
    units = np.arange(1, RELU_SIZES[1] + 1)
    (start_line,) = ax_u.plot(units, units * 0.0, "o", ms=3.5, color=style.MUTED,
                              label="ReLU units at the start")
    (end_line,) = ax_u.plot(units, units * 0.0, "o-", ms=3.5, color=COLORS[1],
                            label="ReLU units after training")
    ax_u.set(xlabel="hidden unit (sorted)", ylabel="share of examples with $z > 0$",
             xlim=(0, RELU_SIZES[1] + 1), ylim=(-0.05, 1.05))
    style.legend_below(fig, ncol=3)
    title_c = style.live_text(ax_c.set_title(""))
    title_u = style.live_text(ax_u.set_title(""))

    def update(eta):
        accs = {}
        for hidden in ("sigmoid", "relu"):
            history, accs[hidden], before, after, dead = relu_run(hidden, eta)
            for key in ("cost", "test_cost"):
                lines[hidden, key].set_ydata(history[key])
        start_line.set_ydata(before)
        end_line.set_ydata(after)
        title_c.set_text(f"test accuracy: sigmoid {accs['sigmoid']:.1%}, "
                         f"ReLU {accs['relu']:.1%}")
        title_u.set_text(f"ReLU: {dead} of {RELU_SIZES[1]} units dead")

    update(eta)
    return update
