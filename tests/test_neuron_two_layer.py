"""Tests for backprop.neuron (chapter "One neuron, one weight") and the equations of
chapter "The two-layer network": finite differences in float64, PyTorch autograd, errors."""

import numpy as np
import pytest
from cases import make_case, max_error, torch_loss_and_grads

from backprop import gradcheck, network, neuron

X_THREAD, Y_THREAD, W0_THREAD, ETA_THREAD = 5.7, 50.1, -23.1, 0.007

# The thread's twenty printed weights (4-5 significant digits), as printed.
THREAD_PRINTED = [
    "-8.5948", "-0.68736", "3.6233", "5.9732", "7.2542", "7.9525", "8.3332",
    "8.5408", "8.6539", "8.7156", "8.7492", "8.7675", "8.7775", "8.7829",
    "8.7859", "8.7875", "8.7884", "8.7889", "8.7892", "8.7893",
]

ACTIVATIONS = ["identity", "sigmoid", "tanh"]


# --------------------------------------------------------------------------
# One neuron
# --------------------------------------------------------------------------

def test_descend_reproduces_the_threads_table():
    w = neuron.descend(W0_THREAD, X_THREAD, Y_THREAD, ETA_THREAD, 20)
    assert w.shape == (21,) and w[0] == W0_THREAD
    for k, printed in enumerate(THREAD_PRINTED, start=1):
        half_unit = 0.5 * 10.0 ** -len(printed.split(".")[1])
        assert abs(w[k] - float(printed)) <= half_unit, (k, w[k], printed)


def test_descend_is_the_update_rule():
    w = neuron.descend(1.5, 2.0, -3.0, 0.05, 7)
    manual = [1.5]
    for _ in range(7):
        manual.append(manual[-1] - 0.05 * 2 * 2.0 * (2.0 * manual[-1] + 3.0))
    np.testing.assert_allclose(w, manual, rtol=1e-14)


@pytest.mark.parametrize("w", [W0_THREAD, 0.0, 8.0, 31.4, -1e-3])
def test_grad_matches_finite_differences(w):
    exact = neuron.grad(w, X_THREAD, Y_THREAD)
    numeric = gradcheck.numerical_gradient(lambda v: neuron.one_weight_cost(v, X_THREAD, Y_THREAD), w)
    assert gradcheck.relative_error(exact, numeric) < 1e-8


def test_grad_matches_torch(torch, rng):
    for _ in range(5):
        w0, x, y = rng.standard_normal(3) * 5
        w = torch.tensor(w0, requires_grad=True)
        cost = (w * x - y) ** 2
        cost.backward()
        assert np.isclose(neuron.grad(w0, x, y), w.grad.item(), rtol=1e-12, atol=1e-12)
        assert np.isclose(neuron.one_weight_cost(w0, x, y), cost.item(), rtol=1e-12)


def test_cost_and_grad_work_on_arrays():
    w = np.linspace(-3, 3, 12).reshape(3, 4)
    assert neuron.one_weight_cost(w, 2.0, 1.0).shape == (3, 4)
    np.testing.assert_allclose(neuron.grad(w, 2.0, 1.0), 4.0 * (2.0 * w - 1.0))
    np.testing.assert_allclose(neuron.output(w, 2.0), 2.0 * w)


def test_closed_form_and_regimes():
    eta_osc, eta_div = neuron.learning_rate_thresholds(X_THREAD)
    assert np.isclose(eta_osc, 1 / (2 * X_THREAD**2)) and np.isclose(eta_div, 1 / X_THREAD**2)
    w_star = Y_THREAD / X_THREAD
    for eta, sign_flips, shrinks in [(0.8 * eta_osc, False, True), (1.2 * eta_osc, True, True),
                                     (0.98 * eta_div, True, True), (1.02 * eta_div, True, False)]:
        e = neuron.descend(W0_THREAD, X_THREAD, Y_THREAD, eta, 12) - w_star
        r = neuron.contraction(X_THREAD, eta)
        np.testing.assert_allclose(e, r ** np.arange(13) * e[0], rtol=1e-9, atol=1e-10)
        assert bool(np.all(np.sign(e[1:]) == -np.sign(e[:-1]))) == sign_flips
        assert bool(np.all(np.diff(np.abs(e)) < 0)) == shrinks
    # At the first threshold one step lands on the minimum.
    one = neuron.descend(W0_THREAD, X_THREAD, Y_THREAD, eta_osc, 1)
    assert abs(one[1] - w_star) < 1e-12


def test_output_not_input_is_a_wrong_gradient():
    """The thread's sentence: d a/d w equals the output. Finite differences disagree."""
    numeric = float(gradcheck.numerical_gradient(
        lambda v: neuron.one_weight_cost(v, X_THREAD, Y_THREAD), W0_THREAD))
    a1 = W0_THREAD * X_THREAD
    with_output = 2 * a1 * (a1 - Y_THREAD)
    assert np.sign(with_output) != np.sign(numeric)
    assert np.isclose(float(neuron.grad(W0_THREAD, X_THREAD, Y_THREAD)), numeric, rtol=1e-8)


# --------------------------------------------------------------------------
# The chain of two neurons
# --------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_chain_grad_matches_finite_differences(activation, rng):
    for _ in range(4):
        w = rng.standard_normal(2)
        x, y = rng.standard_normal(2)
        exact = neuron.chain_grad(w, x, y, activation)
        numeric = gradcheck.numerical_gradient(
            lambda v, x=x, y=y: neuron.chain_cost(v, x, y, activation), w)
        assert exact.shape == (2,)
        assert gradcheck.relative_error(exact, numeric) < 1e-7


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_chain_grad_matches_torch(activation, torch, rng):
    f = {"identity": lambda z: z, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation]
    for _ in range(4):
        w0 = rng.standard_normal(2)
        x, y = rng.standard_normal(2)
        w = torch.tensor(w0, requires_grad=True)
        cost = (f(w[1] * f(w[0] * x)) - y) ** 2
        cost.backward()
        np.testing.assert_allclose(neuron.chain_grad(w0, x, y, activation), w.grad.numpy(),
                                   rtol=1e-10, atol=1e-12)
        assert np.isclose(float(neuron.chain_cost(w0, x, y, activation)), cost.item(), rtol=1e-12)


def test_chain_forward_and_grad_broadcast_over_a_grid():
    w = np.stack(np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-2, 2, 4)))   # (2, 4, 5)
    z1, a1, z2, a2 = neuron.chain_forward(w, 1.5, "sigmoid")
    assert z1.shape == a1.shape == z2.shape == a2.shape == (4, 5)
    g = neuron.chain_grad(w, 1.5, 0.3, "sigmoid")
    assert g.shape == (2, 4, 5)
    np.testing.assert_allclose(g[:, 2, 3], neuron.chain_grad(w[:, 2, 3], 1.5, 0.3, "sigmoid"))
    assert neuron.chain_cost(w, 1.5, 0.3).shape == (4, 5)


def test_chain_descend_updates_both_weights_at_once():
    path = neuron.chain_descend([0.4, -0.3], 1.0, 2.0, 0.1, 5)
    assert path.shape == (6, 2)
    w = np.array([0.4, -0.3])
    for k in range(1, 6):
        w = w - 0.1 * neuron.chain_grad(w, 1.0, 2.0)     # both from the same point
        np.testing.assert_allclose(path[k], w, rtol=1e-14)
    long = neuron.chain_descend([0.4, -0.3], 1.0, 2.0, 0.1, 40)
    assert abs(long[-1, 0] * long[-1, 1] - 2.0) < 1e-6


def test_chain_at_zero_is_stuck():
    path = neuron.chain_descend([0.0, 0.0], 1.0, 2.0, 0.1, 10)
    assert np.all(path == 0.0)


def test_sigmoid_chain_is_twice_the_networks_gradient():
    """The chain's cost has no 1/2; network.loss_and_grads uses 1/2 ||a - y||^2."""
    w = np.array([0.8, -1.5])
    params = [(np.array([[w[0]]]), np.zeros((1, 1))), (np.array([[w[1]]]), np.zeros((1, 1)))]
    cost, grads = network.loss_and_grads(params, np.array([[1.0]]), np.array([[0.9]]))
    from_network = np.array([grads[0][0][0, 0], grads[1][0][0, 0]])
    np.testing.assert_allclose(neuron.chain_grad(w, 1.0, 0.9, "sigmoid"), 2 * from_network,
                               rtol=1e-12)
    assert np.isclose(float(neuron.chain_cost(w, 1.0, 0.9, "sigmoid")), 2 * cost)


def test_threads_two_layer_formula_is_exact_only_for_linear_neurons():
    w, x, y = np.array([0.8, -1.5]), 1.0, 0.9
    a1 = w[0] * x
    thread = x * w[1] * 2 * (w[1] * a1 - y)
    assert np.isclose(thread, neuron.chain_grad(w, x, y)[0], rtol=1e-12)
    s = lambda z: 1 / (1 + np.exp(-z))
    thread_sigmoid = x * w[1] * 2 * (s(w[1] * s(w[0] * x)) - y)
    assert not np.isclose(thread_sigmoid, neuron.chain_grad(w, x, y, "sigmoid")[0], rtol=0.1)


# --------------------------------------------------------------------------
# The four equations of the two-layer chapter, against PyTorch
# --------------------------------------------------------------------------

@pytest.mark.parametrize("loss", network.LOSSES)
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_four_equations_match_torch(torch, rng, hidden, loss):
    """The package's forward pass and its backward pass, (B1) or (S1), then (B2)-(B4), against
    autograd on the torch network built from the same ``network.architecture``."""
    params, X, Y = make_case(rng, [3, 4, 5, 2], 5, loss)
    zs, activations = network.forward(params, X, loss, hidden)
    grads = network.backward(params, zs, activations, Y, loss, hidden)
    cost = network.mean_loss(zs, activations, Y, loss)
    cost_t, grads_t = torch_loss_and_grads(torch, params, X, Y, loss, hidden)
    assert abs(cost - cost_t) <= 1e-12 * max(1.0, abs(cost_t))
    for (gW, gb), (tW, tb) in zip(grads, grads_t, strict=True):
        np.testing.assert_allclose(gW, tW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gb, tb, rtol=1e-10, atol=1e-14)


def test_a_wrong_architecture_does_not_match_torch(torch, rng):
    """The comparison can fail: tanh's gradients are not ReLU's."""
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    _, grads = network.loss_and_grads(params, X, Y, "squared_error", "tanh")
    _, grads_t = torch_loss_and_grads(torch, params, X, Y, "squared_error", "relu")
    assert max_error(grads, grads_t) > 1e-3


def test_overwriting_instead_of_adding_is_caught():
    params = network.init_params([3, 2], seed=3)
    (W, b), = params
    X = np.linspace(-1, 1, 12).reshape(3, 4)
    Y = np.linspace(0.1, 0.9, 8).reshape(2, 4)
    numeric = gradcheck.numerical_grads(params, X, Y)[0][0]
    s = lambda z: 1 / (1 + np.exp(-z))
    added = np.zeros_like(W)
    for i in range(4):
        a = s(W @ X[:, [i]] + b)
        last = (a - Y[:, [i]]) * a * (1 - a) / 4 @ X[:, [i]].T
        added += last
    assert gradcheck.relative_error(added, numeric) < 1e-8
    assert gradcheck.relative_error(last, numeric) > 0.1


# --------------------------------------------------------------------------
# Clear errors for bad input
# --------------------------------------------------------------------------

def test_zero_input_is_rejected():
    with pytest.raises(ValueError, match="x must be nonzero"):
        neuron.learning_rate_thresholds(0.0)
    with pytest.raises(ValueError, match="x must be nonzero"):
        neuron.descend(1.0, 0.0, 1.0, 0.1, 3)
    with pytest.raises(ValueError, match="x must be nonzero"):
        neuron.contraction(0, 0.1)


def test_bad_scalars_are_rejected():
    with pytest.raises(TypeError, match="y must be a real number"):
        neuron.one_weight_cost(1.0, 2.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="x must be a real number"):
        neuron.grad(1.0, "2", 1.0)
    with pytest.raises(ValueError, match="eta must be positive"):
        neuron.descend(1.0, 2.0, 1.0, -0.1, 3)
    with pytest.raises(ValueError, match="eta must be positive"):
        neuron.contraction(2.0, 0.0)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        neuron.descend(1.0, 2.0, 1.0, 0.1, -1)
    with pytest.raises(ValueError, match="x must be finite"):
        neuron.one_weight_cost(1.0, float("nan"), 1.0)


def test_bad_weights_are_rejected():
    with pytest.raises(ValueError, match="w contains NaN"):
        neuron.one_weight_cost(np.array([1.0, np.nan]), 2.0, 1.0)
    with pytest.raises(TypeError, match="w must be numeric"):
        neuron.grad("w", 2.0, 1.0)
    with pytest.raises(ValueError, match=r"shape \(2,\) or \(2, \.\.\.\); got shape \(3,\)"):
        neuron.chain_grad([1.0, 2.0, 3.0], 1.0, 1.0)
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        neuron.chain_cost(1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"w0 must have shape \(2,\)"):
        neuron.chain_descend(np.zeros((2, 2)), 1.0, 1.0, 0.1, 3)
    with pytest.raises(TypeError, match="w0 must be a real number"):
        neuron.descend([1.0, 2.0], 2.0, 1.0, 0.1, 3)


def test_unknown_activation_is_rejected():
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        neuron.chain_grad([1.0, 1.0], 1.0, 1.0, activation="softmax")
    with pytest.raises(ValueError, match="unknown activation 'relu6'"):
        neuron.chain_descend([1.0, 1.0], 1.0, 1.0, 0.1, 2, activation="relu6")
