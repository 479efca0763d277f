"""ReLU and its kink (chapter relu): the convention relu'(0) = 0, gradient checks kept
off the kink and failing on it, dead units, and PyTorch cross-checks of a ReLU network."""

import functools

import numpy as np
import pytest
from cases import make_case, max_error, torch_loss_and_grads

from backprop import activations, data, gradcheck, network, optim, training

LOSSES = ("squared_error", "cross_entropy")
SIZES = ([3, 4, 2], [4, 5, 3], [3, 5, 4, 2])


def _on_the_kink(params, X, j=0, k=0):
    """``params`` with ``b^1_j`` chosen so that ``Z^1[j, k]`` is exactly 0."""
    (W1, b1), *rest = params
    b1 = b1.copy()
    b1[j, 0] = -(W1 @ X)[j, k]          # the same product the forward pass computes
    return [(W1, b1), *rest]


# ---------------------------------------------------------------- the convention at z = 0

def test_relu_prime_is_zero_at_the_kink():
    z = np.array([-1.0, -0.0, 0.0, 1e-300, 2.0])
    assert activations.relu_prime(z).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert activations.relu(z).tolist() == [0.0, 0.0, 0.0, 1e-300, 2.0]


def test_pytorch_takes_relu_prime_of_zero_as_zero(torch):
    z = np.array([-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0])
    zt = torch.tensor(z, requires_grad=True)
    torch.relu(zt).sum().backward()
    assert zt.grad.numpy().tolist() == activations.relu_prime(z).tolist()
    assert zt.grad.numpy()[3] == 0.0                 # relu'(0) = 0 in PyTorch's autograd


def test_a_central_difference_on_the_kink_gives_half_the_slope():
    for eps in (1e-2, 1e-6):
        fd = gradcheck.numerical_gradient(lambda z: np.sum(activations.relu(z)), np.zeros(1), eps)
        assert fd[0] == pytest.approx(0.5, abs=1e-12)
    # off the kink by less than eps: (z + eps) / (2 eps), between 0 and 1
    z, eps = 3e-7, 1e-6
    fd = gradcheck.numerical_gradient(lambda v: np.sum(activations.relu(v)), np.array([z]), eps)
    assert fd[0] == pytest.approx((z + eps) / (2 * eps), rel=1e-6)


# ---------------------------------------------------------------- the gradient check off and on the kink

def test_kink_margin_is_the_smallest_hidden_pre_activation():
    rng = np.random.default_rng(0)
    params, X, _ = make_case(rng, [3, 5, 4, 2], 6, "cross_entropy")
    zs, _ = network.forward(params, X, hidden="relu")
    direct = min(np.abs(zs[0]).min(), np.abs(zs[1]).min())   # the hidden layers only
    assert gradcheck.kink_margin(params, X) == direct
    zs_tanh, _ = network.forward(params, X, hidden="tanh")   # Z^2 depends on the activation
    assert gradcheck.kink_margin(params, X, hidden="tanh") == min(np.abs(Z).min() for Z in zs_tanh[:-1])
    assert not np.allclose(zs_tanh[1], zs[1])
    assert gradcheck.kink_margin(params[-1:], np.ones((4, 6))) == np.inf   # L = 1: no hidden layer
    with pytest.raises(ValueError, match="hidden activation"):
        gradcheck.kink_margin(params, X, hidden="softmax")
    with pytest.raises(ValueError, match="X must have shape"):
        gradcheck.kink_margin(params, X[:2])


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sizes", SIZES, ids=str)
def test_gradient_check_of_a_relu_network_off_the_kink(loss, sizes):
    rng = np.random.default_rng(len(sizes) + len(loss))
    params, X, Y = make_case(rng, sizes, 6, loss)
    assert gradcheck.kink_margin(params, X) > 1e-3          # far from the kink, eps = 1e-6
    assert gradcheck.check_grads(params, X, Y, loss, hidden="relu") < 1e-7


@pytest.mark.parametrize("loss", LOSSES)
def test_gradient_check_fails_on_the_kink_and_it_is_the_kink(loss):
    rng = np.random.default_rng(7)
    params, X, Y = make_case(rng, [4, 5, 3], 1, loss)       # one example: its term is the gradient
    on = _on_the_kink(params, X)
    assert gradcheck.kink_margin(on, X) == 0.0
    assert gradcheck.check_grads(on, X, Y, loss, hidden="relu") > 0.1
    # the entry of b^1_0: backpropagation takes the left slope (relu'(0) = 0), the central
    # difference the mean of the two one-sided slopes
    _, grads = network.loss_and_grads(on, X, Y, loss, "relu")
    fd = gradcheck.numerical_grads(on, X, Y, loss, hidden="relu")
    eps = 1e-6

    def cost_at(shift):
        shifted = [(on[0][0], on[0][1] + np.array([[shift]] + [[0.0]] * 4)), *on[1:]]
        return network.cost(shifted, X, Y, loss, "relu")

    right = (cost_at(eps) - cost_at(0.0)) / eps
    left = (cost_at(0.0) - cost_at(-eps)) / eps
    assert left == 0.0 and abs(right) > 1e-3
    assert grads[0][1][0, 0] == 0.0
    assert fd[0][1][0, 0] == pytest.approx((left + right) / 2, rel=1e-5)
    # the same code, the unit moved off the kink by 1e-3 > eps: the check passes again
    moved = [(on[0][0], on[0][1] + 1e-3), *on[1:]]
    assert gradcheck.kink_margin(moved, X) > eps
    assert gradcheck.check_grads(moved, X, Y, loss, hidden="relu") < 1e-7


# ---------------------------------------------------------------- dead units

def test_dead_units_match_a_direct_count():
    rng = np.random.default_rng(3)
    params, X, _ = make_case(rng, [4, 6, 5, 3], 20, "cross_entropy")
    (W1, b1), (W2, b2), last = params
    b1, b2 = b1.copy(), b2.copy()
    b1[[1, 4]] = -50.0                  # two units of layer 1 off on every example
    b2[:] = 50.0                        # every unit of layer 2 on, but one
    b2[2] = -50.0
    params = [(W1, b1), (W2, b2), last]
    dead = training.dead_units(params, X)
    zs, _ = network.forward(params, X, hidden="relu")
    for mask, Z in zip(dead, zs[:-1], strict=True):
        assert mask.dtype == bool and mask.shape == (Z.shape[0],)
        assert mask.tolist() == [all(Z[j, k] <= 0 for k in range(Z.shape[1]))
                                 for j in range(Z.shape[0])]
    assert np.flatnonzero(dead[0]).tolist() == [1, 4] and np.flatnonzero(dead[1]).tolist() == [2]
    assert [d.sum() for d in training.dead_units(params[-1:], np.ones((5, 2)))] == []   # no hidden layer


def test_a_dead_unit_never_changes_under_gradient_descent():
    d = data.digits(test_fraction=0.25, seed=0)
    X, Y = d["X_train"][:, :300], d["Y_train"][:, :300]
    start = network.init_params([64, 16, 10], seed=0)
    (W1, b1), last = start
    b1 = b1.copy()
    b1[3] = -20.0                                       # unit 3 off on every example
    start = [(W1, b1), last]
    assert training.dead_units(start, X)[0][3]
    trained, _ = training.train(start, X, Y, loss="cross_entropy", eta=0.5, epochs=3,
                                batch_size=16, seed=0,
                                grad_fn=functools.partial(network.loss_and_grads, hidden="relu"))
    assert np.array_equal(trained[0][0][3], W1[3]) and trained[0][1][3, 0] == -20.0
    assert not np.array_equal(trained[0][0][2], W1[2])  # a live unit moves
    assert training.dead_units(trained, X)[0][3]


# ---------------------------------------------------------------- PyTorch

@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sizes", SIZES, ids=str)
def test_relu_network_gradients_equal_pytorch(torch, loss, sizes):
    rng = np.random.default_rng(11)
    params, X, Y = make_case(rng, sizes, 7, loss)
    assert gradcheck.kink_margin(params, X) > 1e-6
    cost, grads = network.loss_and_grads(params, X, Y, loss, "relu")
    cost_t, grads_t = torch_loss_and_grads(torch, params, X, Y, loss, "relu")
    assert abs(cost - cost_t) < 1e-12
    assert max_error(grads, grads_t) < 1e-10


@pytest.mark.parametrize("loss", LOSSES)
def test_on_the_kink_both_take_the_same_convention(torch, loss):
    rng = np.random.default_rng(5)
    params, _, Y = make_case(rng, [4, 5, 3], 3, loss)
    # small integers and quarters: every product and sum of layer 1 is exact, in NumPy and in
    # PyTorch's fused addmm alike, so Z^1[0, 0] is exactly 0 in both
    X = rng.integers(-2, 3, (4, 3)).astype(float)
    W1 = rng.integers(-3, 4, (5, 4)) / 4
    on = _on_the_kink([(W1, params[0][1]), params[1]], X)
    zs, _ = network.forward(on, X, loss, "relu")
    assert zs[0][0, 0] == 0.0
    _, grads = network.loss_and_grads(on, X, Y, loss, "relu")
    _, grads_t = torch_loss_and_grads(torch, on, X, Y, loss, "relu")
    assert max_error(grads, grads_t) < 1e-10


@pytest.mark.parametrize("loss", LOSSES)
def test_sgd_steps_of_a_relu_network_equal_pytorch(torch, loss):
    rng = np.random.default_rng(2)
    params, X, Y = make_case(rng, [4, 6, 5, 3], 24, loss)
    eta, batch = 0.3, 8
    ours = params
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
          for W, b in params]
    sgd = torch.optim.SGD([t for pair in tp for t in pair], lr=eta)
    from backprop.benchmarks.step import torch_cost

    for step in range(6):                               # two passes over three mini-batches
        cols = slice((step % 3) * batch, (step % 3 + 1) * batch)
        _, grads = network.loss_and_grads(ours, X[:, cols], Y[:, cols], loss, "relu")
        ours = optim.sgd_step(ours, grads, eta)
        sgd.zero_grad()
        torch_cost(tp, torch.tensor(X[:, cols]), torch.tensor(Y[:, cols]), loss, "relu").backward()
        sgd.step()
    gap = max(np.max(np.abs(p - t.detach().numpy()))
              for pair, tpair in zip(ours, tp, strict=True) for p, t in zip(pair, tpair, strict=True))
    assert gap < 1e-10
    moved = max(np.max(np.abs(p - q)) for pair, qair in zip(ours, params) for p, q in zip(pair, qair))
    assert moved > 1e-3                                 # the steps did something


def test_accuracy_and_labels_take_the_hidden_activation():
    rng = np.random.default_rng(4)
    params, X, Y = make_case(rng, [4, 6, 3], 40, "cross_entropy")
    labels = Y.argmax(axis=0)
    for hidden in ("sigmoid", "relu"):
        _, acts = network.forward(params, X, "cross_entropy", hidden)
        guess = acts[-1].argmax(axis=0)
        assert training.predict_labels(params, X, hidden=hidden).tolist() == guess.tolist()
        assert training.accuracy(params, X, labels, hidden=hidden) == np.mean(guess == labels)
    assert training.accuracy(params, X, labels) == training.accuracy(params, X, labels,
                                                                     hidden="sigmoid")
    with pytest.raises(ValueError, match="hidden activation"):
        training.accuracy(params, X, labels, hidden="softmax")
