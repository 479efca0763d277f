"""Tests of backprop.autodiff: every JVP and VJP rule three ways, the chain helpers, the cost count.

Each rule is compared with (1) the same product formed with the materialized
Jacobian from ``backprop.jacobian``, (2) a Jacobian from central finite
differences in float64, and (3) PyTorch autograd (``torch.func.jvp`` and
``torch.func.vjp``, or ``jacfwd``/``jacrev``) on the CPU. Bad input must raise
a clear ``ValueError`` or ``TypeError``.
"""

import itertools

import numpy as np
import pytest

from backprop import autodiff, jacobian
from backprop.activations import softmax
from backprop.gradcheck import numerical_gradient, relative_error

TIGHT = 1e-12   # a rule against the same product with an exact Jacobian
FD = 1e-7       # against central finite differences (float64, eps = 1e-6)

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]


def t(x, torch):
    """A float64 torch tensor from a NumPy array."""
    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))


def torch_jvp_vjp(f, x, u, v, torch):
    """PyTorch's J u and v^T J (as a column) for f at x; x, u, v are NumPy arrays."""
    _, jvp = torch.func.jvp(f, (t(x, torch),), (t(u, torch),))
    _, pullback = torch.func.vjp(f, t(x, torch))
    (vjp,) = pullback(t(v, torch))
    return jvp.numpy(), vjp.numpy()


def torch_activation(name, torch):
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
            "identity": lambda z: z}[name]


def away_from_zero(rng, shape):
    """Random entries with |z| >= 0.1, so that ReLU's kink is never within a finite-difference step."""
    z = rng.standard_normal(shape)
    return np.where(np.abs(z) < 0.1, 0.5 * np.sign(z) + (z == 0), z)


# --------------------------------------------------------------------------
# Affine map z = W a + b
# --------------------------------------------------------------------------

def test_affine_rules_wrt_input(rng, torch):
    W = rng.standard_normal((4, 3))
    b = rng.standard_normal((4, 1))
    a = rng.standard_normal((3, 1))
    u = rng.standard_normal((3, 1))
    v = rng.standard_normal((4, 1))

    jvp, vjp = autodiff.affine_jvp(W, u), autodiff.affine_vjp(W, v)
    assert jvp.shape == (4, 1) and vjp.shape == (3, 1)

    J = jacobian.affine_jacobian(W)
    J_fd = jacobian.numerical_jacobian(lambda x: W @ x + b, a)
    assert relative_error(jvp, J @ u) < TIGHT and relative_error(vjp, J.T @ v) < TIGHT
    assert relative_error(jvp, J_fd @ u) < FD and relative_error(vjp, J_fd.T @ v) < FD

    f = lambda x: t(W, torch) @ x + t(b, torch)
    jvp_torch, vjp_torch = torch_jvp_vjp(f, a, u, v, torch)
    assert relative_error(jvp, jvp_torch) < TIGHT
    assert relative_error(vjp, vjp_torch) < TIGHT


def test_affine_rules_wrt_parameters_for_a_batch(rng, torch):
    n_in, n_out, m = 3, 4, 5
    W = rng.standard_normal((n_out, n_in))
    b = rng.standard_normal((n_out, 1))
    A = rng.standard_normal((n_in, m))          # m examples as columns
    V = rng.standard_normal((n_out, m))         # cotangent of Z
    dW = rng.standard_normal((n_out, n_in))
    db = rng.standard_normal((n_out, 1))

    grad_W, grad_b = autodiff.affine_vjp_params(A, V)
    assert grad_W.shape == W.shape and grad_b.shape == b.shape
    jvp = autodiff.affine_jvp_params(A, dW, db)
    assert jvp.shape == (n_out, m)

    # Materialized: with W flattened row by row, the Jacobian of one column z_k is I kron a_k^T.
    grad_W_mat = sum((np.kron(np.eye(n_out), A[:, [k]].T).T @ V[:, [k]]).reshape(n_out, n_in)
                     for k in range(m))
    assert relative_error(grad_W, grad_W_mat) < TIGHT
    assert relative_error(grad_b, V.sum(axis=1, keepdims=True)) < TIGHT
    jvp_mat = np.hstack([np.kron(np.eye(n_out), A[:, [k]].T) @ dW.reshape(-1, 1) + db for k in range(m)])
    assert relative_error(jvp, jvp_mat) < TIGHT

    # Finite differences of the scalar <V, W A + b>, whose gradients are the VJPs.
    pairing_W = lambda W_: np.sum(V * (W_ @ A + b))
    pairing_b = lambda b_: np.sum(V * (W @ A + b_))
    assert relative_error(grad_W, numerical_gradient(pairing_W, W)) < FD
    assert relative_error(grad_b, numerical_gradient(pairing_b, b)) < FD
    eps = 1e-6
    jvp_fd = (((W + eps * dW) @ A + (b + eps * db)) - ((W - eps * dW) @ A + (b - eps * db))) / (2 * eps)
    assert relative_error(jvp, jvp_fd) < FD

    f = lambda W_, b_: W_ @ t(A, torch) + b_
    _, pullback = torch.func.vjp(f, t(W, torch), t(b, torch))
    grad_W_torch, grad_b_torch = pullback(t(V, torch))
    assert relative_error(grad_W, grad_W_torch.numpy()) < TIGHT
    assert relative_error(grad_b, grad_b_torch.numpy()) < TIGHT
    _, jvp_torch = torch.func.jvp(f, (t(W, torch), t(b, torch)), (t(dW, torch), t(db, torch)))
    assert relative_error(jvp, jvp_torch.numpy()) < TIGHT


# --------------------------------------------------------------------------
# Element-wise activations and softmax
# --------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_elementwise_rules(rng, torch, activation):
    z = away_from_zero(rng, (6, 1))
    u = rng.standard_normal((6, 1))
    v = rng.standard_normal((6, 1))
    f_np = {"sigmoid": lambda x: 1 / (1 + np.exp(-x)), "tanh": np.tanh,
            "relu": lambda x: np.maximum(x, 0), "identity": lambda x: x}[activation]

    jvp = autodiff.elementwise_jvp(z, u, activation)
    vjp = autodiff.elementwise_vjp(z, v, activation)
    assert jvp.shape == vjp.shape == (6, 1)

    J = jacobian.elementwise_jacobian(z, activation)
    J_fd = jacobian.numerical_jacobian(f_np, z)
    assert relative_error(jvp, J @ u) < TIGHT and relative_error(vjp, J.T @ v) < TIGHT
    assert relative_error(jvp, J_fd @ u) < FD and relative_error(vjp, J_fd.T @ v) < FD

    g = torch_activation(activation, torch)
    jvp_torch, vjp_torch = torch_jvp_vjp(g, z, u, v, torch)
    assert relative_error(jvp, jvp_torch) < TIGHT
    assert relative_error(vjp, vjp_torch) < TIGHT


def test_softmax_rules_for_several_columns(rng, torch):
    n, k = 5, 3
    Z = rng.standard_normal((n, k))
    U = rng.standard_normal((n, k))
    V = rng.standard_normal((n, k))

    jvp, vjp = autodiff.softmax_jvp(Z, U), autodiff.softmax_vjp(Z, V)
    assert jvp.shape == vjp.shape == (n, k)
    for col in range(k):
        z = Z[:, [col]]
        J = jacobian.softmax_jacobian(z)
        J_fd = jacobian.numerical_jacobian(lambda x: softmax(x, axis=0), z)
        assert relative_error(jvp[:, [col]], J @ U[:, [col]]) < TIGHT
        assert relative_error(vjp[:, [col]], J.T @ V[:, [col]]) < TIGHT
        assert relative_error(jvp[:, [col]], J_fd @ U[:, [col]]) < FD
        assert relative_error(vjp[:, [col]], J_fd.T @ V[:, [col]]) < FD

    g = lambda x: torch.softmax(x, dim=0)     # one column per example, as in the book
    jvp_torch, vjp_torch = torch_jvp_vjp(g, Z, U, V, torch)
    assert relative_error(jvp, jvp_torch) < TIGHT
    assert relative_error(vjp, vjp_torch) < TIGHT


def test_softmax_rules_are_stable_for_large_logits(rng):
    z = np.array([[1000.0], [999.0], [-1000.0]])
    v = rng.standard_normal((3, 1))
    out = autodiff.softmax_vjp(z, v)
    assert np.all(np.isfinite(out))
    assert relative_error(out, jacobian.softmax_jacobian(z) @ v) < TIGHT


@pytest.mark.parametrize("rule", ["affine", "elementwise", "softmax"])
def test_dot_product_identity(rng, rule):
    """v^T (J u) = (J^T v)^T u for each pair of rules: the JVP and VJP describe the same J."""
    if rule == "affine":
        W = rng.standard_normal((4, 6))
        u, v = rng.standard_normal((6, 1)), rng.standard_normal((4, 1))
        jvp, vjp = autodiff.affine_jvp(W, u), autodiff.affine_vjp(W, v)
    elif rule == "elementwise":
        z, u, v = (rng.standard_normal((6, 1)) for _ in range(3))
        jvp, vjp = autodiff.elementwise_jvp(z, u, "tanh"), autodiff.elementwise_vjp(z, v, "tanh")
    else:
        z, u, v = (rng.standard_normal((6, 1)) for _ in range(3))
        jvp, vjp = autodiff.softmax_jvp(z, u), autodiff.softmax_vjp(z, v)
    assert abs((v.T @ jvp).item() - (vjp.T @ u).item()) < 1e-12


def test_rules_accept_flat_vectors_and_batches_alike(rng):
    W = rng.standard_normal((4, 3))
    U = rng.standard_normal((3, 5))
    batch = autodiff.affine_jvp(W, U)
    for k in range(5):
        assert np.allclose(batch[:, k], autodiff.affine_jvp(W, U[:, k]))   # (n,) in, (p,) out
    z = rng.standard_normal(4)
    assert autodiff.softmax_vjp(z, rng.standard_normal(4)).shape == (4,)


# --------------------------------------------------------------------------
# Chains of explicit Jacobians
# --------------------------------------------------------------------------

def test_chain_helpers(rng, torch):
    shapes = [(3, 5), (5, 4), (4, 6)]
    Js = [rng.standard_normal(s) for s in shapes]
    v = rng.standard_normal((3, 1))
    u = rng.standard_normal((6, 1))
    product = Js[0] @ Js[1] @ Js[2]

    assert relative_error(autodiff.chain_jacobian(Js), product) < TIGHT
    assert relative_error(autodiff.chain_vjp(Js, v), product.T @ v) < TIGHT
    assert relative_error(autodiff.chain_jvp(Js, u), product @ u) < TIGHT

    f_np = lambda x: Js[0] @ (Js[1] @ (Js[2] @ x))
    J_fd = jacobian.numerical_jacobian(f_np, u)
    assert relative_error(autodiff.chain_jacobian(Js), J_fd) < FD

    f = lambda x: t(Js[0], torch) @ (t(Js[1], torch) @ (t(Js[2], torch) @ x))
    jvp_torch, vjp_torch = torch_jvp_vjp(f, u, u, v, torch)
    assert relative_error(autodiff.chain_vjp(Js, v), vjp_torch) < TIGHT
    assert relative_error(autodiff.chain_jvp(Js, u), jvp_torch) < TIGHT


def test_chain_of_layer_vjps_is_the_gradient(rng, torch):
    """A chain of the affine and element-wise rules gives the gradient of a small network."""
    W1, b1 = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    W2, b2 = rng.standard_normal((2, 4)), rng.standard_normal((2, 1))
    x, y = rng.standard_normal((3, 1)), rng.standard_normal((2, 1))

    z1 = W1 @ x + b1
    a1 = np.tanh(z1)
    z2 = W2 @ a1 + b2
    v = z2 - y                                        # dC/dz2 for C = 1/2 ||z2 - y||^2
    grad_W2, grad_b2 = autodiff.affine_vjp_params(a1, v)
    v = autodiff.elementwise_vjp(z1, autodiff.affine_vjp(W2, v), "tanh")
    grad_W1, grad_b1 = autodiff.affine_vjp_params(x, v)

    def cost(W1_, b1_, W2_, b2_):
        return 0.5 * ((W2_ @ torch.tanh(W1_ @ t(x, torch) + b1_) + b2_ - t(y, torch)) ** 2).sum()

    grads_torch = torch.func.grad(cost, argnums=(0, 1, 2, 3))(*(t(p, torch) for p in (W1, b1, W2, b2)))
    for mine, theirs in zip((grad_W1, grad_b1, grad_W2, grad_b2), grads_torch, strict=True):
        assert relative_error(mine, theirs.numpy()) < TIGHT

    cost_np = lambda W1_: 0.5 * np.sum((W2 @ np.tanh(W1_ @ x + b1) + b2 - y) ** 2)
    assert relative_error(grad_W1, numerical_gradient(cost_np, W1)) < FD


# --------------------------------------------------------------------------
# Counting multiply-adds
# --------------------------------------------------------------------------

def counted_product(matrices, order):
    """Multiply with a pure-Python triple loop and count the multiply-adds (the brute-force count)."""
    count = 0

    def matmul(A, B):
        nonlocal count
        out = np.zeros((A.shape[0], B.shape[1]))
        for i, j in itertools.product(range(A.shape[0]), range(B.shape[1])):
            for k in range(A.shape[1]):
                out[i, j] += A[i, k] * B[k, j]
                count += 1
        return out

    if order == "left":
        out = matrices[0]
        for M in matrices[1:]:
            out = matmul(out, M)
    else:
        out = matrices[-1]
        for M in reversed(matrices[:-1]):
            out = matmul(M, out)
    return out, count


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("order", ["left", "right"])
def test_multiply_adds_matches_a_brute_force_count(seed, order):
    r = np.random.default_rng(seed)
    dims = r.integers(1, 6, size=r.integers(2, 6))
    shapes = list(zip(dims[:-1], dims[1:], strict=True))
    matrices = [r.standard_normal(s) for s in shapes]
    out, count = counted_product(matrices, order)
    assert np.allclose(out, np.linalg.multi_dot(matrices) if len(matrices) > 1 else matrices[0])
    assert autodiff.multiply_adds(shapes, order) == count


def test_multiply_adds_known_values():
    N, K = 1000, 3
    assert autodiff.multiply_adds([(N, N)] * K, "left") == (K - 1) * N**3
    assert autodiff.multiply_adds([(1, N)] + [(N, N)] * K, "left") == K * N**2
    assert autodiff.multiply_adds([(N, N)] * K + [(N, 1)], "right") == K * N**2
    assert autodiff.multiply_adds([(5, 7)]) == 0                   # a single factor: nothing to multiply
    assert autodiff.multiply_adds(np.array([[2, 3], [3, 4]])) == 24
    assert isinstance(autodiff.multiply_adds([(10**6, 10**6)] * 3), int)   # exact, no overflow


# --------------------------------------------------------------------------
# Full Jacobians from JVPs or VJPs
# --------------------------------------------------------------------------

def test_jacobian_by_jvp_and_by_vjp(rng, torch):
    n, p = 3, 7
    W, b = rng.standard_normal((p, n)), rng.standard_normal((p, 1))
    x = rng.standard_normal((n, 1))
    z = W @ x + b
    jvp = lambda U: autodiff.elementwise_jvp(z, autodiff.affine_jvp(W, U), "tanh")
    vjp = lambda V: autodiff.affine_vjp(W, autodiff.elementwise_vjp(z, V, "tanh"))

    J_fwd = autodiff.jacobian_by_jvp(jvp, n)
    J_rev = autodiff.jacobian_by_vjp(vjp, p)
    assert J_fwd.shape == J_rev.shape == (p, n)

    J_direct = jacobian.elementwise_jacobian(z, "tanh") @ W
    J_fd = jacobian.numerical_jacobian(lambda x_: np.tanh(W @ x_ + b), x)
    f = lambda x_: torch.tanh(t(W, torch) @ x_ + t(b[:, 0], torch))        # (n,) -> (p,)
    J_jacfwd = torch.func.jacfwd(f)(t(x[:, 0], torch)).numpy()
    J_jacrev = torch.func.jacrev(f)(t(x[:, 0], torch)).numpy()
    for J in (J_fwd, J_rev):
        assert relative_error(J, J_direct) < TIGHT
        assert relative_error(J, J_fd) < FD
        assert relative_error(J, J_jacfwd) < TIGHT
        assert relative_error(J, J_jacrev) < TIGHT


def test_jacobian_builders_reject_bad_input():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        autodiff.jacobian_by_jvp(lambda U: U, 0)
    with pytest.raises(ValueError, match="p must be a positive integer"):
        autodiff.jacobian_by_vjp(lambda V: V, 2.5)
    with pytest.raises(ValueError, match="must return shape"):
        autodiff.jacobian_by_jvp(lambda U: U[:, 0], 3)          # returns (3,), not (p, 3)
    with pytest.raises(ValueError, match="must return shape"):
        autodiff.jacobian_by_vjp(lambda V: V[:, :1], 3)          # returns (3, 1), not (n, 3)


# --------------------------------------------------------------------------
# The strict Hadamard product
# --------------------------------------------------------------------------

def test_hadamard_is_the_elementwise_product(rng, torch):
    for shape in [(4,), (4, 1), (3, 5)]:
        u, v = rng.standard_normal(shape), rng.standard_normal(shape)
        out = autodiff.hadamard(u, v)
        assert out.shape == shape
        assert np.array_equal(out, u * v)
        assert np.array_equal(out, torch.mul(t(u, torch), t(v, torch)).numpy())
    s, g = rng.standard_normal(5), rng.standard_normal(5)
    assert np.allclose(np.diag(s) @ g, autodiff.hadamard(s, g))    # diag(s) g = s ⊙ g


def test_hadamard_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"u of shape \(3,\) and v of shape \(3, 1\).*\(3, 3\)"):
        autodiff.hadamard(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match="same shape") as info:
        autodiff.hadamard(np.ones((3, 1)), np.ones((4, 1)))
    assert "broadcast" not in str(info.value)                  # these shapes do not broadcast at all
    with pytest.raises(TypeError):
        autodiff.hadamard(None, np.ones(3))
    with pytest.raises(TypeError):
        autodiff.hadamard("abc", np.ones(3))


# --------------------------------------------------------------------------
# Clear errors for bad input
# --------------------------------------------------------------------------

def test_rules_reject_mismatched_shapes(rng):
    W = rng.standard_normal((4, 3))
    with pytest.raises(ValueError, match="u must have 3 rows"):
        autodiff.affine_jvp(W, np.ones((4, 1)))
    with pytest.raises(ValueError, match="v must have 4 rows"):
        autodiff.affine_vjp(W, np.ones((3, 1)))
    with pytest.raises(ValueError, match="same number of columns"):
        autodiff.affine_vjp_params(np.ones((3, 5)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="a must have 3 rows"):
        autodiff.affine_jvp_params(np.ones((2, 5)), W, np.ones((4, 1)))
    with pytest.raises(ValueError, match="u must have 4 rows"):
        autodiff.elementwise_jvp(np.ones((4, 1)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="v must have 4 rows"):
        autodiff.softmax_vjp(np.ones((4, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"shape \(n,\) or \(n, k\)"):
        autodiff.elementwise_vjp(np.ones((2, 2, 2)), np.ones((2, 2, 2)))


def test_rules_reject_bad_values(rng):
    with pytest.raises(ValueError, match="unknown activation"):
        autodiff.elementwise_vjp(np.ones((3, 1)), np.ones((3, 1)), "swish")
    with pytest.raises(ValueError, match="NaN or infinity"):
        autodiff.affine_vjp(np.ones((2, 2)), np.array([[np.nan], [1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        autodiff.affine_jvp(np.ones(3), np.ones(3))
    with pytest.raises(TypeError):
        autodiff.softmax_jvp(None, np.ones(3))


def test_chain_helpers_reject_bad_input(rng):
    with pytest.raises(ValueError, match="jacobians is empty"):
        autodiff.chain_jacobian([])
    with pytest.raises(ValueError, match="do not chain"):
        autodiff.chain_vjp([np.ones((2, 3)), np.ones((4, 2))], np.ones((2, 1)))
    with pytest.raises(ValueError, match="v must have 2 rows"):
        autodiff.chain_vjp([np.ones((2, 3))], np.ones((3, 1)))
    with pytest.raises(ValueError, match="u must have 3 rows"):
        autodiff.chain_jvp([np.ones((2, 3))], np.ones((2, 1)))


def test_multiply_adds_rejects_bad_input():
    with pytest.raises(ValueError, match="shapes is empty"):
        autodiff.multiply_adds([])
    with pytest.raises(ValueError, match="do not chain"):
        autodiff.multiply_adds([(2, 3), (4, 5)])
    with pytest.raises(ValueError, match="positive integer"):
        autodiff.multiply_adds([(2, 0)])
    with pytest.raises(ValueError, match="positive integer"):
        autodiff.multiply_adds([(2, 2.5)])
    with pytest.raises(ValueError, match="positive integer"):
        autodiff.multiply_adds([(2, 3, 4)])
    with pytest.raises(ValueError, match="unknown order"):
        autodiff.multiply_adds([(2, 3)], order="middle")
