"""The errata appendix's worked example: one example through a small two-layer network.

Appendix "Errata", pages "The matrix chapter" and "The notes". The pages
check the sources' equations on this network, forward and backward, by
hand and against ``network.loss_and_grads``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import network
from .activations import sigmoid, sigmoid_prime


@dataclass(frozen=True)
class Example:
    """One example through a two-layer sigmoid network, with what backpropagation computes.

    For layer sizes ``(n_0, n_1, n_2)`` (``(3, 4, 2)`` in ``small_example``)::

        params          [(W1, b1), (W2, b2)]
        W1, b1          (n_1, n_0), (n_1, 1)
        W2, b2          (n_2, n_1), (n_2, 1)
        x, y            (n_0, 1), (n_2, 1)     the input a^0 and the target
        z1, a1          (n_1, 1)               z^1 = W1 x + b1, a^1 = sigma(z^1)
        z2, a2          (n_2, 1)               z^2 = W2 a^1 + b2, a^2 = sigma(z^2)
        delta2          (n_2, 1)               (a^2 - y) * sigma'(z^2), the output rule (B1)
        delta1          (n_1, 1)               (W2.T @ delta2) * sigma'(z^1), the backward rule (B2)
        grads           [(grad_W1, grad_b1), (grad_W2, grad_b2)], shaped like ``params``,
                        from ``network.loss_and_grads`` (the loss 1/2 ||a^2 - y||^2 of the one example)
    """

    params: list
    x: np.ndarray
    y: np.ndarray
    z1: np.ndarray
    a1: np.ndarray
    z2: np.ndarray
    a2: np.ndarray
    delta1: np.ndarray
    delta2: np.ndarray
    grads: list


def small_example(sizes=(3, 4, 2), seed=3) -> Example:
    """A two-layer sigmoid network, one example and its target, run forward and backward.

    The sizes differ from each other so that a misplaced transpose is a shape error;
    the biases are nonzero so that leaving one out changes ``z``. The target is
    ``(0.9, 0.1)`` for two outputs (evenly spaced from 0.9 to 0.1 for more). The
    errors ``delta`` are computed by the backward rules, the gradients by
    ``network.loss_and_grads``; deterministic for a given ``seed``. See ``Example``
    for the shapes.
    """
    n_0, n_1, n_2 = (int(n) for n in sizes)
    rng = np.random.default_rng(seed)
    params = [(W, b + 0.3 * rng.standard_normal(b.shape))
              for W, b in network.init_params([n_0, n_1, n_2], seed=seed)]
    (W1, b1), (W2, b2) = params
    x = rng.standard_normal((n_0, 1))
    y = np.linspace(0.9, 0.1, n_2)[:, None]
    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    a2 = sigmoid(z2)
    delta2 = (a2 - y) * sigmoid_prime(z2)
    delta1 = (W2.T @ delta2) * sigmoid_prime(z1)
    _, grads = network.loss_and_grads(params, x, y)
    return Example(params, x, y, z1, a1, z2, a2, delta1, delta2, grads)


__all__ = ["Example", "small_example"]
