"""Numeric keys of the softmax_ce chapter's self-checks (``quizzes/softmax_ce.json``)."""

import numpy as np

from ... import activations, losses

Z = np.array([[2.0], [1.0], [0.5], [-1.0]])      # the chapter's logits, (n, 1)
T_TWO = np.array([[1.0], [1.0], [0.0], [0.0]])   # its two-label target, summing to 2


def two_label_delta_1():
    """delta_1 of the general formula a (1^T t) - t for the two-label target: 2 a_1 - 1."""
    return losses.softmax_cross_entropy_grad(Z, T_TWO)[0, 0]


def two_label_shortcut_1():
    """The shortcut a_1 - t_1, wrong here: the targets sum to 2."""
    return (activations.softmax(Z) - T_TWO)[0, 0]


def two_label_normalised_1():
    """a_1 - t_1 / (1^T t): the gradient for the targets scaled to sum 1, half of delta_1."""
    return (activations.softmax(Z) - T_TWO / T_TWO.sum())[0, 0]


def two_label_grad_a_1():
    """-t_1 / a_1: the gradient with respect to the probability a_1, not the logit z_1."""
    return losses.cross_entropy_grad(activations.softmax(Z), T_TWO)[0, 0]
