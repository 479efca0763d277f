"""Numeric keys of the differentials chapter's self-checks (``quizzes/differentials.json``)."""

import numpy as np

from ... import autodiff, identities

LOGDET_X = np.array([[2.0, 1.0], [0.0, 1.0]])   # det X = 2
SIZES, M = (10, 20, 20, 5), 50                  # the network and batch of the cost question


def _logdet_row():
    return next(row for row in identities.TABLE if row.name == "log-determinant")


def logdet_grad_21():
    """Entry (2, 1) of grad_X ln det X = X^{-T}, from the table's row."""
    return _logdet_row().G(identities.NUMPY, X=LOGDET_X)[1, 0]


def logdet_inverse_21():
    """Entry (2, 1) of X^{-1}, the gradient without its transpose."""
    return _logdet_row().G(identities.NUMPY, X=LOGDET_X).T[1, 0]


def logdet_det_grad_21():
    """Entry (2, 1) of grad_X det X = det(X) X^{-T}: the 1/det X of the logarithm forgotten."""
    return np.linalg.det(LOGDET_X) * logdet_grad_21()


def _madds():
    """Multiply-adds of the forward pass, of Delta^l (A^{l-1})^T per layer, of (W^l)^T Delta^l per layer."""
    layers = list(zip(SIZES[:-1], SIZES[1:]))                  # (n_{l-1}, n_l) for l = 1..L
    forward = [autodiff.multiply_adds([(n_l, n_prev), (n_prev, M)]) for n_prev, n_l in layers]
    weights = [autodiff.multiply_adds([(n_l, M), (M, n_prev)]) for n_prev, n_l in layers]
    errors = [autodiff.multiply_adds([(n_prev, n_l), (n_l, M)]) for n_prev, n_l in layers]
    return sum(forward), sum(weights), errors                  # errors[0] is layer 1's


def backprop_over_forward():
    """Forward plus backward pass, in forward passes: (W^l)^T Delta^l for every layer but the first."""
    forward, weights, errors = _madds()
    return (forward + weights + sum(errors[1:])) / forward


def backprop_with_first_layer_error():
    """The same count with (W^1)^T Delta^1 as well, an error no parameter needs."""
    forward, weights, errors = _madds()
    return (forward + weights + sum(errors)) / forward


def backprop_weights_only():
    """The count with the backward pass as Delta^l (A^{l-1})^T only, no error sent back."""
    forward, weights, _ = _madds()
    return (forward + weights) / forward


def backward_only_over_forward():
    """The backward pass alone, in forward passes."""
    forward, weights, errors = _madds()
    return (weights + sum(errors[1:])) / forward
