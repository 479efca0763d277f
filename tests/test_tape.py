"""Tests of backprop.tape: every operation against PyTorch, networks against network.py, bad input.

The tape's gradients must equal PyTorch autograd's (float64, CPU) to 1e-10 and
``network.loss_and_grads`` to 1e-12, on networks of several depths, with both
losses, and with a weight used twice (a fork).
"""

import numpy as np
import pytest
from cases import torch_loss_and_grads

from backprop import data, network, tape
from backprop.gradcheck import numerical_gradient, relative_error

TORCH = 1e-10
EXACT = 1e-12


def t(x, torch):
    return torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)


def leaves(rng, *shapes):
    return [rng.standard_normal(s) for s in shapes]


# Each case: (name, shapes of the inputs, the expression on the tape, the same in torch).
# The expressions end in a scalar; they use every operation and both broadcasts.
CASES = [
    ("matmul", [(3, 4), (4, 2)], lambda A, B: tape.sum(A @ B), lambda A, B: (A @ B).sum()),
    ("add column", [(3, 5), (3, 1)], lambda A, b: tape.sum(tape.square(A + b)),
     lambda A, b: ((A + b) ** 2).sum()),
    ("column add", [(3, 1), (3, 5)], lambda b, A: tape.sum(tape.square(b + A)),
     lambda b, A: ((b + A) ** 2).sum()),
    ("sub column", [(3, 5), (3, 1)], lambda A, b: tape.sum(tape.square(A - b)),
     lambda A, b: ((A - b) ** 2).sum()),
    ("column sub", [(3, 1), (3, 5)], lambda b, A: tape.sum(tape.square(b - A)),
     lambda b, A: ((b - A) ** 2).sum()),
    ("hadamard", [(2, 3), (2, 3)], lambda A, B: tape.sum(A * B * A), lambda A, B: (A * B * A).sum()),
    ("neg", [(2, 3)], lambda A: tape.sum(-tape.square(A)), lambda A: (-(A ** 2)).sum()),
    ("sigmoid", [(4, 3)], lambda A: tape.sum(tape.sigmoid(A) * A),
     lambda A: (A.sigmoid() * A).sum()),
    ("log_softmax", [(4, 3), (4, 3)], lambda Z, G: tape.sum(G * tape.log_softmax(Z)),
     lambda Z, G: (G * Z.log_softmax(dim=0)).sum()),
    ("mean_columns", [(3, 6)], lambda A: tape.sum(tape.square(tape.mean_columns(A))),
     lambda A: (A.mean(dim=1, keepdim=True) ** 2).sum()),
    ("scaling", [(3, 2)], lambda A: tape.sum(A) * tape.sum(A) * 0.5 - 3.0 * tape.sum(A),
     lambda A: A.sum() * A.sum() * 0.5 - 3.0 * A.sum()),
    ("fork", [(3, 3), (3, 2)], lambda W, X: tape.sum(tape.sigmoid(W @ tape.sigmoid(W @ X))),
     lambda W, X: (W @ (W @ X).sigmoid()).sigmoid().sum()),
]


@pytest.mark.parametrize("name, shapes, on_tape, in_torch", CASES, ids=[c[0] for c in CASES])
def test_operation_matches_torch(name, shapes, on_tape, in_torch, rng, torch):
    values = leaves(rng, *shapes)
    variables = [tape.Variable(v) for v in values]
    c = on_tape(*variables)
    c.backward()
    tensors = [t(v, torch) for v in values]
    c_torch = in_torch(*tensors)
    c_torch.backward()
    assert abs(float(c.value) - c_torch.item()) < TORCH * max(1.0, abs(c_torch.item()))
    for V, T in zip(variables, tensors):
        assert V.grad.shape == V.value.shape
        assert relative_error(V.grad, T.grad.numpy()) < TORCH


@pytest.mark.parametrize("name, shapes, on_tape, in_torch", CASES, ids=[c[0] for c in CASES])
def test_operation_matches_central_differences(name, shapes, on_tape, in_torch, rng):
    values = leaves(rng, *shapes)
    variables = [tape.Variable(v) for v in values]
    on_tape(*variables).backward()
    for k, V in enumerate(variables):
        def f(x, k=k):
            args = [tape.Variable(x if j == k else v) for j, v in enumerate(values)]
            return float(on_tape(*args).value)
        assert relative_error(V.grad, numerical_gradient(f, values[k])) < 1e-7


SIZES = [[3, 2], [3, 4, 2], [2, 5, 4, 3], [4, 3, 3, 3, 3, 2]]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", network.LOSSES)
@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: f"L={len(s) - 1}")
def test_network_matches_loss_and_grads_and_torch(sizes, loss, hidden, rng, torch):
    params = network.init_params(sizes, seed=3)
    m = 7
    X = rng.standard_normal((sizes[0], m))
    if loss == "squared_error":
        Y = rng.uniform(0, 1, (sizes[-1], m))
    else:
        Y = data.as_onehot(rng.integers(0, sizes[-1], m), sizes[-1])
    cost, grads = network.loss_and_grads(params, X, Y, loss, hidden)
    P = [(tape.Variable(W), tape.Variable(b)) for W, b in params]
    C = tape.network_cost(P, X, Y, loss, hidden)
    C.backward()
    assert abs(float(C.value) - cost) < EXACT
    # PyTorch builds the same network, from network.architecture, with its own operations
    c_torch, grads_t = torch_loss_and_grads(torch, params, X, Y, loss, hidden)
    assert abs(c_torch - cost) < TORCH
    for (W, b), (grad_W, grad_b), (tW, tb) in zip(P, grads, grads_t, strict=True):
        assert W.grad.shape == W.value.shape and b.grad.shape == b.value.shape
        assert np.max(np.abs(W.grad - grad_W)) < EXACT
        assert np.max(np.abs(b.grad - grad_b)) < EXACT
        assert relative_error(W.grad, tW) < TORCH
        assert relative_error(b.grad, tb) < TORCH


def test_fork_adds_the_two_paths(rng, torch):
    """W used in two layers: its gradient is the sum of the gradients of the two uses."""
    W0, X = rng.standard_normal((3, 3)), rng.standard_normal((3, 4))
    W = tape.Variable(W0)
    c = tape.sum(tape.square(W @ tape.sigmoid(W @ X)))
    c.backward()
    # the same network with two separate copies of the weight
    W1, W2 = tape.Variable(W0), tape.Variable(W0)
    tape.sum(tape.square(W2 @ tape.sigmoid(W1 @ X))).backward()
    assert np.max(np.abs(W.grad - (W1.grad + W2.grad))) < EXACT
    assert relative_error(W1.grad, W2.grad) > 1e-3      # the two terms differ: a real sum
    Wt = t(W0, torch)
    ((Wt @ (Wt @ torch.tensor(X)).sigmoid()) ** 2).sum().backward()
    assert relative_error(W.grad, Wt.grad.numpy()) < TORCH


def test_backward_replaces_gradients(rng):
    A = tape.Variable(rng.standard_normal((2, 2)))
    c = tape.sum(tape.square(A))
    c.backward()
    first = A.grad.copy()
    c.backward()
    assert np.array_equal(A.grad, first)                   # not 2 * first
    tape.sum(A * 3.0).backward()                           # a new graph through A
    assert np.allclose(A.grad, 3.0)


def test_grad_is_none_until_reached(rng):
    A, B = tape.Variable(rng.standard_normal((2, 2))), tape.Variable(rng.standard_normal((2, 2)))
    assert A.grad is None and B.grad is None
    tape.sum(A).backward()
    assert A.grad is not None and B.grad is None


def test_deep_chain_needs_no_recursion():
    x = tape.Variable(np.ones((1, 1)) * 0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0
    tape.sum(y).backward()
    assert x.grad.item() == 1.0


BAD_SHAPES = [
    ("add", lambda A, B: A + B, (2, 3), (3, 2)),
    ("add row", lambda A, B: A + B, (2, 3), (1, 3)),
    ("sub", lambda A, B: A - B, (2, 3), (2, 2)),
    ("matmul", lambda A, B: A @ B, (2, 3), (2, 3)),
    ("hadamard", lambda A, B: A * B, (2, 3), (2, 1)),
]


@pytest.mark.parametrize("name, op, sa, sb", BAD_SHAPES, ids=[b[0] for b in BAD_SHAPES])
def test_non_conforming_shapes_raise(name, op, sa, sb):
    A, B = tape.Variable(np.ones(sa)), tape.Variable(np.ones(sb))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        op(A, B)


def test_backward_on_a_non_scalar_raises():
    with pytest.raises(ValueError, match="one number"):
        (tape.Variable(np.ones((2, 2))) * 2.0).backward()


@pytest.mark.parametrize("value, error", [
    ("abc", TypeError), (None, TypeError), ([["a", "b"]], TypeError), (object(), TypeError),
    ([[1.0, 2.0], [3.0]], ValueError), (np.ones(3), ValueError), (np.ones((2, 2, 2)), ValueError),
    (np.array([[np.nan]]), ValueError),
])
def test_bad_values_raise(value, error):
    with pytest.raises(error):
        tape.Variable(value)


def test_bad_operands_raise():
    A = tape.Variable(np.ones((2, 2)))
    with pytest.raises(TypeError):
        A + "x"
    with pytest.raises(ValueError, match="matrix"):
        tape.mean_columns(tape.sum(A))
    with pytest.raises(ValueError, match="loss"):
        tape.network_cost([(A, tape.Variable(np.ones((2, 1))))], np.ones((2, 3)), np.ones((2, 3)),
                          loss="hinge")


def test_the_chapter_figure_trains_identically_on_the_tape_and_with_network():
    from backprop.figures import reverse_mode

    costs, twin_costs, _ = reverse_mode.tape_training(8.0, 2, steps=40)
    assert np.max(np.abs(costs - twin_costs)) < EXACT
    assert costs[-1] < costs[0]
