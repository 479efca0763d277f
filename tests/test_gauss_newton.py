"""backprop.curvature.gauss_newton_vector_product: the Gauss-Newton product for squared error.

``G = (1/m) sum_i J_i^T J_i``, with ``J_i`` the Jacobian of the output ``a^L`` of
example ``i`` with respect to all parameters. Four references: PyTorch, with an
explicit Jacobian of the output map (``torch.autograd.functional.jacobian``) and
with ``torch.func.jvp`` then ``torch.func.vjp``, both float64, to 1e-10; central
differences of the output map (a JVP by differences, then ``J^T`` by the package's
exact backward pass); the exact ``hvp`` where the residual is zero, where ``G = H``;
and the sign of ``<V, G V>``, never negative, where ``<V, H V>`` can be.
"""

from __future__ import annotations

import numpy as np
import pytest
from cases import make_case

from backprop import curvature, gradcheck, network

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
# (sizes, m): depths L = 1 to 4
SHAPES = [([3, 2], 4), ([3, 5, 2], 1), ([4, 6, 3], 9), ([3, 5, 4, 3], 16), ([2, 4, 3, 5, 3], 6)]


def _case(rng, sizes, m, hidden):
    """``make_case`` for squared error with nonzero biases; for ReLU, away from the kink."""
    params, X, Y = make_case(rng, sizes, m, "squared_error")
    params = [(W, 0.3 * rng.standard_normal(b.shape)) for W, b in params]
    if hidden == "relu":
        zs, _ = network.forward(params, X, "squared_error", hidden)
        nearest = min(np.abs(z).min() for z in zs[:-1]) if len(zs) > 1 else np.inf
        assert nearest > 1e-6, f"a hidden z lies {nearest:.1e} from ReLU's kink: pick another case"
    return params, X, Y


def _direction(rng, params):
    return [(rng.standard_normal(W.shape), rng.standard_normal(b.shape)) for W, b in params]


def _flat(pairs):
    return np.concatenate([a.ravel() for pair in pairs for a in pair])


def _unflat(theta, params):
    out, k = [], 0
    for W, b in params:
        out.append((theta[k:k + W.size].reshape(W.shape), theta[k + W.size:k + W.size + b.size].reshape(b.shape)))
        k += W.size + b.size
    return out


def _output_along(params, X, V, t, hidden="sigmoid"):
    """The output ``A^L`` ``(n_L, m)`` at ``params + t V``."""
    moved = [(W + t * V_W, b + t * V_b) for (W, b), (V_W, V_b) in zip(params, V)]
    return network.forward(moved, X, "squared_error", hidden)[1][-1]


def _torch_output(torch, params, X, hidden):
    """``theta -> A^L`` flattened, in PyTorch: the book's layers, a sigmoid output."""
    functions = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                 "identity": lambda z: z}
    shapes = [(W.shape, b.shape) for W, b in params]
    X_t = torch.tensor(X)

    def output(theta):
        a, k = X_t, 0
        for ((n_l, n_prev), _), f in zip(shapes, network.architecture(len(shapes), "squared_error", hidden)):
            W = theta[k:k + n_l * n_prev].reshape(n_l, n_prev)
            k += n_l * n_prev
            b = theta[k:k + n_l].reshape(n_l, 1)
            k += n_l
            a = functions[f](W @ a + b)
        return a.reshape(-1)

    return output


@pytest.mark.parametrize("sizes, m", SHAPES)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_gn_product_equals_pytorch_with_an_explicit_jacobian(torch, rng, hidden, sizes, m):
    params, X, Y = _case(rng, sizes, m, hidden)
    V = _direction(rng, params)
    GV = curvature.gauss_newton_vector_product(params, X, Y, V, hidden)
    assert [(a.shape, c.shape) for a, c in GV] == [(W.shape, b.shape) for W, b in params]
    output = _torch_output(torch, params, X, hidden)
    J = torch.autograd.functional.jacobian(output, torch.tensor(_flat(params))).numpy()  # (n_L m, P)
    G = J.T @ J / m
    assert gradcheck.relative_error(_flat(GV), G @ _flat(V)) < 1e-10


@pytest.mark.parametrize("hidden", HIDDEN)
def test_gn_product_equals_pytorch_jvp_then_vjp(torch, rng, hidden):
    from torch.func import jvp, vjp

    for sizes, m in SHAPES:
        params, X, Y = _case(rng, sizes, m, hidden)
        V = _direction(rng, params)
        output = _torch_output(torch, params, X, hidden)
        theta = torch.tensor(_flat(params))
        _, JV = jvp(output, (theta,), (torch.tensor(_flat(V)),))
        _, pullback = vjp(output, theta)
        (GV_torch,) = pullback(JV / m)
        GV = curvature.gauss_newton_vector_product(params, X, Y, V, hidden)
        assert gradcheck.relative_error(_flat(GV), GV_torch.numpy()) < 1e-10


@pytest.mark.parametrize("hidden", HIDDEN)
def test_gn_product_equals_central_differences(rng, hidden):
    # J V by a central difference of the output map (truncation eps^2, rounding 1e-16/eps),
    # then J^T by the package's exact backward pass with J V / m as the output gradient.
    for sizes, m in SHAPES:
        params, X, Y = _case(rng, sizes, m, hidden)
        V = _direction(rng, params)
        eps = 1e-6
        zs, activations = network.forward(params, X, "squared_error", hidden)
        JV = (_output_along(params, X, V, eps, hidden) - _output_along(params, X, V, -eps, hidden)) / (2 * eps)
        # network.backward with targets A^L - J V makes A^L - Y = J V: its gradient is J^T (J V) / m
        reference = network.backward(params, zs, activations, activations[-1] - JV, "squared_error", hidden)
        GV = curvature.gauss_newton_vector_product(params, X, Y, V, hidden)
        assert gradcheck.relative_error(_flat(GV), _flat(reference)) < 1e-8
        # and <V, G V> = ||J V||^2 / m
        assert np.isclose(_flat(V) @ _flat(GV), np.sum(JV * JV) / m, rtol=1e-8)


@pytest.mark.parametrize("sizes, m", SHAPES)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_gn_equals_the_hessian_at_zero_residual(rng, hidden, sizes, m):
    params, X, _ = _case(rng, sizes, m, hidden)
    Y = network.forward(params, X, "squared_error", hidden)[1][-1]         # targets = outputs
    V = _direction(rng, params)
    GV = _flat(curvature.gauss_newton_vector_product(params, X, Y, V, hidden))
    HV = _flat(curvature.hvp(params, X, Y, V, "squared_error", hidden))
    assert gradcheck.relative_error(GV, HV) < 1e-12
    # ... and not where the residual is not zero
    Y_far = Y + rng.standard_normal(Y.shape)
    HV_far = _flat(curvature.hvp(params, X, Y_far, V, "squared_error", hidden))
    GV_far = _flat(curvature.gauss_newton_vector_product(params, X, Y_far, V, hidden))
    assert np.array_equal(GV_far, GV)                                      # G does not see Y
    assert gradcheck.relative_error(GV_far, HV_far) > 1e-3


@pytest.mark.parametrize("hidden", HIDDEN)
def test_gn_is_positive_semidefinite_and_the_hessian_need_not_be(rng, hidden):
    params, X, _ = _case(rng, [2, 4, 3], 5, hidden)
    Y = network.forward(params, X, "squared_error", hidden)[1][-1] + 3 * rng.standard_normal((3, 5))
    P = sum(W.size + b.size for W, b in params)
    columns = [_unflat(e, params) for e in np.eye(P)]
    G = np.column_stack([_flat(curvature.gauss_newton_vector_product(params, X, Y, E, hidden))
                         for E in columns])
    H = np.column_stack([curvature.hessian_vector_product(params, X, Y, e, "squared_error", hidden)
                         for e in np.eye(P)])
    assert np.abs(G - G.T).max() <= 1e-14 * np.abs(G).max()
    g_eigenvalues, h_eigenvalues = np.linalg.eigvalsh(G), np.linalg.eigvalsh((H + H.T) / 2)
    assert g_eigenvalues.min() >= -1e-14 * g_eigenvalues.max()
    assert h_eigenvalues.min() < -1e-3 * h_eigenvalues.max()               # a residual this large
    for _ in range(20):
        V = _direction(rng, params)
        assert _flat(V) @ _flat(curvature.gauss_newton_vector_product(params, X, Y, V, hidden)) >= 0


def test_gn_is_linear_in_the_direction_and_keeps_float32(rng):
    params, X, Y = _case(rng, [3, 5, 2], 6, "tanh")
    U, V = _direction(rng, params), _direction(rng, params)
    mix = [(2 * U_W - 3 * V_W, 2 * U_b - 3 * V_b) for (U_W, U_b), (V_W, V_b) in zip(U, V)]
    GU, GV = (_flat(curvature.gauss_newton_vector_product(params, X, Y, D, "tanh")) for D in (U, V))
    mixed = _flat(curvature.gauss_newton_vector_product(params, X, Y, mix, "tanh"))
    assert gradcheck.relative_error(mixed, 2 * GU - 3 * GV) < 1e-13
    p32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    G32 = curvature.gauss_newton_vector_product(p32, X.astype(np.float32), Y.astype(np.float32), V, "tanh")
    assert all(a.dtype == np.float32 and c.dtype == np.float32 for a, c in G32)
    assert gradcheck.relative_error(_flat(G32), GV) < 1e-5


def test_the_r_forward_pass_is_shared_with_hvp(rng):
    import inspect

    params, X, Y = _case(rng, [3, 5, 2], 6, "sigmoid")
    V = _direction(rng, params)
    zs, activations = network.forward(params, X)
    R_zs, R_activations = curvature.r_forward(params, zs, activations, V)
    eps = 1e-6
    by_differences = (_output_along(params, X, V, eps) - _output_along(params, X, V, -eps)) / (2 * eps)
    assert gradcheck.relative_error(R_activations[-1], by_differences) < 1e-8
    assert len(R_zs) == len(params) and R_activations[0] is None
    for f in (curvature.hvp, curvature.gauss_newton_vector_product):
        source = inspect.getsource(f.__wrapped__)
        assert "r_forward(" in source and "V_W @ activations" not in source


def test_gn_refuses_bad_input_with_clear_messages(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    V = _direction(rng, params)
    gn = curvature.gauss_newton_vector_product
    with pytest.raises(ValueError, match="for loss='squared_error' only; got loss='cross_entropy'"):
        gn(params, X, Y, V, loss="cross_entropy")
    with pytest.raises(ValueError, match="names a loss: the fifth argument is the hidden activation"):
        gn(params, X, Y, V, "cross_entropy")
    with pytest.raises(ValueError, match="unknown hidden activation 'softplus'"):
        gn(params, X, Y, V, "softplus")
    with pytest.raises(TypeError, match="For a flat vector, use hessian_vector_product"):
        gn(params, X, Y, _flat(V))
    with pytest.raises(ValueError, match=r"V_W\^2 \(V\[1\]\[0\]\) must have shape \(2, 4\)"):
        gn(params, X, Y, [V[0], (V[1][0].T, V[1][1])])
    with pytest.raises(ValueError, match="X must have shape"):
        gn(params, X.T, Y, V)
    with pytest.raises(TypeError, match="Y must be an array"):
        gn(params, X, None, V)

