"""backprop.losses, backprop.training and backprop.data (chapters "Softmax and
cross-entropy" and "Mini-batches and real data").

Every loss and gradient is checked against central finite differences and
against PyTorch autograd in float64; the softmax + cross-entropy network
against PyTorch for several depths, batch sizes and targets that do not sum
to 1; the logits versions for stability at +-1000 and +-1e4 with every
warning turned into an error; training for determinism; and every function
for clear errors on bad input.
"""

import warnings

import numpy as np
import pytest

from backprop import data, gradcheck, losses, network, optim, training
from backprop.activations import softmax

BASES = [np.e, 2.0, 10.0]
TOL = 1e-10      # analytic vs PyTorch, float64
FD_TOL = 1e-7    # analytic vs central differences


def targets(rng, n, m, kind):
    """Targets of shape (n, m): one-hot, soft (columns sum to 1), or not normalized."""
    if kind == "onehot":
        return data.as_onehot(rng.integers(0, n, m), n)
    if kind == "soft":
        t = rng.random((n, m))
        return t / t.sum(axis=0)
    if kind == "multilabel":  # two 1s per column: sums to 2
        t = np.zeros((n, m))
        for k in range(m):
            t[rng.choice(n, 2, replace=False), k] = 1.0
        return t
    return 2.0 * rng.random((n, m))  # "unnormalized"


def same_params(p, q, exact=False, **tol):
    """Whether two lists of (W, b) pairs hold the same arrays (exactly, or to np.allclose)."""
    pairs = [(a, b) for x, y in zip(p, q, strict=True) for a, b in zip(x, y, strict=True)]
    if exact:
        return all(np.array_equal(a, b) for a, b in pairs)
    return all(np.allclose(a, b, **tol) for a, b in pairs)


def fd_grad(f, x):
    """Central-difference gradient of a function returning per-column values, summed."""
    return gradcheck.numerical_gradient(lambda v: float(np.sum(f(v))), x)


# ---------------------------------------------------------------------------
# Losses against finite differences and PyTorch
# ---------------------------------------------------------------------------

def test_squared_error_and_its_gradient(torch, rng):
    a, y = rng.random((4, 6)), rng.random((4, 6))
    L = losses.squared_error(a, y)
    assert L.shape == (6,)
    at = torch.tensor(a, requires_grad=True)
    Lt = 0.5 * ((at - torch.tensor(y)) ** 2).sum(dim=0)
    Lt.sum().backward()
    assert gradcheck.relative_error(L, Lt.detach().numpy()) <= TOL
    grad = losses.squared_error_grad(a, y)
    assert gradcheck.relative_error(grad, at.grad.numpy()) <= TOL
    assert gradcheck.relative_error(grad, fd_grad(lambda v: losses.squared_error(v, y), a)) <= FD_TOL
    assert np.allclose(grad, a - y)  # the sign: from y towards a


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("kind", ["onehot", "soft", "unnormalized"])
def test_cross_entropy_and_its_gradient(torch, rng, base, kind):
    a = softmax(rng.standard_normal((5, 7)))
    t = targets(rng, 5, 7, kind)
    L = losses.cross_entropy(a, t, base)
    at = torch.tensor(a, requires_grad=True)
    Lt = -(torch.tensor(t) * torch.log(at)).sum(dim=0) / np.log(base)
    Lt.sum().backward()
    assert L.shape == (7,)
    assert gradcheck.relative_error(L, Lt.detach().numpy()) <= TOL
    grad = losses.cross_entropy_grad(a, t, base)
    assert gradcheck.relative_error(grad, at.grad.numpy()) <= TOL
    numeric = fd_grad(lambda v: losses.cross_entropy(v, t, base), a)
    assert gradcheck.relative_error(grad, numeric) <= FD_TOL
    assert np.allclose(grad, -t / (a * np.log(base)))


def test_cross_entropy_zero_targets_ignore_zero_probabilities():
    a = np.array([[0.0], [1.0]])
    t = np.array([[0.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.cross_entropy(a, t)[0] == 0.0
        assert np.array_equal(losses.cross_entropy_grad(a, t), [[0.0], [-1.0]])
        assert losses.cross_entropy(t[::-1], t)[0] == np.inf  # truthfully infinite, silently


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("kind", ["onehot", "soft", "multilabel", "unnormalized"])
def test_cross_entropy_with_logits_and_its_gradient(torch, rng, base, kind):
    z = 3 * rng.standard_normal((4, 6))
    t = targets(rng, 4, 6, kind)
    L = losses.cross_entropy_with_logits(z, t, base)
    assert np.allclose(L, losses.cross_entropy(softmax(z), t, base))
    zt = torch.tensor(z, requires_grad=True)
    Lt = -(torch.tensor(t) * torch.log_softmax(zt, dim=0)).sum(dim=0) / np.log(base)
    Lt.sum().backward()
    assert gradcheck.relative_error(L, Lt.detach().numpy()) <= TOL
    grad = losses.softmax_cross_entropy_grad(z, t, base)
    assert grad.shape == z.shape
    assert gradcheck.relative_error(grad, zt.grad.numpy()) <= TOL
    numeric = fd_grad(lambda v: losses.cross_entropy_with_logits(v, t, base), z)
    assert gradcheck.relative_error(grad, numeric) <= FD_TOL


@pytest.mark.parametrize("kind", ["multilabel", "unnormalized"])
def test_the_shortcut_is_wrong_when_targets_do_not_sum_to_one(rng, kind):
    z = rng.standard_normal((4, 6))
    t = targets(rng, 4, 6, kind)
    exact = losses.softmax_cross_entropy_grad(z, t)
    shortcut = softmax(z) - t
    assert gradcheck.relative_error(shortcut, exact) > 1e-2
    assert np.allclose(exact, softmax(z) * t.sum(axis=0) - t)


def test_the_shortcut_is_right_when_targets_sum_to_one(rng):
    z = rng.standard_normal((4, 6))
    t = targets(rng, 4, 6, "soft")
    assert gradcheck.relative_error(losses.softmax_cross_entropy_grad(z, t), softmax(z) - t) < 1e-14


def test_softmax_squared_error_grad(torch, rng):
    z = 2 * rng.standard_normal((5, 4))
    t = targets(rng, 5, 4, "onehot")
    grad = losses.softmax_squared_error_grad(z, t)
    zt = torch.tensor(z, requires_grad=True)
    (0.5 * ((torch.softmax(zt, dim=0) - torch.tensor(t)) ** 2).sum()).backward()
    assert gradcheck.relative_error(grad, zt.grad.numpy()) <= TOL
    numeric = fd_grad(lambda v: losses.squared_error(softmax(v), t), z)
    assert gradcheck.relative_error(grad, numeric) <= FD_TOL
    # not the cross-entropy shortcut
    assert gradcheck.relative_error(grad, softmax(z) - t) > 0.1


def test_one_dimensional_inputs_are_one_example(rng):
    z = rng.standard_normal(4)
    t = np.eye(4)[1]
    assert np.ndim(losses.cross_entropy_with_logits(z, t)) == 0
    assert losses.softmax_cross_entropy_grad(z, t).shape == (4,)
    assert losses.softmax_squared_error_grad(z, t).shape == (4,)
    assert np.allclose(losses.softmax_cross_entropy_grad(z, t), softmax(z) - t)


# ---------------------------------------------------------------------------
# Stability: huge logits, no warnings
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [1e3, 1e4])
def test_logits_functions_are_stable_without_warnings(torch, scale):
    z = scale * np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 0.0, -1.0]])
    t = np.array([[0.0, 1.0, 0.2], [1.0, 0.0, 0.3], [0.0, 0.0, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="warn", over="warn", invalid="warn"):  # underflow to 0 is benign
            L = losses.cross_entropy_with_logits(z, t)
            grad = losses.softmax_cross_entropy_grad(z, t)
            grad_se = losses.softmax_squared_error_grad(z, t)
    assert np.isfinite(L).all() and np.isfinite(grad).all() and np.isfinite(grad_se).all()
    zt = torch.tensor(z, requires_grad=True)
    (-(torch.tensor(t) * torch.log_softmax(zt, dim=0)).sum()).backward()
    assert gradcheck.relative_error(grad, zt.grad.numpy()) <= TOL
    # column 0: the true class has logit -scale against +scale: loss 2 * scale exactly
    assert L[0] == pytest.approx(2 * scale, rel=1e-12)


@pytest.mark.parametrize("scale", [1e3, 1e4])
def test_network_cross_entropy_is_stable_without_warnings(scale, rng):
    params = network.init_params([3, 4, 3], seed=1)
    W2, b2 = params[1]
    params[1] = (W2, np.array([[scale], [-scale], [0.0]]))
    X = rng.standard_normal((3, 5))
    Y = np.eye(3)[:, [1, 1, 0, 2, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="warn", over="warn", invalid="warn"):  # underflow to 0 is benign
            cost, grads = network.loss_and_grads(params, X, Y, "cross_entropy")
    assert np.isfinite(cost) and cost > scale
    assert all(np.isfinite(g).all() for pair in grads for g in pair)


# ---------------------------------------------------------------------------
# The softmax + cross-entropy network against PyTorch
# ---------------------------------------------------------------------------

def torch_cross_entropy_network(torch, params, X, Y):
    """Sigmoid hidden layers, softmax output, mean cross-entropy over the columns, in autograd."""
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
          for W, b in params]
    a = torch.tensor(X)
    for l, (W, b) in enumerate(tp, start=1):
        z = W @ a + b
        a = torch.sigmoid(z) if l < len(tp) else None
    cost = torch.nn.functional.cross_entropy(z.T, torch.tensor(Y).T)  # rows = examples
    cost.backward()
    return cost.item(), [(W.grad.numpy(), b.grad.numpy()) for W, b in tp]


@pytest.mark.parametrize("kind", ["onehot", "soft", "multilabel", "unnormalized"])
@pytest.mark.parametrize("sizes,m", [([4, 3], 1), ([4, 5, 3], 8), ([3, 6, 5, 4], 2),
                                     ([5, 4, 4, 4, 3], 33)])
def test_network_cross_entropy_matches_pytorch(torch, rng, sizes, m, kind):
    params = network.init_params(sizes, seed=int(rng.integers(1000)))
    X = rng.standard_normal((sizes[0], m))
    Y = targets(rng, sizes[-1], m, kind)
    cost, grads = network.loss_and_grads(params, X, Y, loss="cross_entropy")
    cost_t, grads_t = torch_cross_entropy_network(torch, params, X, Y)
    assert cost == pytest.approx(cost_t, rel=TOL)
    for (gW, gb), (tW, tb) in zip(grads, grads_t, strict=True):
        assert gradcheck.relative_error(gW, tW) <= TOL
        assert gradcheck.relative_error(gb, tb) <= TOL


def test_summed_cost_is_m_times_the_mean(rng):
    params = network.init_params([4, 5, 3], seed=3)
    X, Y = rng.standard_normal((4, 9)), targets(rng, 3, 9, "onehot")
    cost, grads = network.loss_and_grads(params, X, Y, "cross_entropy")
    cost_s, grads_s = training.summed()(params, X, Y, "cross_entropy")
    assert cost_s == pytest.approx(9 * cost)
    for (gW, gb), (sW, sb) in zip(grads, grads_s, strict=True):
        assert np.allclose(sW, 9 * gW) and np.allclose(sb, 9 * gb)
    # a summed-cost step with eta is a mean-cost step with m * eta
    step_sum = optim.sgd_step(params, grads_s, 0.01)
    step_mean = optim.sgd_step(params, grads, 0.09)
    assert same_params(step_sum, step_mean)


def test_summed_gradient_matches_finite_differences(rng):
    params = network.init_params([3, 4, 2], seed=4)
    X, Y = rng.standard_normal((3, 5)), targets(rng, 2, 5, "onehot")
    _, grads_s = training.summed()(params, X, Y, "cross_entropy")
    W1, b1 = params[0]
    numeric = gradcheck.numerical_gradient(
        lambda W: 5 * network.cost([(W, b1), params[1]], X, Y, "cross_entropy"), W1)
    assert gradcheck.relative_error(grads_s[0][0], numeric) <= FD_TOL


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

def small_problem():
    X, Y, labels = data.blobs(m=120, k=3, seed=2)
    return network.init_params([2, 6, 3], seed=5), X, Y, labels


def test_training_is_deterministic():
    params, X, Y, _ = small_problem()
    runs = [training.train(params, X, Y, eta=0.5, epochs=4, batch_size=16, seed=7,
                           X_test=X[:, :30], Y_test=Y[:, :30]) for _ in range(2)]
    (p1, h1), (p2, h2) = runs
    assert h1 == h2
    assert same_params(p1, p2, exact=True)
    p3, h3 = training.train(params, X, Y, eta=0.5, epochs=4, batch_size=16, seed=8)
    assert h3["cost"] != h1["cost"]
    assert len(h1["cost"]) == 5 and len(h1["test_cost"]) == 5


def test_training_reduces_the_cost_and_leaves_the_start_alone():
    params, X, Y, labels = small_problem()
    start = [(W.copy(), b.copy()) for W, b in params]
    trained, history = training.train(params, X, Y, eta=1.0, epochs=30, batch_size=None)
    assert history["cost"][-1] < 0.5 * history["cost"][0]
    assert training.accuracy(trained, X, labels) > 0.9
    assert all(np.array_equal(W, W0) for (W, _), (W0, _) in zip(params, start, strict=True))


def test_full_batch_training_is_gradient_descent():
    params, X, Y, _ = small_problem()
    trained, _ = training.train(params, X, Y, eta=0.3, epochs=3, batch_size=None, seed=0)
    p = params
    for _ in range(3):
        p = optim.sgd_step(p, network.loss_and_grads(p, X, Y, "cross_entropy")[1], 0.3)
    assert same_params(trained, p, rtol=1e-13, atol=1e-15)


def test_summed_training_with_eta_over_m_equals_mean_training():
    params, X, Y, _ = small_problem()
    p_mean, h_mean = training.train(params, X, Y, eta=0.6, epochs=2, batch_size=None)
    p_sum, h_sum = training.train(params, X, Y, eta=0.6 / 120, epochs=2, batch_size=None,
                                  grad_fn=training.summed())
    assert np.allclose(np.array(h_sum["cost"]) / 120, h_mean["cost"])
    assert same_params(p_mean, p_sum)


def test_recorded_costs_match_the_gradient_functions():
    params, X, Y, _ = small_problem()
    _, h = training.train(params, X, Y, epochs=0)
    assert h["cost"] == [network.loss_and_grads(params, X, Y, "cross_entropy")[0]]
    calls = []

    def counting(p, X_, Y_, loss):
        calls.append(X_.shape[1])
        return network.loss_and_grads(p, X_, Y_, loss)

    _, h_counted = training.train(params, X, Y, epochs=1, batch_size=None, grad_fn=counting)
    assert calls == [120, 120, 120]  # initial cost, one update, the cost after the epoch
    _, h_default = training.train(params, X, Y, epochs=1, batch_size=None)
    assert h_counted == h_default
    _, h_sum = training.train(params, X, Y, epochs=0, grad_fn=training.summed())
    assert h_sum["cost"][0] == pytest.approx(120 * h["cost"][0])
    assert training.summed(counting).cost_fn(params, X, Y, "cross_entropy") == \
        pytest.approx(120 * h["cost"][0])


def test_progress_prints_deterministic_lines(capsys):
    params, X, Y, _ = small_problem()
    training.train(params, X, Y, epochs=4, progress=training.Progress(every=2))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 2/4  cost ")


def test_predict_labels_accuracy_and_confusion_matrix():
    params, X, Y, labels = small_problem()
    guess = training.predict_labels(params, X)
    assert guess.shape == (120,) and guess.dtype.kind == "i"
    counts = training.confusion_matrix(labels, guess, 3)
    assert counts.shape == (3, 3) and counts.sum() == 120
    assert np.array_equal(counts.sum(axis=1), np.bincount(labels, minlength=3))
    assert np.trace(counts) / 120 == pytest.approx(training.accuracy(params, X, labels))
    assert np.array_equal(training.confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], 3),
                          [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    # a single sigmoid output: the prediction is a > 0.5, and 0./1. labels are accepted
    Xb, Yb = data.xor(m=20)
    pb = network.init_params([2, 3, 1], seed=0)
    acc = training.accuracy(pb, Xb, Yb[0], loss="squared_error")
    assert 0 <= acc <= 1


def test_digits_data():
    d = data.digits()
    assert d["X_train"].shape == (64, 1348) and d["X_test"].shape == (64, 449)
    assert d["Y_train"].shape == (10, 1348) and np.allclose(d["Y_train"].sum(axis=0), 1)
    assert d["images_test"].shape == (449, 8, 8)
    assert 0 <= d["X_train"].min() and d["X_train"].max() <= 1
    assert np.array_equal(d["Y_test"].argmax(axis=0), d["labels_test"])
    assert np.allclose(d["images_test"].reshape(449, 64).T, d["X_test"])
    again = data.digits()
    assert np.array_equal(again["labels_test"], d["labels_test"])
    other = data.digits(seed=1)
    assert not np.array_equal(other["labels_test"], d["labels_test"])


def test_blobs_data():
    X, Y, labels = data.blobs(m=50, k=4, seed=3)
    assert X.shape == (2, 50) and Y.shape == (4, 50) and labels.shape == (50,)
    assert np.array_equal(Y.argmax(axis=0), labels)
    assert np.array_equal(X, data.blobs(m=50, k=4, seed=3)[0])


# ---------------------------------------------------------------------------
# Clear errors
# ---------------------------------------------------------------------------

def test_loss_errors():
    a, t = np.full((3, 2), 1 / 3), np.eye(3)[:, :2]
    with pytest.raises(ValueError, match="t must have the shape of a"):
        losses.cross_entropy(a, t[:2])
    with pytest.raises(ValueError, match="y must have the shape of a"):
        losses.squared_error(a, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="base must be positive and different from 1"):
        losses.cross_entropy(a, t, base=1)
    with pytest.raises(ValueError, match="base must be positive"):
        losses.cross_entropy_with_logits(a, t, base=-2.0)
    with pytest.raises(TypeError, match="base must be a real number"):
        losses.softmax_cross_entropy_grad(a, t, base="e")
    with pytest.raises(ValueError, match="probabilities"):
        losses.cross_entropy(a - 0.5, t)
    with pytest.raises(ValueError, match="NaN or infinity"):
        losses.cross_entropy_with_logits(np.array([np.inf, 0.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="t must have the shape of z"):
        losses.softmax_squared_error_grad(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(TypeError, match="numeric"):
        losses.softmax_cross_entropy_grad("abc", t)


def test_training_errors():
    params, X, Y, labels = small_problem()
    with pytest.raises(ValueError, match="eta must be positive"):
        training.train(params, X, Y, eta=0)
    with pytest.raises(ValueError, match="epochs"):
        training.train(params, X, Y, epochs=-1)
    with pytest.raises(ValueError, match="batch_size"):
        training.train(params, X, Y, batch_size=0)
    with pytest.raises(ValueError, match="unknown loss"):
        training.train(params, X, Y, loss="hinge")
    with pytest.raises(ValueError, match="Y must have shape"):
        training.train(params, X, Y[:2])
    with pytest.raises(ValueError, match="X must have shape"):
        training.train(params, X, Y, X_test=X[:1], Y_test=Y)
    with pytest.raises(TypeError, match="grad_fn"):
        training.train(params, X, Y, grad_fn=3)
    with pytest.raises(TypeError, match="progress"):
        training.train(params, X, Y, progress="yes")
    with pytest.raises(TypeError, match="grad_fn"):
        training.summed(None)
    with pytest.raises(ValueError, match="every"):
        training.Progress(every=0)
    with pytest.raises(ValueError, match=r"labels must have shape \(120,\)"):
        training.accuracy(params, X, labels[:10])
    with pytest.raises(TypeError, match="integer class labels"):
        training.accuracy(params, X, labels + 0.5)
    with pytest.raises(ValueError, match="n_classes"):
        training.confusion_matrix(labels, labels, 0)
    with pytest.raises(ValueError, match=r"predicted must have shape \(120,\)"):
        training.confusion_matrix(labels, labels[:5], 3)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\)"):
        training.confusion_matrix(labels, labels, 2)


def test_data_errors():
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(test_fraction=1.0)
    with pytest.raises(ValueError, match="m must be a positive integer"):
        data.blobs(m=0)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        data.blobs(k=2.5)


def test_train_checks_its_data_once_not_at_every_mini_batch(monkeypatch):
    X, Y = data.xor(m=40, seed=3)
    params = network.init_params([2, 3, 1], seed=1)
    calls = []
    real = training.check_batch

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(network, "check_batch", counting)      # what network.loss_and_grads calls
    monkeypatch.setattr(training, "check_batch", counting)
    trained, history = training.train(params, X, Y, loss="squared_error", eta=0.5, epochs=3, batch_size=8)
    assert len(calls) == 1                                   # 3 epochs x 5 batches, checked once
    assert len(history["cost"]) == 4
    monkeypatch.undo()
    again, history_checked = training.train(params, X, Y, loss="squared_error", eta=0.5, epochs=3,
                                            batch_size=8, grad_fn=lambda *a: network.loss_and_grads(*a))
    assert history_checked["cost"] == history["cost"]        # the same numbers as checking every batch
    for (W, b), (W2, b2) in zip(trained, again, strict=True):
        assert np.array_equal(W, W2) and np.array_equal(b, b2)
