"""backprop.network: the contract loss_and_grads, checked against finite differences and PyTorch."""

import inspect

import numpy as np
import pytest
from cases import make_case, torch_loss_and_grads

from backprop import _checks, data, gradcheck, losses, network, optim, training

CASES = [
    ([3, 2], 1), ([3, 2], 7), ([4, 5, 3], 1), ([4, 5, 3], 10),
    ([2, 6, 5, 4], 3), ([5, 3, 3, 3, 2], 16),
]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@pytest.mark.parametrize("sizes,m", CASES)
def test_matches_pytorch_to_1e_10(torch, rng, sizes, m, loss, hidden):
    params, X, Y = make_case(rng, sizes, m, loss)
    cost, grads = network.loss_and_grads(params, X, Y, loss, hidden)
    cost_t, grads_t = torch_loss_and_grads(torch, params, X, Y, loss, hidden)
    assert isinstance(cost, float)
    assert abs(cost - cost_t) <= 1e-10 * max(1.0, abs(cost_t))
    for (gW, gb), (tW, tb), (W, b) in zip(grads, grads_t, params):
        assert gW.shape == W.shape and gb.shape == b.shape
        assert gradcheck.relative_error(gW, tW) <= 1e-10
        assert gradcheck.relative_error(gb, tb) <= 1e-10


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@pytest.mark.parametrize("sizes,m", CASES[:4])
def test_matches_finite_differences(rng, sizes, m, loss, hidden):
    params, X, Y = make_case(rng, sizes, m, loss)
    assert gradcheck.check_grads(params, X, Y, loss, hidden=hidden) < 1e-7


def test_architecture_is_data():
    assert network.architecture(3) == ("sigmoid", "sigmoid", "sigmoid")
    assert network.architecture(3, "cross_entropy", "relu") == ("relu", "relu", "softmax")
    assert network.architecture(1, "squared_error", "tanh") == ("sigmoid",)
    assert set(network.LOSSES) == set(losses.OUTPUT_ACTIVATION)


@pytest.mark.parametrize("name", ["forward", "backward", "loss_and_grads", "cost"])
def test_what_the_chapters_print_is_the_math_without_checks(name):
    """``inspect.getsource`` shows the unchecked math; the exported function checks its input."""
    source = inspect.getsource(getattr(network, name))
    code = source.split('"""')[0] + source.split('"""')[-1]        # without the docstring
    for plumbing in ("check", "checked", "as_array", "isfinite", "raise"):
        assert plumbing not in code, f"network.{name} shows {plumbing!r}"


def test_the_exported_functions_check_once_and_the_math_does_not(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    bad = X[:2]
    with pytest.raises(ValueError, match="X must have shape"):
        network.loss_and_grads(params, bad, Y)
    with pytest.raises(ValueError, match="X must have shape"):
        network.cost(params, bad, Y)
    with pytest.raises(ValueError):                                 # NumPy's own error, unnamed
        network.loss_and_grads.__wrapped__(params, bad, Y)
    assert network.loss_and_grads(params, X, Y)[0] == network.loss_and_grads.__wrapped__(params, X, Y)[0]


def test_cross_entropy_targets_that_do_not_sum_to_one(torch, rng):
    """The shortcut a - t would be wrong here; the general gradient matches autograd."""
    params, X, Y = make_case(rng, [3, 4, 3], 6, "cross_entropy", normalized=False)
    assert not np.allclose(Y.sum(axis=0), 1)
    _, grads = network.loss_and_grads(params, X, Y, "cross_entropy")
    _, grads_t = torch_loss_and_grads(torch, params, X, Y, "cross_entropy")
    for (gW, gb), (tW, tb) in zip(grads, grads_t):
        assert gradcheck.relative_error(gW, tW) <= 1e-10
        assert gradcheck.relative_error(gb, tb) <= 1e-10
    assert gradcheck.check_grads(params, X, Y, "cross_entropy") < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_finite_inputs_pass_the_check_and_nan_does_not(rng, dtype):
    """The quick scan (a sum of squares) overflows for huge entries; the exact scan then accepts them."""
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error", dtype=dtype)
    huge = X / np.abs(X).max() * (np.finfo(dtype).max / 10)     # finite, but its squares are not
    with np.errstate(all="raise"):
        checked, X_checked, _ = _checks.check_batch(params, huge, Y)
    assert X_checked is huge and all(W is W0 for (W, _), (W0, _) in zip(checked, params))
    params[1] = (params[1][0], np.where(np.arange(2)[:, None] == 1, np.nan, params[1][1]).astype(dtype))
    with pytest.raises(ValueError, match=r"b\^2 .*NaN or infinity"):
        network.loss_and_grads(params, X, Y)


def test_single_example_cost_is_the_loss(rng):
    params, X, Y = make_case(rng, [3, 2], 1, "squared_error")
    cost, _ = network.loss_and_grads(params, X, Y)
    a = training.predict(params, X)
    assert cost == pytest.approx(0.5 * np.sum((Y - a) ** 2))


def test_cost_is_mean_of_losses_and_grads_are_mean_of_grads(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    cost, grads = network.loss_and_grads(params, X, Y)
    per = [network.loss_and_grads(params, X[:, [k]], Y[:, [k]]) for k in range(5)]
    assert cost == pytest.approx(np.mean([c for c, _ in per]))
    for l in range(2):
        assert np.allclose(grads[l][0], np.mean([g[l][0] for _, g in per], axis=0))


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_float32_stays_float32(rng, loss):
    params, X, Y = make_case(rng, [3, 4, 2], 5, loss)
    p32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    cost, grads = network.loss_and_grads(p32, X.astype(np.float32), Y.astype(np.float32), loss)
    assert isinstance(cost, float)
    assert all(g.dtype == np.float32 for pair in grads for g in pair)
    cost64, grads64 = network.loss_and_grads(params, X, Y, loss)
    assert cost == pytest.approx(cost64, rel=1e-5)
    assert gradcheck.relative_error(grads[0][0], grads64[0][0]) < 1e-4


def test_array_likes_and_integer_inputs(rng):
    params = [([[1, 2], [3, 4], [5, 6]], [[0], [1], [0]])]  # lists of ints
    cost, grads = network.loss_and_grads(params, [[1, 0], [0, 1]], [[0, 1], [1, 0], [0, 0]])
    ref = network.loss_and_grads([(np.array(params[0][0], float), np.array(params[0][1], float))],
                                 np.eye(2), np.array([[0, 1], [1, 0], [0, 0]], float))
    assert cost == pytest.approx(ref[0])
    assert grads[0][0].dtype == np.float64
    assert np.allclose(grads[0][0], ref[1][0][0])


def test_inputs_are_not_modified(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error")
    copies = [(W.copy(), b.copy()) for W, b in params]
    X0, Y0 = X.copy(), Y.copy()
    network.loss_and_grads(params, X, Y)
    new = optim.sgd_step(params, network.loss_and_grads(params, X, Y)[1], 0.1)
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0)
               for (W, b), (W0, b0) in zip(params, copies))
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    assert not np.array_equal(new[0][0], params[0][0])


def test_sgd_step_decreases_cost(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 20, "cross_entropy")
    cost0, grads = network.loss_and_grads(params, X, Y, "cross_entropy")
    cost1, _ = network.loss_and_grads(optim.sgd_step(params, grads, 0.1), X, Y, "cross_entropy")
    assert cost1 < cost0


def test_init_params_shapes_and_determinism():
    p1 = network.init_params([5, 4, 3], seed=7)
    p2 = network.init_params([5, 4, 3], seed=7)
    assert [(W.shape, b.shape) for W, b in p1] == [((4, 5), (4, 1)), ((3, 4), (3, 1))]
    assert all(np.array_equal(a, c) for (a, b), (c, d) in zip(p1, p2))
    with pytest.raises(ValueError, match="sizes"):
        network.init_params([5])


def test_forward_caches_every_layer(rng):
    params, X, _ = make_case(rng, [3, 4, 2], 6, "squared_error")
    zs, activations = network.forward(params, X)
    assert len(zs) == 2 and len(activations) == 3
    assert activations[0] is not None and np.array_equal(activations[0], X)
    assert zs[0].shape == (4, 6) and activations[2].shape == (2, 6)


def test_as_onehot():
    Y = data.as_onehot([2, 0, 1], 3)
    assert Y.shape == (3, 3) and np.array_equal(Y.argmax(axis=0), [2, 0, 1])
    with pytest.raises(ValueError, match="labels"):
        data.as_onehot([3], 3)
