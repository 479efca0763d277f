"""Numeric keys of the relu chapter's self-checks (``quizzes/relu.json``)."""

import numpy as np

from ... import activations, autodiff, gradcheck, network, optim

# --- relu ---

RELU_H = 0.01                      # the step of the central differences of the questions
RELU_NEAR = 0.004                  # a point within RELU_H of the kink
# One ReLU unit z = w x + b with w = 1, b = 0 on a batch of five inputs, and the gradient
# of the cost with respect to its output a, 1/m = 0.2 for every example.
RELU_X = np.array([[-2.0, -1.0, 0.0, 1.0, 3.0]])          # (1, 5): z = x
RELU_G = np.full((1, 5), 0.2)                             # (1, 5): grad_a C


def _relu_difference(z):
    """The central difference of ReLU at ``z`` with step ``RELU_H``."""
    return float(gradcheck.numerical_gradient(
        lambda v: float(np.sum(activations.relu(v))), np.array([z]), RELU_H)[0])


def relu_kink_difference():
    """The central difference of ReLU at its kink z = 0: half the right slope."""
    return _relu_difference(0.0)


def relu_left_slope():
    """relu'(0) by the book's (and PyTorch's) convention: the left slope, 0."""
    return float(activations.relu_prime(np.array([0.0]))[0])


def relu_right_slope():
    """The slope of ReLU just right of the kink, 1."""
    return float(activations.relu_prime(np.array([RELU_H]))[0])


def relu_near_kink_difference():
    """The central difference at z = RELU_NEAR, inside [-h, h]: (z + h) / (2 h)."""
    return _relu_difference(RELU_NEAR)


def relu_near_kink_derivative():
    """relu'(RELU_NEAR), the derivative the difference should have measured: 1."""
    return float(activations.relu_prime(np.array([RELU_NEAR]))[0])


def relu_bias_grad():
    """grad_b C of the unit: the sum over the batch of relu'(z) * grad_a C, with relu'(0) = 0."""
    return float(np.sum(autodiff.elementwise_vjp(RELU_X, RELU_G, activation="relu")))


def relu_bias_grad_kink_as_one():
    """The same with relu'(0) = 1 (z >= 0): one more example counted."""
    return float(np.sum((RELU_X >= 0) * RELU_G))


def relu_bias_grad_kink_as_half():
    """The same with relu'(0) = 1/2, what a central difference on the kink measures."""
    return float(np.sum(np.where(RELU_X == 0, 0.5, (RELU_X > 0) * 1.0) * RELU_G))


def relu_bias_grad_no_mask():
    """The sum of grad_a C alone, without the mask relu'(z)."""
    return float(np.sum(RELU_G))


# A 2-3-2 ReLU network whose hidden unit 1 is dead on the batch RELU_DEAD_X (all inputs >= 0,
# its weights <= 0 and its bias negative; units 2 and 3 live), and one step of gradient descent on it.
RELU_DEAD_X = np.array([[0.0, 1.0, 2.0, 0.5], [1.0, 0.0, 1.0, 2.0]])    # (2, 4)
RELU_DEAD_Y = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]])    # (2, 4), one-hot
RELU_DEAD_ETA = 0.5


def _dead_step():
    """The start and the result of one step, the first hidden unit dead."""
    params = network.init_params([2, 3, 2], seed=4)
    W1, b1 = params[0]
    W1[0], b1[0, 0] = -np.abs(W1[0]), -0.1             # z^1_1 < 0 on every example
    W1[1:], b1[1:] = np.abs(W1[1:]), 0.1               # the others > 0 on every example
    _, grads = network.loss_and_grads(params, RELU_DEAD_X, RELU_DEAD_Y, "cross_entropy", "relu")
    return params, optim.sgd_step(params, grads, RELU_DEAD_ETA)


def relu_dead_bias_change():
    """How much one step changes the bias of the dead unit: exactly 0."""
    start, moved = _dead_step()
    return float(abs(moved[0][1][0, 0] - start[0][1][0, 0]))


def relu_live_bias_change():
    """The same for a unit that is on for some example: not 0 (a wrong answer's key)."""
    start, moved = _dead_step()
    return float(np.max(np.abs(moved[0][1][1:, 0] - start[0][1][1:, 0])))
