"""Numeric keys of the Jacobian chapter's self-checks (``quizzes/jacobian.json``)."""

import numpy as np

from ... import activations, jacobian

LOGITS = np.zeros((3, 1))   # three logits, all zero: every softmax output is 1/3


def softmax_diagonal_entry():
    """Entry (1, 1) of the softmax Jacobian at z = 0 with three logits: a_1 (1 - a_1) = 2/9."""
    return jacobian.softmax_jacobian(LOGITS)[0, 0]


def softmax_output():
    """a_1 = 1/3, the entry of diag(a) alone, without the term -a a^T."""
    return activations.softmax(LOGITS)[0, 0]


def softmax_off_diagonal_entry():
    """Entry (1, 2) of the same Jacobian: -a_1 a_2 = -1/9."""
    return jacobian.softmax_jacobian(LOGITS)[0, 1]


def sigmoid_slope_at_zero():
    """sigma'(0) = 1/4: the diagonal entry if softmax were an element-wise sigmoid."""
    return jacobian.elementwise_jacobian(LOGITS, "sigmoid")[0, 0]
