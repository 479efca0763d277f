"""Numeric keys of the reverse_mode chapter's self-checks (``quizzes/reverse_mode.json``)."""

import numpy as np

from ... import tape

W_VALUE, X_VALUE = 1.0, 2.0   # the fork c = (w sigma(w x))^2 at w = 1, x = 2, as 1 x 1 matrices


def _forked(W_in, W_out):
    return tape.sum(tape.square(W_out @ tape.sigmoid(W_in @ np.array([[X_VALUE]]))))


def fork_grad():
    """W.grad with one W used twice: the tape adds the two terms."""
    W = tape.Variable([[W_VALUE]])
    _forked(W, W).backward()
    return W.grad[0, 0]


def _copies():
    W_in, W_out = tape.Variable([[W_VALUE]]), tape.Variable([[W_VALUE]])
    _forked(W_in, W_out).backward()
    return W_in.grad[0, 0], W_out.grad[0, 0]


def fork_grad_outer():
    """The term of the outer use alone, W as the second weight: 2 w sigma(w x)^2."""
    return _copies()[1]


def fork_grad_inner():
    """The term of the inner use alone: 2 w^2 x sigma(w x) sigma'(w x)."""
    return _copies()[0]
