"""Figures of the chapter "Mini-batches" (`minibatch`): drawing only, the math is in
``backprop.network`` and ``backprop.training``.

- ``time_per_example``: time per example of a gradient against the batch size (static);
- ``digit_samples``: the first ten training images with their labels (static);
- ``training_curves``: training and test cost against the epoch (static);
- ``confusion``: a confusion matrix with its counts (static);
- ``misclassified``: the first twelve misclassified test images (static);
- ``hyperparameter_grid``: the cost of one short run and the test accuracies of nine, for a
  learning rate, a batch size and a width (interactive).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import data, network, training
from . import style
from .style import COLORS


def time_per_example(batch_sizes, seconds, n_examples):
    """Log-log: seconds per example against the batch size, for the gradient of ``n_examples``
    examples computed ``batch_sizes[k]`` at a time in ``seconds[k]``. Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    ax.loglog(batch_sizes, np.asarray(seconds) / n_examples * 1e6, "o-")
    ax.set(xlabel="batch size $m$", ylabel="measured time per example (µs)",
           title=f"gradient of {n_examples} examples, in batches")
    return fig


def digit_samples(X, labels):
    """The first ten columns of ``X`` (``(64, m)``, 8 x 8 images) titled by ``labels`` ``(m,)``.
    Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 10, figsize=(7.6, 1.2))
    for ax, k in zip(axes, range(10), strict=True):
        ax.imshow(X[:, k].reshape(8, 8), cmap=style.IMAGE_MAP, vmin=0, vmax=1)
        ax.set_title(f"label {labels[k]}", fontsize=style.FONT_PT)
        ax.axis("off")
    return fig


def training_curves(history):
    """Training and test cost per epoch, from ``training.train``'s ``history`` (keys ``cost``
    and ``test_cost``), on a log scale. Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 3.8), layout="constrained")
    epochs_axis = np.arange(len(history["cost"]))
    ax.plot(epochs_axis, history["cost"], label="training cost")
    ax.plot(epochs_axis, history["test_cost"], "--", label="test cost")
    ax.set(xlabel="epoch", ylabel="mean cross-entropy (nats)", yscale="log",
           title="cost during training")
    style.legend_below(fig, ncol=2)
    return fig


def confusion(counts):
    """The confusion matrix ``counts`` (``(10, 10)``, rows true, columns predicted digits), with
    every nonzero count written in its cell. Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 5.0))
    ax.imshow(counts, cmap=style.COUNT_MAP)
    for i in range(10):
        for j in range(10):
            if counts[i, j]:
                dark = counts[i, j] > counts.max() / 2
                ax.text(j, i, counts[i, j], ha="center", va="center",
                        color=style.PAPER if dark else style.INK)
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit",
           ylabel="true digit", title="confusion matrix (test set)")
    ax.grid(False)
    return fig


def misclassified(images, labels, predicted):
    """The first twelve of the misclassified ``images`` ``(k, 8, 8)``, each titled with its
    true label and the predicted one (``labels`` and ``predicted``, ``(k,)``). Returns the Figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 6, figsize=(7.6, 3.7))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, image, true, guess in zip(axes.ravel(), images[:12], labels, predicted):
        ax.imshow(image, cmap=style.IMAGE_MAP, vmin=0, vmax=1)
        ax.set_title(f"true {true}\npredicted {guess}", fontsize=style.FONT_PT)
    return fig


# -- the hyperparameter grid --------------------------------------------------------------

#: The grid of ``hyperparameter_grid`` (the chapter's sliders) and the epochs of each run.
ETAS, BATCHES, HIDDEN, EPOCHS = (0.25, 1.0, 4.0), (8, 32, 128), (4, 16, 64), 5


@cache
def _digits():
    return data.digits(test_fraction=0.25, seed=0)


@cache
def _grid_run(eta, batch, n_1):
    """One short run on the digits (64-n_1-10, seed 0): costs per epoch, test costs per
    epoch (``(EPOCHS + 1,)`` each) and the test accuracy. Each run is computed once."""
    d = _digits()
    trained, hist = training.train(
        network.init_params([64, int(n_1), 10], seed=0), d["X_train"], d["Y_train"],
        loss="cross_entropy", eta=eta, epochs=EPOCHS, batch_size=int(batch), seed=0,
        X_test=d["X_test"], Y_test=d["Y_test"])
    return hist["cost"], hist["test_cost"], training.accuracy(trained, d["X_test"], d["labels_test"])


def hyperparameter_grid(fig, eta, batch, n_1):
    """Interactive: training and test cost of the run ``(eta, batch, n_1)``, and a heat map of
    the test accuracies of the nine runs with ``n_1`` hidden units, the current one boxed."""
    from matplotlib.patches import Rectangle

    ax_c, ax_a = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    x = np.arange(EPOCHS + 1)
    costs, test_costs, _ = _grid_run(eta, batch, n_1)
    (train_line,) = ax_c.plot(x, costs, label="training cost")
    (test_line,) = ax_c.plot(x, test_costs, "--", label="test cost")
    ax_c.set(xlabel="epoch", ylabel="mean cross-entropy (nats)",
             yscale="log", ylim=(0.03, 3.0), xlim=(0, EPOCHS))
    style.legend_below(fig, axes=[ax_c], ncol=2)
    heat = ax_a.imshow(np.zeros((3, 3)), cmap=style.SHARE_MAP, vmin=0, vmax=1, origin="lower")
    texts = [[ax_a.text(j, i, "", ha="center", va="center")
              for j in range(3)] for i in range(3)]
    box = Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2.5, color=COLORS[1])
    ax_a.add_patch(box)
    ax_a.set(xticks=range(3), xticklabels=BATCHES, yticks=range(3), yticklabels=ETAS,
             xlabel="batch size", ylabel="learning rate η")
    ax_a.grid(False)

    def update(eta, batch, n_1):
        costs, test_costs, acc = _grid_run(eta, batch, n_1)
        train_line.set_ydata(costs)
        test_line.set_ydata(test_costs)
        ax_c.set_title(f"cost (test accuracy {acc:.1%})")
        table = np.array([[_grid_run(e, B, n_1)[2] for B in BATCHES]
                          for e in ETAS])                      # (3, 3) accuracies
        heat.set_data(table)
        for i in range(3):
            for j in range(3):
                texts[i][j].set_text(f"{table[i, j]:.0%}")
                texts[i][j].set_color(style.PAPER if table[i, j] > 0.6 else style.INK)
        box.set_xy((BATCHES.index(batch) - 0.5, ETAS.index(eta) - 0.5))
        ax_a.set_title(f"test accuracy, n₁ = {n_1}")

    update(eta, batch, n_1)
    return update
