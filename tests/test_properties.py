"""Property-based tests (hypothesis) over random depths, widths, batch sizes and dtypes."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop import autodiff, gradcheck, jacobian, network

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw, max_depth=3, max_width=5, max_batch=6):
    depth = draw(st.integers(1, max_depth))
    sizes = [draw(st.integers(1, max_width)) for _ in range(depth + 1)]
    m = draw(st.integers(1, max_batch))
    loss = draw(st.sampled_from(["squared_error", "cross_entropy"]))
    if loss == "cross_entropy" and sizes[-1] < 2:
        sizes[-1] = 2
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    params = network.init_params(sizes, seed=seed)
    params = [(W, 0.3 * rng.standard_normal(b.shape)) for W, b in params]
    X = rng.standard_normal((sizes[0], m))
    if loss == "squared_error":
        Y = rng.random((sizes[-1], m))
    elif draw(st.booleans()):
        Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]
    else:
        Y = rng.random((sizes[-1], m))          # targets that do not sum to 1
    return params, X, Y, loss, rng


@SETTINGS
@given(networks())
def test_gradients_match_central_differences(case):
    params, X, Y, loss, _ = case
    assert gradcheck.check_grads(params, X, Y, loss) < 1e-6


@SETTINGS
@given(networks(), st.sampled_from([np.float32, np.float64]))
def test_dtype_in_is_dtype_out(case, dtype):
    params, X, Y, loss, _ = case
    cast = [(W.astype(dtype), b.astype(dtype)) for W, b in params]
    cost, grads = network.loss_and_grads(cast, X.astype(dtype), Y.astype(dtype), loss)
    assert isinstance(cost, float)
    for (W, b), (gW, gb) in zip(cast, grads):
        assert gW.dtype == dtype and gb.dtype == dtype
        assert gW.shape == W.shape and gb.shape == b.shape


@SETTINGS
@given(networks())
def test_cost_is_invariant_to_permuting_the_batch(case):
    params, X, Y, loss, rng = case
    order = rng.permutation(X.shape[1])
    cost, grads = network.loss_and_grads(params, X, Y, loss)
    cost_p, grads_p = network.loss_and_grads(params, X[:, order], Y[:, order], loss)
    assert np.isclose(cost, cost_p, rtol=1e-12, atol=1e-15)
    for pair, pair_p in zip(grads, grads_p):
        for g, g_p in zip(pair, pair_p):
            assert np.allclose(g, g_p, rtol=1e-10, atol=1e-14)


@st.composite
def vectors(draw, max_n=6):
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**31 - 1))
    return np.random.default_rng(seed), n


@SETTINGS
@given(vectors(), st.integers(1, 6), st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))
def test_vjp_and_jvp_equal_products_with_the_materialized_jacobian(rv, p, activation):
    rng, n = rv
    W = rng.standard_normal((p, n))
    z = rng.standard_normal(n) + 0.01
    u, v_out, v_in = rng.standard_normal(n), rng.standard_normal(p), rng.standard_normal(n)
    J_affine = jacobian.affine_jacobian(W)                      # (p, n)
    assert np.allclose(autodiff.affine_jvp(W, u), J_affine @ u)
    assert np.allclose(autodiff.affine_vjp(W, v_out), v_out @ J_affine)   # v^T J, as a column
    J_act = jacobian.elementwise_jacobian(z, activation)        # (n, n)
    assert np.allclose(autodiff.elementwise_jvp(z, u, activation), J_act @ u)
    assert np.allclose(autodiff.elementwise_vjp(z, v_in, activation), v_in @ J_act)
    J_soft = jacobian.softmax_jacobian(z)
    assert np.allclose(autodiff.softmax_jvp(z, u), J_soft @ u)
    assert np.allclose(autodiff.softmax_vjp(z, v_in), v_in @ J_soft)
    Js = [rng.standard_normal((n, n)) for _ in range(3)]
    chain = autodiff.chain_jacobian(Js)
    assert np.allclose(autodiff.chain_vjp(Js, v_in), v_in @ chain)
    assert np.allclose(autodiff.chain_jvp(Js, u), chain @ u)


@SETTINGS
@given(vectors(max_n=8))
def test_hadamard_identity(rv):
    rng, n = rv
    v, u = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    assert np.allclose(np.diag(v[:, 0]) @ u, v * u)
    U = rng.standard_normal((n, 4))                  # also column by column for a batch
    assert np.allclose(np.diag(v[:, 0]) @ U, v * U)
