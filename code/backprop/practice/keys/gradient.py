"""Numeric keys of the gradient chapter's self-checks (``quizzes/gradient.json``)."""

import numpy as np

from ... import landscapes

BOWL_H = np.array([[2.5, 1.5], [1.5, 2.5]])   # the chapter's bowl, eigenvalues 4 and 1


def bowl_divergence_eta():
    """2 / lambda_max of the chapter's bowl: above it, gradient descent diverges."""
    return landscapes.learning_rate_thresholds(BOWL_H)[1]


def bowl_oscillation_eta():
    """1 / lambda_max of the chapter's bowl: above it, the path zigzags across the valley."""
    return landscapes.learning_rate_thresholds(BOWL_H)[0]
