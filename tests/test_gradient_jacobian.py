"""Tests of backprop.landscapes (chapters "The gradient vector" and "The Jacobian").

Every gradient and Jacobian is checked three ways: against central finite
differences in float64, against PyTorch autograd, and against another
formula or module of the package where one exists. Bad inputs must raise
clear errors.
"""

import numpy as np
import pytest

from backprop import gradcheck, jacobian, landscapes, network, optim

H_BOOK = np.array([[2.5, 1.5], [1.5, 2.5]])       # the bowl of the gradient chapter
X_PTS = np.array([[-3.0, -1.5, -0.5, 0.5, 2.0, 3.5]])
Y_PTS = np.array([[0.05, 0.15, 0.45, 0.55, 0.90, 0.95]])


def random_spd(rng, n):
    """A random symmetric positive definite (n, n) matrix."""
    M = rng.standard_normal((n, n))
    return M @ M.T + n * np.eye(n)


# --------------------------------------------------------------------------
# The quadratic bowl
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 5])
def test_quadratic_grad_matches_finite_differences(rng, n):
    H = random_spd(rng, n)
    w = rng.standard_normal((n, 1))
    grad = landscapes.quadratic_grad(w, H)
    assert grad.shape == (n, 1)
    fd = gradcheck.numerical_gradient(lambda v: landscapes.quadratic_cost(v, H), w)
    assert gradcheck.relative_error(grad, fd) < 1e-8


def test_quadratic_grad_matches_torch(rng, torch):
    H = random_spd(rng, 4)
    w = rng.standard_normal((4, 1))
    w_t = torch.tensor(w, requires_grad=True)
    cost_t = 0.5 * (w_t.T @ torch.tensor(H) @ w_t).squeeze()
    cost_t.backward()
    assert np.isclose(cost_t.item(), landscapes.quadratic_cost(w, H), rtol=1e-14)
    assert np.allclose(w_t.grad.numpy(), landscapes.quadratic_grad(w, H), rtol=1e-12, atol=0)


def test_quadratic_cost_grid_matches_pointwise(rng):
    w1, w2 = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    grid = landscapes.quadratic_cost_grid(w1, w2, H_BOOK)
    assert grid.shape == (3, 4)
    for idx in np.ndindex(grid.shape):
        w = np.array([[w1[idx]], [w2[idx]]])
        assert np.isclose(grid[idx], landscapes.quadratic_cost(w, H_BOOK), rtol=1e-13)


def test_learning_rate_thresholds_of_the_book_bowl():
    assert np.allclose(landscapes.learning_rate_thresholds(H_BOOK), (0.25, 0.5))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_learning_rate_thresholds_separate_the_regimes(seed):
    rng = np.random.default_rng(seed)
    H = random_spd(rng, 3)
    eta_mono, eta_div = landscapes.learning_rate_thresholds(H)
    lam, Q = np.linalg.eigh(H)
    q_max = Q[:, [-1]]
    w0 = rng.standard_normal((3, 1))

    def run(eta, steps=60):
        path = optim.gradient_descent(lambda v: landscapes.quadratic_grad(v, H), w0, eta, steps)
        return (q_max.T @ path)[:, 0, 0], np.linalg.norm(path[-1])

    across, _ = run(0.9 * eta_mono, steps=10)
    assert np.all(np.sign(across) == np.sign(across[0]))               # monotone
    across, end = run(0.5 * (eta_mono + eta_div), steps=10)
    assert np.any(np.sign(across[1:]) != np.sign(across[:-1]))         # oscillates ...
    assert end < np.linalg.norm(w0)                                     # ... and converges
    _, end = run(1.05 * eta_div)
    assert end > 10 * np.linalg.norm(w0)                                # diverges


# --------------------------------------------------------------------------
# One sigmoid neuron
# --------------------------------------------------------------------------

def test_neuron_cost_is_the_network_cost(rng):
    for _ in range(5):
        theta = rng.standard_normal((2, 1)) * 2
        params = [(theta[:1], theta[1:])]                 # W^1 (1, 1), b^1 (1, 1)
        assert np.isclose(landscapes.neuron_cost(theta, X_PTS, Y_PTS),
                          network.cost(params, X_PTS, Y_PTS), rtol=1e-14)
        _, [(grad_W, grad_b)] = network.loss_and_grads(params, X_PTS, Y_PTS)
        assert np.allclose(landscapes.neuron_grad(theta, X_PTS, Y_PTS),
                           np.vstack([grad_W, grad_b]), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("theta", [(0.5, 1.0), (2.5, 1.5), (-1.5, 2.5), (3.5, -2.5), (0.0, 0.0)])
def test_neuron_grad_matches_finite_differences(theta):
    theta = np.array(theta, dtype=float).reshape(2, 1)
    grad = landscapes.neuron_grad(theta, X_PTS, Y_PTS)
    assert grad.shape == (2, 1)
    fd = gradcheck.numerical_gradient(lambda t: landscapes.neuron_cost(t, X_PTS, Y_PTS), theta)
    assert gradcheck.relative_error(grad, fd) < 1e-7


def test_neuron_grad_and_jacobian_match_torch(rng, torch):
    X = rng.standard_normal((1, 7))
    Y = rng.random((1, 7))
    theta = rng.standard_normal((2, 1))
    X_t, Y_t = torch.tensor(X), torch.tensor(Y)

    def outputs_t(th):                                    # th (2, 1) -> (m, 1)
        return torch.sigmoid(th[0, 0] * X_t.T + th[1, 0])

    theta_t = torch.tensor(theta, requires_grad=True)
    cost_t = 0.5 * ((outputs_t(theta_t) - Y_t.T) ** 2).mean()
    cost_t.backward()
    assert np.isclose(cost_t.item(), landscapes.neuron_cost(theta, X, Y), rtol=1e-13)
    assert np.allclose(theta_t.grad.numpy(), landscapes.neuron_grad(theta, X, Y),
                       rtol=1e-11, atol=1e-15)

    J_t = torch.autograd.functional.jacobian(outputs_t, torch.tensor(theta))   # (m, 1, 2, 1)
    J = landscapes.neuron_jacobian(theta, X)
    assert J.shape == (7, 2)
    assert np.allclose(J_t.numpy().reshape(7, 2), J, rtol=1e-12, atol=1e-15)
    assert np.allclose(outputs_t(torch.tensor(theta)).numpy(),
                       landscapes.neuron_outputs(theta, X), rtol=1e-14)


def test_neuron_jacobian_matches_finite_differences(rng):
    theta = rng.standard_normal((2, 1))
    J = landscapes.neuron_jacobian(theta, X_PTS)
    fd = jacobian.numerical_jacobian(lambda t: landscapes.neuron_outputs(t, X_PTS), theta)
    assert J.shape == fd.shape == (X_PTS.shape[1], 2)
    assert gradcheck.relative_error(J, fd) < 1e-8


def test_neuron_grad_is_a_vector_jacobian_product(rng):
    m = X_PTS.shape[1]
    for _ in range(5):
        theta = rng.standard_normal((2, 1)) * 2
        r = landscapes.neuron_outputs(theta, X_PTS) - Y_PTS.T         # (m, 1)
        vjp = landscapes.neuron_jacobian(theta, X_PTS).T @ r / m       # (2, 1)
        assert np.allclose(vjp, landscapes.neuron_grad(theta, X_PTS, Y_PTS), rtol=1e-12, atol=0)


def test_neuron_grid_functions_match_pointwise(rng):
    w, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    costs = landscapes.neuron_cost_grid(w, b, X_PTS, Y_PTS)
    grad_w, grad_b = landscapes.neuron_grad_grid(w, b, X_PTS, Y_PTS)
    assert costs.shape == grad_w.shape == grad_b.shape == (4, 5)
    for idx in np.ndindex(w.shape):
        theta = np.array([[w[idx]], [b[idx]]])
        assert np.isclose(costs[idx], landscapes.neuron_cost(theta, X_PTS, Y_PTS), rtol=1e-14)
        g = landscapes.neuron_grad(theta, X_PTS, Y_PTS)
        assert np.allclose([grad_w[idx], grad_b[idx]], g[:, 0], rtol=1e-14, atol=0)


def test_neuron_grid_accepts_floats():
    cost = landscapes.neuron_cost_grid(0.5, 1.0, X_PTS, Y_PTS)
    assert np.ndim(cost) == 0
    assert np.isclose(cost, landscapes.neuron_cost(np.array([[0.5], [1.0]]), X_PTS, Y_PTS))


# --------------------------------------------------------------------------
# Linear least squares
# --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1, 1, 1), (3, 2, 5), (4, 6, 3)])
def test_linear_grad_matches_finite_differences(rng, shape):
    n_1, n_0, m = shape
    W, X, Y = (rng.standard_normal((n_1, n_0)), rng.standard_normal((n_0, m)),
               rng.standard_normal((n_1, m)))
    grad = landscapes.linear_grad(W, X, Y)
    assert grad.shape == W.shape
    fd = gradcheck.numerical_gradient(lambda V: landscapes.linear_cost(V, X, Y), W)
    assert gradcheck.relative_error(grad, fd) < 1e-8


def test_linear_grad_matches_torch(rng, torch):
    W, X, Y = rng.standard_normal((3, 4)), rng.standard_normal((4, 6)), rng.standard_normal((3, 6))
    W_t = torch.tensor(W, requires_grad=True)
    cost_t = 0.5 * ((W_t @ torch.tensor(X) - torch.tensor(Y)) ** 2).sum() / 6
    cost_t.backward()
    assert np.isclose(cost_t.item(), landscapes.linear_cost(W, X, Y), rtol=1e-13)
    assert np.allclose(W_t.grad.numpy(), landscapes.linear_grad(W, X, Y), rtol=1e-12, atol=1e-15)


def test_linear_cost_is_the_mean_of_the_losses(rng):
    W, X, Y = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    losses = [0.5 * np.sum((W @ X[:, [k]] - Y[:, [k]]) ** 2) for k in range(4)]
    assert np.isclose(landscapes.linear_cost(W, X, Y), np.mean(losses), rtol=1e-14)


# --------------------------------------------------------------------------
# Clear errors for bad input
# --------------------------------------------------------------------------

def test_hessian_errors():
    with pytest.raises(ValueError, match="square"):
        landscapes.check_hessian(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        landscapes.check_hessian(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="NaN"):
        landscapes.check_hessian(np.array([[1.0, np.nan], [np.nan, 1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        landscapes.check_hessian(np.ones(4))
    with pytest.raises(TypeError, match="numeric"):
        landscapes.check_hessian("H")
    with pytest.raises(ValueError, match="positive definite"):
        landscapes.learning_rate_thresholds(np.array([[1.0, 0.0], [0.0, -1.0]]))
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        landscapes.quadratic_cost_grid(np.zeros(3), np.zeros(3), np.eye(3))


def test_quadratic_rejects_a_flat_or_wrong_sized_w():
    with pytest.raises(ValueError, match="2-D"):
        landscapes.quadratic_cost(np.ones(2), H_BOOK)             # flat, not a column
    with pytest.raises(ValueError, match=r"shape \(2, 1\)"):
        landscapes.quadratic_grad(np.ones((3, 1)), H_BOOK)        # wrong size
    with pytest.raises(ValueError, match=r"shape \(2, 1\)"):
        landscapes.quadratic_grad(np.ones((1, 2)), H_BOOK)        # a row


def test_neuron_errors():
    theta = np.zeros((2, 1))
    with pytest.raises(ValueError, match=r"theta must have shape \(2, 1\)"):
        landscapes.neuron_cost(np.zeros((3, 1)), X_PTS, Y_PTS)
    with pytest.raises(ValueError, match="2-D"):
        landscapes.neuron_grad(np.zeros(2), X_PTS, Y_PTS)
    with pytest.raises(ValueError, match=r"X must have shape \(1, any\)"):
        landscapes.neuron_jacobian(theta, np.zeros((2, 6)))
    with pytest.raises(ValueError, match="2-D"):
        landscapes.neuron_outputs(theta, np.zeros(6))
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 6\)"):
        landscapes.neuron_cost(theta, X_PTS, np.zeros((1, 5)))
    with pytest.raises(ValueError, match="same shape"):
        landscapes.neuron_cost_grid(np.zeros((2, 2)), np.zeros((2, 3)), X_PTS, Y_PTS)
    with pytest.raises(ValueError, match="NaN"):
        landscapes.neuron_grad_grid(np.nan, 0.0, X_PTS, Y_PTS)
    with pytest.raises(TypeError, match="got None"):
        landscapes.neuron_cost(None, X_PTS, Y_PTS)


def test_linear_errors(rng):
    W, X, Y = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    with pytest.raises(ValueError, match=r"X must have shape \(3, any\)"):
        landscapes.linear_cost(W, X.T, Y)
    with pytest.raises(ValueError, match=r"Y must have shape \(2, 4\)"):
        landscapes.linear_grad(W, X, Y.T)
    with pytest.raises(ValueError, match="2-D"):
        landscapes.linear_grad(W[0], X, Y)
