"""Numeric keys of the Hadamard chapter's self-checks (``quizzes/hadamard.json``)."""

import numpy as np

from ... import autodiff, losses, network
from ...activations import sigmoid, sigmoid_prime

# One sigmoid output with z = 0 and target y = 1 (the output error).
Z_OUT = np.zeros((1, 1))
Y_OUT = np.ones((1, 1))

# One sigmoid neuron with W = [0], b = [0] on a batch of m = 3 (the bias gradient).
PARAMS = [(np.zeros((1, 1)), np.zeros((1, 1)))]
X_BATCH = np.array([[1.0, 3.0, 2.0]])   # (1, m) inputs
Y_BATCH = np.array([[1.0, 1.0, 0.0]])   # (1, m) targets


def output_error():
    """delta = (a - y) * sigma'(z) at z = 0, y = 1: -1/8."""
    a = sigmoid(Z_OUT)
    return autodiff.hadamard(losses.squared_error_grad(a, Y_OUT), sigmoid_prime(Z_OUT))[0, 0]


def output_residual():
    """a - y = -1/2: the gradient with respect to a, without the factor sigma'(z)."""
    return losses.squared_error_grad(sigmoid(Z_OUT), Y_OUT)[0, 0]


def output_error_flipped():
    """(y - a) * sigma'(z) = +1/8: the error with the sign of the residual reversed."""
    a = sigmoid(Z_OUT)
    return autodiff.hadamard(-losses.squared_error_grad(a, Y_OUT), sigmoid_prime(Z_OUT))[0, 0]


def output_error_slope_at_a():
    """(a - y) * sigma'(a): sigma' evaluated at the activation a = 1/2 instead of at z = 0."""
    a = sigmoid(Z_OUT)
    return autodiff.hadamard(losses.squared_error_grad(a, Y_OUT), sigmoid_prime(a))[0, 0]


def _batch_errors():
    """The unscaled errors Delta = (A - Y) * sigma'(Z) of the batch, shape (1, m)."""
    zs, acts = network.forward(PARAMS, X_BATCH)
    return autodiff.hadamard(losses.squared_error_grad(acts[1], Y_BATCH), sigmoid_prime(zs[0]))


def bias_gradient():
    """grad_b C = (1/m) Delta 1 of the neuron on the batch, from ``network.loss_and_grads``: -1/24."""
    _, [(_, grad_b)] = network.loss_and_grads(PARAMS, X_BATCH, Y_BATCH)
    return grad_b[0, 0]


def bias_gradient_summed():
    """Delta 1, the errors summed without the 1/m of the mean: -1/8."""
    return _batch_errors().sum()


def bias_gradient_without_slope():
    """The mean of a - y over the batch, the factor sigma'(z) left out: -1/6."""
    _, acts = network.forward(PARAMS, X_BATCH)
    return losses.squared_error_grad(acts[1], Y_BATCH).mean()


def weight_gradient():
    """grad_W C = (1/m) Delta X^T of the same neuron: -1/12, the gradient of the weight, not the bias."""
    _, [(grad_W, _)] = network.loss_and_grads(PARAMS, X_BATCH, Y_BATCH)
    return grad_W[0, 0]
