"""Exact Hessian-vector products of a network's cost, its largest curvature, and the learning rates it allows.

The chapter "One neuron, one weight" shows that gradient descent on a cost
of curvature ``lambda_max`` moves monotonically for ``eta < 1/lambda_max``,
oscillates for ``1/lambda_max < eta < 2/lambda_max`` and diverges above
``2/lambda_max``. For a network the curvature is the largest eigenvalue
``lambda_max`` of the Hessian ``H`` of the cost with respect to all
parameters, at the current parameters. Chapters use it to say why they chose
their ``eta``.

No Hessian is ever formed: ``H`` is used only through products ``H V`` with
a direction ``V`` (one ``(V_W, V_b)`` per layer, shaped like ``params``).
``hvp`` computes them exactly, by **forward-over-reverse**: ``H V`` is the
directional derivative, along ``V``, of the gradient, so it is a JVP of the
backward pass. Pearlmutter's R-operator writes it layer by layer: for any
quantity ``q`` of the passes, ``R{q} = d/dt q(params + t V)`` at ``t = 0``.
The JVP rules (``autodiff``) give, forward, alongside ``network.forward``::

    R{A^0} = 0                                              (X is data)
    R{Z^l} = V_W^l A^{l-1} + W^l R{A^{l-1}} + V_b^l          (product rule)
    R{A^l} = f'(Z^l) * R{Z^l}                               (element-wise f)
    R{A^L} = A^L * (R{Z^L} - 1^T (A^L * R{Z^L}))            (softmax, per column)

and, backward, the R of each line of ``network.backward``::

    R{Delta^L} = R{A^L} * sigma'(Z^L) + (A^L - Y) * sigma''(Z^L) * R{Z^L}   (R of B1)
    R{Delta^L} = R{A^L} * (1^T Y)                                           (R of S1)
    R{grad_Z^L} = R{Delta^L} / m
    R{grad_W^l} = R{grad_Z^l} (A^{l-1})^T + grad_Z^l R{A^{l-1}}^T           (R of B3)
    R{grad_b^l} = R{grad_Z^l} 1                                             (R of B4)
    R{grad_Z^{l-1}} = ((V_W^l)^T grad_Z^l + (W^l)^T R{grad_Z^l}) * f'(Z^{l-1})
                      + ((W^l)^T grad_Z^l) * f''(Z^{l-1}) * R{Z^{l-1}}      (R of B2)

``H V`` is ``(R{grad_W^l}, R{grad_b^l})`` for every layer. It costs a few
gradients (``benchmarks.hvp_cost`` measures it), and it is exact: no step
size, no cancellation, only rounding. ``f''`` is
``activations.SECOND_DERIVATIVES``; ReLU's is 0 away from its kink, where
the cost has no Hessian at all.

**Which eigenvalue.** Power iteration, ``v <- H v / ||H v||``, converges to
an eigenvector of the eigenvalue of largest *absolute value*. Near a minimum
no eigenvalue is negative and that is ``lambda_max``. Away from one, the
Hessian may have a negative eigenvalue larger in magnitude than
``lambda_max``; power iteration then finds that one, ``lambda_min``.
``largest_curvature`` detects it (the estimate is negative) and runs power
iteration a second time on the shifted map ``H - lambda_min I``, whose
eigenvalues ``lambda - lambda_min`` are all ``>= 0`` and largest for
``lambda_max``; so it always returns ``lambda_max``, and ``lambda_min`` only
costs the first run. Away from a minimum the thresholds are heuristics.

**Gauss-Newton.** For squared error, ``C = (1/2m) ||A^L - Y||_F^2``, the
Hessian splits as ``H = G + (terms that carry the residual A^L - Y)``,
with ``G = (1/m) sum_i J_i^T J_i`` and ``J_i`` the Jacobian of example
``i``'s output ``a^L`` with respect to the parameters. ``G`` is positive
semidefinite, and ``G = H`` where the residual is zero.
``gauss_newton_vector_product`` computes ``G V`` as a JVP (``r_forward``,
the forward half of ``hvp``) followed by a VJP (the backward pass with
``R{A^L} / m`` as the output gradient, and no second derivatives).
"""

from __future__ import annotations

import functools

import numpy as np

from . import network
from ._checks import as_array, check_batch, check_choice, check_int, check_shape
from .activations import ACTIVATIONS, SECOND_DERIVATIVES, sigmoid_prime, sigmoid_second


def r_forward(params, zs, activations, V, loss="squared_error",
              hidden="sigmoid"):
    """The R-forward pass ``(R_zs, R_activations)``: the forward JVP along V.

    ``zs`` and ``activations`` are those of ``network.forward``;
    ``R_zs[l - 1]`` is ``R{Z^l}`` and ``R_activations[l]`` is ``R{A^l}``,
    shape ``(n_l, m)``, with ``R_activations[0] = None`` (``R{A^0} = 0``).
    ``R{A^L}`` is ``J V``, the output map's Jacobian applied to ``V``.
    """
    _, f_prime = ACTIVATIONS[hidden]
    L = len(params)
    # R{A^0} = 0: X does not depend on params.
    R_zs, R_activations = [], [None]
    for l in range(1, L + 1):
        (W, _), (V_W, V_b) = params[l - 1], V[l - 1]
        z, a = zs[l - 1], activations[l]
        R_z = V_W @ activations[l - 1] + V_b               # (n_l, m)
        if l > 1:
            R_z += W @ R_activations[l - 1]
        if l < L:                                          # f elementwise
            R_a = f_prime(z) * R_z
        elif loss == "squared_error":                      # sigmoid
            R_a = sigmoid_prime(z) * R_z
        else:                                              # softmax
            R_a = a * (R_z - np.sum(a * R_z, axis=0, keepdims=True))
        R_zs.append(R_z)
        R_activations.append(R_a)
    return R_zs, R_activations


def hvp(params, X, Y, V, loss="squared_error", hidden="sigmoid"):
    """The exact Hessian-vector product ``H V``, a list like ``params``.

    ``params``, ``X`` ``(n_0, m)``, ``Y`` ``(n_L, m)``, ``loss`` and
    ``hidden`` are as for ``network.loss_and_grads``; ``H`` is the Hessian
    of ``network.cost`` with respect to every ``W^l`` and ``b^l``. ``V`` is
    the direction, a list of ``(V_W, V_b)`` with the shapes of ``params``;
    the result, ``(R{grad_W^l}, R{grad_b^l})`` for each layer, has them
    too. Forward-over-reverse: the R-operator (module
    docstring) runs alongside the forward pass (``r_forward``) and the
    backward pass (B1)/(S1)-(B4), ``R{q}`` being the derivative of ``q``
    along ``V``.
    """
    _, f_prime = ACTIVATIONS[hidden]
    f_second = SECOND_DERIVATIVES[hidden]
    L = len(params)
    m = X.shape[1]
    zs, activations = network.forward(params, X, loss, hidden)
    R_zs, R_activations = r_forward(params, zs, activations, V, loss, hidden)

    # Backward: each line of network.backward, with its R beside it.
    z, a, R_z, R_a = zs[L - 1], activations[L], R_zs[L - 1], R_activations[L]
    if loss == "squared_error":                            # (B1)
        Delta = (a - Y) * sigmoid_prime(z)
        R_Delta = (R_a * sigmoid_prime(z)
                   + (a - Y) * sigmoid_second(z) * R_z)
    else:                                                  # (S1)
        Delta = a * Y.sum(axis=0, keepdims=True) - Y
        R_Delta = R_a * Y.sum(axis=0, keepdims=True)
    grad_Z, R_grad_Z = Delta / m, R_Delta / m              # (n_L, m)
    HV = [None] * L
    for l in range(L, 0, -1):
        (W, _), (V_W, _) = params[l - 1], V[l - 1]
        R_grad_W = R_grad_Z @ activations[l - 1].T         # (B3)
        if l > 1:                                          # R{A^0} = 0
            R_grad_W += grad_Z @ R_activations[l - 1].T
        R_grad_b = R_grad_Z.sum(axis=1, keepdims=True)     # (B4)
        HV[l - 1] = (R_grad_W, R_grad_b)                   # shapes of W, b
        if l > 1:                                          # (B2)
            z, R_z = zs[l - 2], R_zs[l - 2]
            back = W.T @ grad_Z                            # (n_{l-1}, m)
            R_back = V_W.T @ grad_Z + W.T @ R_grad_Z
            grad_Z = back * f_prime(z)
            R_grad_Z = (R_back * f_prime(z)
                        + back * f_second(z) * R_z)
    return HV


def gauss_newton_vector_product(params, X, Y, V, hidden="sigmoid"):
    """The Gauss-Newton product ``G V`` for squared error, like ``params``.

    ``G = (1/m) sum_i J_i^T J_i``, with ``J_i`` the Jacobian of the output
    ``a^L`` of example ``i`` with respect to all parameters: the Hessian
    of the cost without the terms that carry the residual ``A^L - Y``. A
    JVP, then a VJP: ``r_forward`` gives ``R{A^L} = J V``; the backward
    pass (B1)-(B4) of ``network.backward`` with ``R{A^L} / m`` in place
    of the output gradient ``(A^L - Y) / m`` gives ``J^T R{A^L} / m``.
    ``params``, ``X`` ``(n_0, m)``, ``Y`` ``(n_L, m)``, ``V`` and
    ``hidden`` are as for ``hvp``; ``Y`` is not used (``G`` does not
    depend on the targets). Squared error only.
    """
    _, f_prime = ACTIVATIONS[hidden]
    L = len(params)
    m = X.shape[1]
    zs, activations = network.forward(params, X, "squared_error", hidden)
    _, R_activations = r_forward(params, zs, activations, V,
                                 "squared_error", hidden)
    # (B1) with R{A^L} for A^L - Y: the VJP of J applied to R{A^L} / m
    grad_Z = R_activations[L] * sigmoid_prime(zs[L - 1]) / m   # (n_L, m)
    GV = [None] * L
    for l in range(L, 0, -1):
        W, _ = params[l - 1]
        GV[l - 1] = (grad_Z @ activations[l - 1].T,            # (B3)
                     grad_Z.sum(axis=1, keepdims=True))        # (B4)
        if l > 1:                                              # (B2)
            grad_Z = (W.T @ grad_Z) * f_prime(zs[l - 2])
    return GV


def _flat(pairs) -> np.ndarray:
    """``W^1, b^1, W^2, ...``, each raveled, in one vector of shape ``(P,)``."""
    return np.concatenate([g.ravel() for pair in pairs for g in pair])


def _unflat(theta, params):
    """The inverse of ``_flat``: a flat ``(P,)`` vector cut into ``(W, b)`` pairs shaped like ``params``."""
    out, k = [], 0
    for W, b in params:
        W_new = theta[k:k + W.size].reshape(W.shape)
        k += W.size
        b_new = theta[k:k + b.size].reshape(b.shape)
        k += b.size
        out.append((W_new, b_new))
    return out


def hessian_vector_product(params, X, Y, v, loss="squared_error", hidden="sigmoid"):
    """``H v`` for a flat ``v``: ``hvp`` on vectors, the form power iteration uses. Shape ``(P,)``.

    ``v`` has one entry per parameter (``W^1, b^1, W^2, ...`` in order, each
    raveled), shape ``(P,)``. Computed in float64.
    """
    params, X, Y = _checked_float64(params, X, Y, loss, hidden)
    v = as_array(v, "v", finite=True).astype(np.float64, copy=False)
    P = sum(W.size + b.size for W, b in params)
    check_shape(v, "v", (P,), "One entry per parameter: W^1, b^1, W^2, ... in order, each raveled.")
    return _flat(hvp.__wrapped__(params, X, Y, _unflat(v, params), loss, hidden))


def _power_iteration(H, n, iterations, seed):
    """The Rayleigh quotient ``v^T H v`` after ``iterations`` steps of ``v <- H v / ||H v||``.

    ``H`` maps a ``(n,)`` vector to a ``(n,)`` vector; the start is a seeded
    random unit vector.
    """
    v = np.random.default_rng(seed).standard_normal(n)
    v /= np.linalg.norm(v)
    lam = 0.0
    for _ in range(iterations):
        Hv = H(v)
        lam = float(v @ Hv)
        norm = np.linalg.norm(Hv)
        if norm == 0.0:
            return 0.0
        v = Hv / norm
    return lam


def largest_curvature(params, X, Y, loss="squared_error", hidden="sigmoid", iterations=100, seed=0):
    """``lambda_max``, the largest eigenvalue of the cost's Hessian at ``params`` (a float).

    Power iteration on exact Hessian-vector products (``hvp``) from a seeded
    random start; deterministic for a given ``seed``. ``params``, ``X``
    (``(n_0, m)``), ``Y`` (``(n_L, m)``), ``loss`` and ``hidden`` are as for
    ``network.loss_and_grads``. Power iteration finds the eigenvalue of
    largest magnitude; when that one is negative, a second run on
    ``H - lambda_min I`` finds ``lambda_max`` (module docstring).
    """
    iterations = check_int(iterations, "iterations")
    params, X, Y = _checked_float64(params, X, Y, loss, hidden)
    n = sum(W.size + b.size for W, b in params)

    def H(v):                                                      # (P,) -> (P,)
        return _flat(hvp.__wrapped__(params, X, Y, _unflat(v, params), loss, hidden))

    lam = _power_iteration(H, n, iterations, seed)
    if lam < 0:          # the dominant eigenvalue is lambda_min: shift it to 0
        lam_min = lam
        lam = lam_min + _power_iteration(lambda v: H(v) - lam_min * v, n, iterations, seed)
    return lam


def learning_rate_thresholds(params, X, Y, loss="squared_error", hidden="sigmoid", **kwargs):
    """``(1/lambda_max, 2/lambda_max)``: where descent starts to oscillate and to diverge.

    The same thresholds as ``landscapes.learning_rate_thresholds`` for a
    bowl, here at the network's current ``params``: valid near ``params``
    only, since the curvature changes as training moves. ``kwargs`` go to
    ``largest_curvature``.
    """
    lam = largest_curvature(params, X, Y, loss, hidden, **kwargs)
    if lam <= 0:
        raise ValueError(f"the largest curvature is {lam:.3g}, not positive: no threshold")
    return 1.0 / lam, 2.0 / lam


# --------------------------------------------------------------------------
# The public boundary
# --------------------------------------------------------------------------
# ``hvp`` as exported checks its input once, like ``network.loss_and_grads``;
# ``hvp.__wrapped__`` is the math above, which a chapter may print.

def _check_choices(loss, hidden):
    check_choice(loss, "loss", network.LOSSES)
    check_choice(hidden, "hidden activation", network.HIDDEN)


def _checked_float64(params, X, Y, loss, hidden):
    """``params``, ``X`` and ``Y`` checked once and in float64, for the flat forms and power iteration."""
    _check_choices(loss, hidden)
    if Y is None:
        raise TypeError("Y must be an array of shape (n_L, m); got None")
    params, X, Y = check_batch(params, X, Y)
    params = [(W.astype(np.float64, copy=False), b.astype(np.float64, copy=False)) for W, b in params]
    return params, X.astype(np.float64, copy=False), Y.astype(np.float64, copy=False)


def _check_direction(V, params):
    """``V`` as a list of ``(V_W, V_b)`` arrays with the shapes and dtype of ``params``."""
    if isinstance(V, np.ndarray) or not isinstance(V, (list, tuple)) or len(V) != len(params):
        raise TypeError(f"V must be a list of {len(params)} (V_W, V_b) pairs shaped like params; "
                        f"got {type(V).__name__}" + (f" of length {len(V)}" if isinstance(V, (list, tuple)) else "")
                        + (". For a flat vector, use hessian_vector_product" if isinstance(V, np.ndarray) else ""))
    out = []
    for l, (pair, (W, b)) in enumerate(zip(V, params), start=1):
        if isinstance(pair, np.ndarray) or not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"V[{l - 1}] must be a (V_W, V_b) pair for layer {l}; got {type(pair).__name__}")
        V_W = as_array(pair[0], f"V_W^{l} (V[{l - 1}][0])", ndim=2, shape_hint=str(W.shape))
        V_b = as_array(pair[1], f"V_b^{l} (V[{l - 1}][1])", shape_hint=str(b.shape))
        check_shape(V_W, f"V_W^{l} (V[{l - 1}][0])", W.shape, f"It must have the shape of W^{l}.")
        check_shape(V_b, f"V_b^{l} (V[{l - 1}][1])", b.shape, f"It must have the shape of b^{l}.")
        out.append((V_W.astype(W.dtype, copy=False), V_b.astype(b.dtype, copy=False)))
    return out


def _checked(math):
    """``math(params, X, Y, V, loss, hidden)`` behind one check of its input."""

    @functools.wraps(math)
    def entry(params, X, Y, V, loss="squared_error", hidden="sigmoid"):
        _check_choices(loss, hidden)
        if Y is None:
            raise TypeError("Y must be an array of shape (n_L, m); got None")
        params, X, Y = check_batch(params, X, Y)
        return math(params, X, Y, _check_direction(V, params), loss, hidden)

    return entry


hvp = _checked(hvp)


def _checked_squared_error(math):
    """``math(params, X, Y, V, hidden)`` behind one check of its input; squared error only."""

    @functools.wraps(math)
    def entry(params, X, Y, V, hidden="sigmoid", *, loss="squared_error"):
        if loss != "squared_error":
            raise ValueError(f"the Gauss-Newton product is for loss='squared_error' only; got loss={loss!r}. "
                             "(With softmax and cross-entropy the loss's Hessian in the output is not I.)")
        if hidden in network.LOSSES:
            raise ValueError(f"hidden={hidden!r} names a loss: the fifth argument is the hidden "
                             f"activation, one of {', '.join(network.HIDDEN)}")
        check_choice(hidden, "hidden activation", network.HIDDEN)
        if Y is None:
            raise TypeError("Y must be an array of shape (n_L, m); got None")
        params, X, Y = check_batch(params, X, Y)
        return math(params, X, Y, _check_direction(V, params), hidden)

    return entry


gauss_newton_vector_product = _checked_squared_error(gauss_newton_vector_product)


__all__ = ["gauss_newton_vector_product", "hessian_vector_product", "hvp", "largest_curvature",
           "learning_rate_thresholds", "r_forward"]
