"""Figures of the appendix "Errata" (`app_errata` and its pages per source document): drawing only.

- ``sign_error_descent``: gradient descent on one linear neuron with the correct squared-error
  gradient ``(a - t) x`` and with the sign the notes state, ``(t - a) x`` (interactive; on the
  page of the notes, `app_errata_notes`).
"""

from __future__ import annotations

import numpy as np

from .. import optim
from . import style

#: The neuron's input and target, and the number of steps drawn.
X_NEURON, T_NEURON, STEPS = 1.5, 1.5, 20


def _loss(w):
    """``ell(w) = (w x - t)^2 / 2`` of the neuron, entry by entry (shape of ``w``)."""
    return 0.5 * (w * X_NEURON - T_NEURON) ** 2


def _run(eta, w0, sign):
    """Descent on ``w`` from ``w0``, the gradient times ``sign`` (+1 correct, -1 as stated).

    Returns the weights and their losses, ``(STEPS + 1,)`` each.
    """
    path = optim.gradient_descent(lambda w: sign * (w * X_NEURON - T_NEURON) * X_NEURON,
                                  np.array(w0), eta, STEPS)
    return path, _loss(path)


def sign_error_descent(fig, eta, w0):
    """Interactive: both paths on the loss curve from the start ``w0`` (dotted), and their
    losses against the step on a log scale, for the learning rate ``eta``."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    ax_w, ax_steps = fig.subplots(1, 2)
    w_grid = np.linspace(-3, 5, 200)
    ax_w.plot(w_grid, _loss(w_grid), color=style.FAINT, lw=1.2, label=r"loss $\ell(w)$")
    right_label = "gradient $(a - t)\\,x$"
    wrong_label = "stated $(t - a)\\,x$"
    (path_right,) = ax_w.plot([], [], "o-", ms=4, lw=0.8, label=right_label)
    (path_wrong,) = ax_w.plot([], [], "s-", ms=4, lw=0.8, label=wrong_label)
    start_mark = ax_w.axvline(w0, color=style.MUTED, ls=":", lw=1)
    ax_w.set(xlabel="weight $w$", ylabel=r"loss $\ell$", title="paths on the loss curve",
             xlim=(-3, 5), ylim=(-0.5, 14))
    steps = np.arange(STEPS + 1)
    (cost_right,) = ax_steps.semilogy(steps, steps + 1.0, "o-", ms=3, lw=1, label=right_label)
    (cost_wrong,) = ax_steps.semilogy(steps, steps + 1.0, "s-", ms=3, lw=1, label=wrong_label)
    ax_steps.set(xlabel="gradient-descent step", ylabel=r"loss $\ell$ (log scale)",
                 title="loss at each step", xlim=(0, STEPS), ylim=(1e-8, 1e8))
    # few plain labels: fast frames
    ax_steps.yaxis.set_major_locator(LogLocator(numticks=5))
    ax_steps.yaxis.set_minor_locator(NullLocator())
    ax_steps.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: "1" if v == 1 else f"1e{round(np.log10(v))}"))
    style.legend_below(fig, ncol=3)

    def update(eta, w0):
        for sign, path_line, cost_line in ((1, path_right, cost_right), (-1, path_wrong, cost_wrong)):
            path, costs = _run(eta, w0, sign)
            path_line.set_data(path, costs)
            cost_line.set_ydata(np.clip(costs, 1e-12, 1e12))
        start_mark.set_xdata([w0, w0])

    update(eta, w0)
    return update
