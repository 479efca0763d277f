"""Numeric keys of the two_layer chapter's self-checks (``quizzes/two_layer.json``)."""

import numpy as np

from ... import activations, network

# One sigmoid neuron (sizes 1-1) with W^1 = 0 and b^1 = 0, and a batch of m = 5.
PARAMS = [(np.zeros((1, 1)), np.zeros((1, 1)))]
X = np.array([[0.4, -1.0, 2.0, 1.5, -0.3]])   # (1, 5): any inputs, since W^1 = 0
Y = np.array([[1.0, 0.0, 0.0, 0.0, 0.0]])     # (1, 5): the targets


def bias_grad():
    """grad_{b^1} C of the squared-error cost, by the package's backpropagation."""
    return network.loss_and_grads(PARAMS, X, Y)[1][0][1][0, 0]


def bias_grad_summed():
    """The same without the 1/m: the gradient of the summed loss."""
    return bias_grad() * X.shape[1]


def bias_grad_without_slope():
    """The mean of a^1 - y, with the factor sigma'(z^1) of the output rule left out."""
    _, acts = network.forward(PARAMS, X)
    return float(np.mean(acts[1] - Y))


def bias_grad_wrong_sign():
    """The mean of (y - a^1) sigma'(z^1): target minus output."""
    zs, acts = network.forward(PARAMS, X)
    return float(np.mean((Y - acts[1]) * activations.sigmoid_prime(zs[0])))


def bias_grad_last_example():
    """The last example's term delta / m alone, what `grad_b = ...` in a loop over the batch keeps."""
    last = network.loss_and_grads(PARAMS, X[:, -1:], Y[:, -1:])[1][0][1][0, 0]
    return last / X.shape[1]
