"""backprop.curvature.hvp: exact Hessian-vector products, against differences of gradients and PyTorch.

Three references. Central differences of two gradients (``fd_hvp`` below, in
float64), whose error is the step's truncation plus rounding, so they agree
to about 1e-9 and no better. PyTorch's ``torch.autograd.functional.hvp`` on
the tests' reference network (``benchmarks.step.torch_cost``), an exact
product computed another way, which must agree to 1e-10 relative. And the
symmetry of the Hessian, ``<u, H v> = <H u, v>``, which holds to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest
from cases import flat, make_case, torch_flat_cost

from backprop import curvature, gradcheck, network

LOSSES = ("squared_error", "cross_entropy")
HIDDEN = ("sigmoid", "tanh", "relu", "identity")
# (sizes, m): depths L = 1 to 4, batches of 1 to 16
SHAPES = [([3, 2], 4), ([3, 5, 2], 1), ([4, 6, 3], 9), ([3, 5, 4, 3], 16), ([2, 4, 3, 5, 3], 6)]


def _case(rng, sizes, m, loss, hidden, normalized=True):
    """``make_case`` with nonzero biases; for ReLU, checked to stay 1e-6 away from the kink."""
    params, X, Y = make_case(rng, sizes, m, loss, normalized=normalized)
    params = [(W, 0.3 * rng.standard_normal(b.shape)) for W, b in params]
    if hidden == "relu":
        zs, _ = network.forward(params, X, loss, hidden)
        nearest = min(np.abs(z).min() for z in zs[:-1]) if len(zs) > 1 else np.inf
        assert nearest > 1e-6, f"a hidden z lies {nearest:.1e} from ReLU's kink: pick another case"
    return params, X, Y


def _direction(rng, params):
    return [(rng.standard_normal(W.shape), rng.standard_normal(b.shape)) for W, b in params]


def fd_hvp(params, X, Y, V, loss, hidden, eps=1e-5):
    """``H V`` by central differences of two gradients: ``(grad(params + eps V) - grad(params - eps V)) / (2 eps)``."""
    plus = [(W + eps * V_W, b + eps * V_b) for (W, b), (V_W, V_b) in zip(params, V)]
    minus = [(W - eps * V_W, b - eps * V_b) for (W, b), (V_W, V_b) in zip(params, V)]
    _, g_plus = network.loss_and_grads(plus, X, Y, loss, hidden)
    _, g_minus = network.loss_and_grads(minus, X, Y, loss, hidden)
    return [((gW_p - gW_m) / (2 * eps), (gb_p - gb_m) / (2 * eps))
            for (gW_p, gb_p), (gW_m, gb_m) in zip(g_plus, g_minus)]


def torch_hvp(torch, params, X, Y, V, loss, hidden):
    """``torch.autograd.functional.hvp`` of the cost of ``torch_cost``, flattened in the package's order."""
    cost, theta0 = torch_flat_cost(torch, params, X, Y, loss, hidden)
    _, HV = torch.autograd.functional.hvp(cost, theta0, torch.tensor(flat(V)))
    return HV.numpy()


@pytest.mark.parametrize("sizes, m", SHAPES)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss", LOSSES)
def test_hvp_equals_pytorch(torch, rng, loss, hidden, sizes, m):
    params, X, Y = _case(rng, sizes, m, loss, hidden)
    V = _direction(rng, params)
    HV = curvature.hvp(params, X, Y, V, loss, hidden)
    assert [(a.shape, c.shape) for a, c in HV] == [(W.shape, b.shape) for W, b in params]
    assert gradcheck.relative_error(flat(HV), torch_hvp(torch, params, X, Y, V, loss, hidden)) < 1e-10


@pytest.mark.parametrize("sizes, m", SHAPES[2:])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_hvp_equals_pytorch_for_targets_that_do_not_sum_to_one(torch, rng, hidden, sizes, m):
    params, X, Y = _case(rng, sizes, m, "cross_entropy", hidden, normalized=False)
    assert not np.allclose(Y.sum(axis=0), 1.0)
    V = _direction(rng, params)
    HV = curvature.hvp(params, X, Y, V, "cross_entropy", hidden)
    reference = torch_hvp(torch, params, X, Y, V, "cross_entropy", hidden)
    assert gradcheck.relative_error(flat(HV), reference) < 1e-10


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss", LOSSES)
def test_hvp_equals_central_differences_of_gradients(rng, loss, hidden):
    # A central difference of step eps is off by its truncation, eps^2/6 times a
    # third derivative along V (measured here: up to 5e-9 relative at eps = 1e-5,
    # shrinking a hundredfold per decade of eps), plus rounding, about
    # 1e-16 |grad| / (eps |H V|). At eps = 1e-6 both are near 1e-10 (measured:
    # at most 4e-10); 1e-8 leaves a factor 25, and a wrong term of the
    # R-operator is off by far more.
    for sizes, m in SHAPES:
        params, X, Y = _case(rng, sizes, m, loss, hidden, normalized=False)
        V = _direction(rng, params)
        HV = curvature.hvp(params, X, Y, V, loss, hidden)
        reference = fd_hvp(params, X, Y, V, loss, hidden, eps=1e-6)
        assert gradcheck.relative_error(flat(HV), flat(reference)) < 1e-8


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss", LOSSES)
def test_the_hessian_is_symmetric(rng, loss, hidden):
    params, X, Y = _case(rng, [3, 5, 4, 3], 8, loss, hidden, normalized=False)
    u, v = flat(_direction(rng, params)), flat(_direction(rng, params))
    Hu = curvature.hessian_vector_product(params, X, Y, u, loss, hidden)
    Hv = curvature.hessian_vector_product(params, X, Y, v, loss, hidden)
    assert abs(u @ Hv - Hu @ v) <= 1e-12 * abs(u @ Hv)


def test_the_flat_form_is_hvp_on_vectors(rng):
    params, X, Y = _case(rng, [3, 5, 2], 6, "cross_entropy", "tanh")
    V = _direction(rng, params)
    HV_flat = curvature.hessian_vector_product(params, X, Y, flat(V), "cross_entropy", "tanh")
    assert np.array_equal(HV_flat, flat(curvature.hvp(params, X, Y, V, "cross_entropy", "tanh")))


def test_hvp_is_linear_in_the_direction(rng):
    params, X, Y = _case(rng, [3, 5, 2], 6, "squared_error", "sigmoid")
    U, V = _direction(rng, params), _direction(rng, params)
    mix = [(2 * U_W - 3 * V_W, 2 * U_b - 3 * V_b) for (U_W, U_b), (V_W, V_b) in zip(U, V)]
    HU, HV = (flat(curvature.hvp(params, X, Y, D)) for D in (U, V))
    assert gradcheck.relative_error(flat(curvature.hvp(params, X, Y, mix)), 2 * HU - 3 * HV) < 1e-13


def test_hvp_keeps_float32(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error", dtype=np.float32)
    V = [(np.ones_like(W), np.ones_like(b)) for W, b in params]
    HV = curvature.hvp(params, X, Y, V)
    assert all(a.dtype == np.float32 and c.dtype == np.float32 for a, c in HV)
    exact = curvature.hvp([(W.astype(np.float64), b.astype(np.float64)) for W, b in params],
                          X.astype(np.float64), Y.astype(np.float64), V)
    assert gradcheck.relative_error(flat(HV), flat(exact)) < 1e-5


def test_hvp_refuses_bad_input_with_clear_messages(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    V = _direction(rng, params)
    with pytest.raises(TypeError, match="For a flat vector, use hessian_vector_product"):
        curvature.hvp(params, X, Y, flat(V))
    with pytest.raises(TypeError, match="V must be a list of 2"):
        curvature.hvp(params, X, Y, V[:1])
    with pytest.raises(ValueError, match=r"V_W\^2 \(V\[1\]\[0\]\) must have shape \(2, 4\)"):
        curvature.hvp(params, X, Y, [V[0], (V[1][0].T, V[1][1])])
    with pytest.raises(ValueError, match=r"V_b\^1 .* must have shape \(4, 1\)"):
        curvature.hvp(params, X, Y, [(V[0][0], V[0][1].ravel()), V[1]])
    with pytest.raises(ValueError, match="NaN"):
        curvature.hvp(params, X, Y, [(V[0][0] * np.nan, V[0][1]), V[1]])
    with pytest.raises(ValueError, match="unknown hidden activation 'softplus'"):
        curvature.hvp(params, X, Y, V, hidden="softplus")
    with pytest.raises(ValueError, match="X must have shape"):
        curvature.hvp(params, X.T, Y, V)
    with pytest.raises(ValueError, match=r"v must have shape \(26,\)"):
        curvature.hessian_vector_product(params, X, Y, np.ones(5))


def test_the_unchecked_math_is_the_same_function(rng):
    params, X, Y = _case(rng, [3, 4, 2], 5, "cross_entropy", "relu")
    V = _direction(rng, params)
    checked = curvature.hvp(params, X, Y, V, "cross_entropy", "relu")
    unchecked = curvature.hvp.__wrapped__(params, X, Y, V, "cross_entropy", "relu")
    assert all(np.array_equal(a, c) for pa, pc in zip(checked, unchecked) for a, c in zip(pa, pc))


@pytest.mark.slow
def test_an_hvp_costs_a_few_gradients():
    # Measured side by side on one thread (about 2 to 3 gradients on the 64-32-10 network, batch 64);
    # the bound is generous, for a busy machine: only a ratio, never an absolute time.
    from backprop.benchmarks import hvp_cost

    result = hvp_cost.run_hvp_cost(repeats=7, min_time=0.01, progress=lambda message: None)
    assert 1 < result["math_ratio"] < 10 and 1 < result["ratio"] < 10
