"""Property-based tests (hypothesis) over random depths, widths, batch sizes and dtypes.

Every bound here holds for every draw by construction (it is derived from the draw); as a
second safety, hypothesis runs derandomized: the same examples on every run and machine.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop import autodiff, gradcheck, jacobian, network

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


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


# The error model of a central difference with step h (the gradient-checking section of the book):
#
#   g_fd - g = h^2/6 f'''(xi)  +  (e(x+h) - e(x-h)) / 2h,          |e| <= eps_f (rounding of f)
#
# so |g_fd - g| <= h^2/6 M3 + eps_f/h, entry by entry. Both terms are bounded from the draw,
# with the infinity norm throughout (||W|| is the largest absolute row sum):
# - M3, the third derivative of the cost along one parameter of layer l. After z^l the network
#   composes g(z) = W sigma(z) + b, whose derivatives of order 1..3 are at most B_g = ||W|| / 4
#   (|sigma'| <= 1/4, |sigma''| < 0.1, |sigma'''| <= 1/8). For a composition,
#   (u o v)''' = u'''[v',v',v'] + 3 u''[v'',v'] + u'[v'''], so with B_u, B_v the bounds on
#   orders 1..3 of u and v, those of u o v are at most B_u phi(B_v), phi(t) = t^3 + 3t^2 + t.
#   The loss as a function of z^L has derivatives of order 1..3 at most n_L / 4 (squared error
#   after a sigmoid) or 6 sum(y) (cross entropy, (sum y) logsumexp(z) - y.z). A parameter moves
#   z^l linearly, by at most max|a^{l-1}| per unit (1 for a bias), and the batch mean keeps
#   the per-example bound.
# - eps_f, the rounding error of one evaluation of the cost: Higham's forward bound
#   gamma_k = k u / (1 - k u) times the magnitudes summed (|W| |a| + |b| for a layer, k its
#   dot-product length plus the activation), carried to the cost by the Lipschitz constants of
#   what follows (first derivatives: loss bound times the product of ||W|| / 4), plus the loss
#   and the batch mean themselves. A factor 4 covers exp and log1p, which round within a couple
#   of ulps rather than half an ulp.
# The step h = (3 eps_f / M3)^(1/3) minimises the bound. Nothing depends on a lucky draw, and
# the check stays strict: test_the_check_rejects_wrong_gradients shows classic mistakes failing.
U = np.finfo(np.float64).eps / 2


def _gamma(k):
    return 4 * k * U / (1 - k * U)


def _phi(t):
    return t ** 3 + 3 * t ** 2 + t


def central_difference_bounds(params, X, Y, loss):
    """``(h, bounds)``: the step, and for each layer l a bound on |g_bp - g_fd| for W^l and b^l."""
    zs, a = network.forward(params, X, loss=loss)
    L, m, n_L = len(params), X.shape[1], params[-1][0].shape[0]
    s = float(np.max(np.sum(np.abs(Y), axis=0)))
    loss_bound = n_L / 4 if loss == "squared_error" else 6 * s
    B = [float(np.max(np.sum(np.abs(W), axis=1))) / 4 for W, _ in params]   # B_g of layer l (index l-1)
    outer = [0.0] * (L + 1)    # outer[l]: bound on orders 1..3 of the map z^l -> loss
    lip = [0.0] * (L + 1)      # lip[l]: its first derivative (Lipschitz constant) alone
    outer[L] = lip[L] = loss_bound
    for l in range(L - 1, 0, -1):
        outer[l] = outer[l + 1] * _phi(B[l])
        lip[l] = lip[l + 1] * B[l]
    eps_f = sum(_gamma(W.shape[1] + 3) * float(np.max(np.abs(W) @ np.abs(a[l - 1]) + np.abs(b))) * lip[l]
                for l, (W, b) in enumerate(params, start=1))
    eps_f += _gamma(m + n_L + 4) * (1 + float(np.max(np.abs(zs[-1])))) * (1 + s) * n_L
    eps_f = max(eps_f, U)
    M3 = [outer[l] * max(1.0, float(np.max(np.abs(a[l - 1])))) ** 3 for l in range(1, L + 1)]
    h = float(np.clip((3 * eps_f / max(M3)) ** (1 / 3), 1e-7, 1e-3))
    step = U * (1 + max(float(np.max(np.abs(W))) for W, _ in params)) / h   # (x + h) - (x - h) is not 2h
    return h, [(h ** 2 / 6 * M + eps_f / h, step) for M in M3]


def gradient_error_and_bound(params, X, Y, loss, grads=None):
    """``(excess, bound)``: the largest ``|g - g_fd| - bound`` over all entries (<= 0 passes)."""
    if grads is None:
        _, grads = network.loss_and_grads(params, X, Y, loss)
    h, bounds = central_difference_bounds(params, X, Y, loss)
    numeric = gradcheck.numerical_grads(params, X, Y, loss, eps=h)
    excess = max(float(np.max(np.abs(g - n) - (bound + step * np.abs(n))))
                 for pair, pair_n, (bound, step) in zip(grads, numeric, bounds) for g, n in zip(pair, pair_n))
    return excess, max(bound for bound, _ in bounds)


@SETTINGS
@given(networks())
def test_gradients_match_central_differences(case):
    params, X, Y, loss, _ = case
    excess, bound = gradient_error_and_bound(params, X, Y, loss)
    assert excess <= 0, f"backprop and central differences differ by {excess:.3g} more than {bound:.3g}"


def _wrong_grads(params, X, Y, bug):
    """Backpropagation (squared error, sigmoid layers) with one of the mistakes a derivation can make."""
    zs, a = network.forward(params, X)
    m, L = X.shape[1], len(params)
    delta = (a[L] - Y) * (a[L] * (1 - a[L]))
    grads = [None] * L
    for l in range(L, 0, -1):
        W = params[l - 1][0]
        grad_W = delta @ a[l - 1].T / m
        grad_b = np.sum(delta, axis=1, keepdims=True) / m
        if bug == "no 1/m":
            grad_W, grad_b = grad_W * m, grad_b * m
        if bug == "bias of the first example only":
            grad_b = delta[:, :1] / m
        grads[l - 1] = (grad_W, grad_b)
        if l > 1:
            back = (W if bug == "missing transpose" else W.T) @ delta
            delta = back if bug == "sigma' dropped in the backward rule" else back * (a[l - 1] * (1 - a[l - 1]))
    return grads


BUGS = ["none", "no 1/m", "bias of the first example only", "missing transpose",
        "sigma' dropped in the backward rule"]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("bug", BUGS)
def test_the_check_rejects_wrong_gradients(bug, seed):
    """The bound is no licence: each classic mistake fails the same check; the right formula passes."""
    rng = np.random.default_rng(seed)
    params = network.init_params([3, 3, 3, 3], seed=seed)      # square layers: W and W^T both fit
    X, Y = rng.standard_normal((3, 4)), rng.random((3, 4))
    grads = _wrong_grads(params, X, Y, bug)
    excess, bound = gradient_error_and_bound(params, X, Y, "squared_error", grads)
    assert bound < 1e-5 * max(float(np.max(np.abs(g))) for pair in grads for g in pair)   # strict
    assert (excess <= 0) == (bug == "none"), f"{bug}: excess {excess:.3g} over a bound of {bound:.3g}"


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
