"""Figures of the chapter `app_derivations` (drawing code only; the math lives in the package)."""

from __future__ import annotations

import numpy as np

from .. import activations, losses, optim
from . import style

#: Starting logits (class 1 favored) and the one-hot target (class 3) of the figure.
Z_START = np.array([[2.0], [0.5], [-1.0]])
TARGET = np.array([[0.0], [0.0], [1.0]])
BASE_STEPS = 30
BASES = {"2": 2.0, "e": np.e, "10": 10.0}


def descend_logits(eta, base):
    """Gradient descent on the logits of softmax cross-entropy in base ``base`` (``BASE_STEPS``
    steps from ``Z_START``). Returns the loss in nats and the probability of class 3, each
    ``(BASE_STEPS + 1,)``."""
    grad = lambda z: losses.softmax_cross_entropy_grad(z, TARGET, base)        # (3, 1)
    path = optim.gradient_descent(grad, Z_START, eta, BASE_STEPS)             # (STEPS + 1, 3, 1)
    Z = path[:, :, 0].T                                                       # (3, STEPS + 1)
    T = np.repeat(TARGET, BASE_STEPS + 1, axis=1)
    return losses.cross_entropy_with_logits(Z, T), activations.softmax(Z)[2]


def base_rescaling(fig, eta, b):
    """Interactive: loss and probability of the target class during descent in base ``b``
    (``"2"``, ``"e"`` or ``"10"``) at rate ``eta``, beside base e at rates ``eta / ln b`` and ``eta``."""
    ax_loss, ax_prob = fig.subplots(1, 2)
    steps = np.arange(BASE_STEPS + 1)
    styles = [dict(label="base $b$, rate $\\eta$"),
              dict(ls="none", marker="o", ms=4, mfc="none", label="base $e$, rate $\\eta/\\ln b$"),
              dict(ls="--", color=style.MUTED, label="base $e$, rate $\\eta$")]
    lines = [(ax_loss.plot(steps, steps * 0.0, **kw)[0], ax_prob.plot(steps, steps * 0.0, **kw)[0])
             for kw in styles]
    ax_loss.set(xlabel="gradient-descent step", ylabel=r"loss $\ell_e$ (nats)",
                title="cross-entropy, in nats")
    style.fixed_limits(ax_loss, (0, BASE_STEPS), (0, 3.5))
    ax_prob.set(xlabel="gradient-descent step", ylabel="$a_3$",
                title="probability of the target class")
    style.fixed_limits(ax_prob, (0, BASE_STEPS), (0, 1))
    style.legend_below(fig, axes=[ax_loss], ncol=3)
    info = style.live_text(ax_loss.text(0.97, 0.95, "", transform=ax_loss.transAxes,
                                        ha="right", va="top"))

    def update(eta, b):
        base = BASES[b]
        ln_b = np.log(base)
        runs = [descend_logits(eta, base), descend_logits(eta / ln_b, np.e),
                descend_logits(eta, np.e)]
        for (l1, l2), (loss, prob) in zip(lines, runs):
            l1.set_ydata(loss)
            l2.set_ydata(prob)
        info.set_text(f"ln b = {ln_b:.2f}\nη / ln b = {eta / ln_b:.2f}")

    update(eta, b)
    return update
