"""The largest curvature of a network's cost, and the learning rates it allows.

The chapter "One neuron, one weight" shows that gradient descent on a cost
of curvature ``lambda_max`` moves monotonically for ``eta < 1/lambda_max``,
oscillates for ``1/lambda_max < eta < 2/lambda_max`` and diverges above
``2/lambda_max``. For a network the curvature is the largest eigenvalue
``lambda_max`` of the Hessian of the cost with respect to all parameters, at
the current parameters. This module estimates it with Hessian-vector
products, each one a central difference of two gradients from
``network.loss_and_grads``, and power iteration; no Hessian is ever formed.
Power iteration converges to the eigenvalue of largest absolute value; near
a minimum that is ``lambda_max``, and away from one the thresholds it gives
are heuristics. Chapters use it to say why they chose their ``eta``.
"""

from __future__ import annotations

import numpy as np

from . import network
from ._checks import check_params, check_scalar


def _flat(grads) -> np.ndarray:
    return np.concatenate([g.ravel() for pair in grads for g in pair])


def _unflat(theta, params):
    out, k = [], 0
    for W, b in params:
        W_new = theta[k:k + W.size].reshape(W.shape)
        k += W.size
        b_new = theta[k:k + b.size].reshape(b.shape)
        k += b.size
        out.append((W_new, b_new))
    return out


def hessian_vector_product(params, X, Y, v, loss="squared_error", eps=1e-5):
    """``H v`` for the Hessian ``H`` of the cost (``network.cost``) at ``params``, by central differences.

    ``v`` is a flat float64 vector with one entry per parameter (``W^1, b^1,
    W^2, ...`` in order, each raveled), shape ``(P,)``. Returns shape ``(P,)``.
    """
    eps = check_scalar(eps, "eps", positive=True)
    params = check_params(params, dtype=np.float64)
    theta = _flat(params)
    v = np.asarray(v, dtype=np.float64)
    if v.shape != theta.shape:
        raise ValueError(f"v must have shape {theta.shape}, one entry per parameter; "
                         f"got {v.shape}")
    _, g_plus = network.loss_and_grads(_unflat(theta + eps * v, params), X, Y, loss)
    _, g_minus = network.loss_and_grads(_unflat(theta - eps * v, params), X, Y, loss)
    return (_flat(g_plus) - _flat(g_minus)) / (2 * eps)


def largest_curvature(params, X, Y, loss="squared_error", iterations=100, seed=0):
    """``lambda_max``, the largest eigenvalue of the cost's Hessian at ``params`` (a float).

    Power iteration on ``hessian_vector_product`` from a seeded random start;
    deterministic for a given ``seed``. ``params``, ``X`` (``(n_0, m)``) and
    ``Y`` (``(n_L, m)``) are as for ``network.loss_and_grads``. Power
    iteration finds the eigenvalue of largest magnitude; near a minimum or
    on a plateau of a sigmoid network that is the largest positive one.
    """
    if int(iterations) < 1:
        raise ValueError(f"iterations must be a positive integer; got {iterations}")
    params = check_params(params, dtype=np.float64)
    v = np.random.default_rng(seed).standard_normal(_flat(params).size)
    v /= np.linalg.norm(v)
    lam = 0.0
    for _ in range(int(iterations)):
        Hv = hessian_vector_product(params, X, Y, v, loss)
        lam = float(v @ Hv)
        norm = np.linalg.norm(Hv)
        if norm == 0.0:
            return 0.0
        v = Hv / norm
    return lam


def learning_rate_thresholds(params, X, Y, loss="squared_error", **kwargs):
    """``(1/lambda_max, 2/lambda_max)``: where descent starts to oscillate and to diverge.

    The same thresholds as ``landscapes.learning_rate_thresholds`` for a
    bowl, here at the network's current ``params``: valid near ``params``
    only, since the curvature changes as training moves.
    """
    lam = largest_curvature(params, X, Y, loss, **kwargs)
    if lam <= 0:
        raise ValueError(f"the largest curvature is {lam:.3g}, not positive: no threshold")
    return 1.0 / lam, 2.0 / lam


__all__ = ["hessian_vector_product", "largest_curvature", "learning_rate_thresholds"]
