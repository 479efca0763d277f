"""Bad and extreme inputs: each gets a clear error naming the argument and shapes, or the right answer.

One table, one row per input a learner might pass. A row is
``(id, call, expected)`` where ``expected`` is either
``(ExceptionType, [key words of the message])`` or a function that checks the result.
Every row also runs with NumPy warnings turned into errors.
"""

import warnings

import numpy as np
import pytest

from backprop import activations, autodiff, explorer, gradcheck, jacobian, losses, network, optim

rng = np.random.default_rng(0)
P = network.init_params([3, 4, 2], seed=0)          # W^1 (4, 3), W^2 (2, 4)
X = rng.standard_normal((3, 5))                      # (n_0, m) = (3, 5)
Y = rng.random((2, 5))                               # (n_L, m) = (2, 5)
T = np.eye(2)[:, [0, 1, 1, 0, 1]]                   # one-hot targets (2, 5)


def with_W(l, W):
    params = [tuple(pair) for pair in P]
    params[l] = (W, params[l][1])
    return params


def with_b(l, b):
    params = [tuple(pair) for pair in P]
    params[l] = (params[l][0], b)
    return params


def lg(params=P, X=X, Y=Y, loss="squared_error", hidden="sigmoid"):
    return lambda: network.loss_and_grads(params, X, Y, loss, hidden)


def finite_cost(result):
    cost, grads = result
    assert np.isfinite(cost)
    assert all(np.isfinite(g).all() for pair in grads for g in pair)


def close_to(value, tol=1e-12):
    def check(result):
        assert np.allclose(result, value, rtol=tol, atol=tol), (result, value)
    return check


BIG = 1e4
CASES = [
    # -- shapes: dimensions ------------------------------------------------------
    ("X 1-D", lg(X=X[:, 0]), (ValueError, ["X", "2-D", "(n_0, m)", "shape (3,)"])),
    ("X 3-D", lg(X=X[None]), (ValueError, ["X", "2-D", "(1, 3, 5)"])),
    ("W 1-D", lg(params=with_W(0, np.ones(12))), (ValueError, ["W^1", "2-D", "(n_1, n_0)", "(12,)"])),
    ("Y 1-D", lg(Y=Y[0]), (ValueError, ["Y", "2-D", "(n_L, m)", "(5,)"])),
    # -- shapes that do not chain -------------------------------------------------
    ("X rows != n_0", lg(X=X[:2]), (ValueError, ["X", "(3, m)", "W^1", "(4, 3)", "(2, 5)"])),
    ("examples as rows", lg(X=X.T), (ValueError, ["X", "(5, 3)", "X.T"])),
    ("layers do not chain", lg(params=with_W(1, np.ones((2, 5)))),
     (ValueError, ["do not chain", "W^1", "(4, 3)", "W^2", "(2, 5)"])),
    ("bias wrong length", lg(params=with_b(0, np.zeros((3, 1)))), (ValueError, ["b^1", "(4, 1)", "(3, 1)"])),
    ("bias flat (n,)", lg(params=with_b(0, np.zeros(4))), (ValueError, ["b^1", "(4, 1)", "(4,)", "column"])),
    ("bias flat, n == m (silent broadcast trap)",
     lambda: network.loss_and_grads([(np.ones((5, 3)), np.arange(5.0))], X, rng.random((5, 5))),
     (ValueError, ["b^1", "(5, 1)", "(5,)"])),
    ("bias as a row", lg(params=with_b(0, np.zeros((1, 4)))), (ValueError, ["b^1", "(4, 1)", "(1, 4)"])),
    # -- Y against the output and the batch ---------------------------------------
    ("Y rows != n_L", lg(Y=rng.random((3, 5))), (ValueError, ["Y", "(2, 5)", "(3, 5)", "output"])),
    ("Y batch != m", lg(Y=Y[:, :4]), (ValueError, ["Y", "(2, 5)", "(2, 4)", "batch"])),
    # -- empty --------------------------------------------------------------------
    ("empty batch", lg(X=np.zeros((3, 0)), Y=np.zeros((2, 0))), (ValueError, ["X", "empty", "(3, 0)"])),
    ("empty list of layers", lg(params=[]), (ValueError, ["params", "empty", "(W, b)"])),
    ("params is an array", lg(params=np.ones((2, 2))), (TypeError, ["params", "list of (W, b)"])),
    ("a layer is not a pair", lg(params=[(P[0][0], P[0][1], 1.0)]), (TypeError, ["params[0]", "pair", "length 3"])),
    # -- non-numeric --------------------------------------------------------------
    ("X of strings", lg(X=[["a", "b"]] * 3), (TypeError, ["X", "numeric", "<U1"])),
    ("X is None", lg(X=None), (TypeError, ["X", "None"])),
    ("X complex", lg(X=X + 0j), (TypeError, ["X", "complex"])),
    ("X ragged list", lg(X=[[1, 2], [3]]), (ValueError, ["X", "rectangular"])),
    ("W of objects", lg(params=with_W(0, np.array([[None] * 3] * 4))), (TypeError, ["W^1", "object"])),
    ("sigmoid of a string", lambda: activations.sigmoid("1.0"), (TypeError, ["z", "string"])),
    # -- NaN and infinity -----------------------------------------------------------
    ("NaN in X", lg(X=np.where(X > 1, np.nan, X)), (ValueError, ["X", "NaN or infinity"])),
    ("inf in W", lg(params=with_W(1, np.full((2, 4), np.inf))), (ValueError, ["W^2", "NaN or infinity", "8 of 8"])),
    ("NaN in b", lg(params=with_b(0, np.full((4, 1), np.nan))), (ValueError, ["b^1", "NaN or infinity"])),
    ("NaN in Y", lg(Y=np.full((2, 5), np.nan)), (ValueError, ["Y", "NaN or infinity"])),
    ("NaN eta", lambda: optim.sgd_step(P, P, np.nan), (ValueError, ["eta", "finite"])),
    ("negative eta", lambda: optim.sgd_step(P, P, -0.1), (ValueError, ["eta", "positive"])),
    ("eta as a string", lambda: optim.gradient_descent(lambda w: w, [1.0], "0.1", 3),
     (TypeError, ["eta", "real number"])),
    # -- unknown names ----------------------------------------------------------------
    ("unknown loss", lg(loss="mse"), (ValueError, ["unknown loss 'mse'", "'squared_error'", "'cross_entropy'"])),
    ("unknown activation", lambda: jacobian.elementwise_jacobian(np.ones(3), "swish"),
     (ValueError, ["unknown activation 'swish'", "'sigmoid'"])),
    ("unknown activation in a VJP", lambda: autodiff.elementwise_vjp(np.ones(3), np.ones(3), "gelu"),
     (ValueError, ["unknown activation 'gelu'"])),
    ("unknown hidden activation", lg(hidden="softmax"),
     (ValueError, ["unknown hidden activation 'softmax'", "'sigmoid'", "'relu'"])),
    # -- other functions --------------------------------------------------------------
    ("VJP with the wrong cotangent", lambda: autodiff.affine_vjp(np.ones((4, 3)), np.ones(3)),
     (ValueError, ["v", "4 rows", "(4, 3)", "(3,)"])),
    ("Jacobian step of zero", lambda: jacobian.numerical_jacobian(np.sin, np.ones(3), eps=0.0),
     (ValueError, ["eps", "positive"])),
    ("relative error of different shapes", lambda: gradcheck.relative_error(np.ones(2), np.ones(3)),
     (ValueError, ["same shape", "(2,)", "(3,)"])),
    ("loss of mismatched shapes", lambda: losses.squared_error(np.ones((2, 3)), np.ones((3, 2))),
     (ValueError, ["y", "(2, 3)", "(3, 2)"])),
    ("log of base 1", lambda: losses.cross_entropy(np.full((2, 1), 0.5), np.ones((2, 1)), base=1),
     (ValueError, ["base", "different from 1"])),
    ("slider off its grid", lambda: explorer.make_param("eta", (0.1, 1.0, 0.1)).index(0.15),
     (ValueError, ["eta=0.15", "grid"])),
    # -- accepted and converted ------------------------------------------------------------
    ("lists and integers are converted",
     lambda: network.loss_and_grads([([[1, 0, 0], [0, 1, 0]], [[0], [0]])], [[1], [2], [3]], [[1], [0]]),
     lambda r: (isinstance(r[0], float), r[1][0][0].dtype == np.float64) == (True, True) or pytest.fail()),
    ("float32 stays float32",
     lambda: network.loss_and_grads([(W.astype(np.float32), b.astype(np.float32)) for W, b in P],
                                    X.astype(np.float32), Y.astype(np.float32)),
     lambda r: all(g.dtype == np.float32 for pair in r[1] for g in pair) or pytest.fail()),
    # -- extreme values: finite and correct, no warnings --------------------------------------
    ("sigmoid at +-1e4", lambda: activations.sigmoid(np.array([-BIG, BIG])), close_to([0.0, 1.0])),
    ("sigmoid' at +-1e4", lambda: activations.sigmoid_prime(np.array([-BIG, BIG])), close_to([0.0, 0.0])),
    ("sigmoid far in the tail keeps relative accuracy", lambda: activations.sigmoid(np.array([-700.0])),
     lambda r: np.isclose(r[0], np.exp(-700.0), rtol=1e-12) or pytest.fail()),
    ("softmax at +-1e4", lambda: activations.softmax(np.array([[BIG], [-BIG], [0.0]])), close_to([[1], [0], [0]])),
    ("log-softmax at +-1e4", lambda: activations.log_softmax(np.array([[BIG], [-BIG]])), close_to([[0], [-2 * BIG]])),
    ("cross-entropy when the true class has probability 0 (from logits)",
     lambda: losses.cross_entropy_with_logits(np.array([[BIG], [-BIG]]), np.array([[0.0], [1.0]])),
     close_to([2 * BIG])),
    ("its gradient there is a - t, not NaN",
     lambda: losses.softmax_cross_entropy_grad(np.array([[BIG], [-BIG]]), np.array([[0.0], [1.0]])),
     close_to([[1.0], [-1.0]])),
    ("cross-entropy of probabilities with a zero where t = 0",
     lambda: losses.cross_entropy(np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]])), close_to([0.0])),
    ("cross-entropy of a zero probability where t > 0 is honestly infinite",
     lambda: losses.cross_entropy(np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]])),
     lambda r: np.isinf(r[0]) or pytest.fail()),
    ("loss_and_grads with logits of +-1e4 (cross-entropy)",
     lg(params=[(np.array([[BIG], [-BIG]]), np.zeros((2, 1)))], X=np.ones((1, 5)), Y=T, loss="cross_entropy"),
     finite_cost),
    ("loss_and_grads with saturated sigmoids (squared error)",
     lg(params=[(np.full((2, 3), BIG), np.zeros((2, 1)))], loss="squared_error"), finite_cost),
]


@pytest.mark.parametrize("name,call,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_or_extreme_input(name, call, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a NumPy RuntimeWarning fails the row
        if isinstance(expected, tuple):
            exc_type, words = expected
            with pytest.raises(exc_type) as info:
                call()
            message = str(info.value)
            missing = [w for w in words if w not in message]
            assert not missing, f"message {message!r} lacks {missing}"
        else:
            expected(call())


def test_the_table_is_big_enough():
    errors = [c for c in CASES if isinstance(c[2], tuple)]
    assert len(errors) >= 20 and len(CASES) >= 30
