"""Numeric keys of the one_neuron chapter's self-checks (``quizzes/one_neuron.json``)."""

from ... import neuron

X, Y, W0, ETA = 5.7, 50.1, -23.1, 0.007   # the thread's example
X_SMALL = 2.0                             # the input of the threshold question


def first_update():
    """w_1 of the thread's run: one step of gradient descent from w_0 = -23.1."""
    return neuron.descend(W0, X, Y, eta=ETA, steps=1)[1]


def first_update_ascent():
    """w_0 + eta dC/dw: the step taken along the derivative instead of against it."""
    return W0 + ETA * neuron.grad(W0, X, Y)


def first_update_halved_cost():
    """The step with the derivative of (w x - y)^2 / 2, half of the chapter's."""
    return W0 - ETA * neuron.grad(W0, X, Y) / 2


def first_update_output_factor():
    """The step with the output a^1 = w x in place of the input x as the factor da^1/dw."""
    a1 = neuron.output(W0, X)
    return W0 - ETA * neuron.grad(W0, X, Y) / X * a1


def divergence_eta():
    """1 / x^2 for x = 2: above it, descent on (w x - y)^2 diverges."""
    return neuron.learning_rate_thresholds(X_SMALL)[1]


def oscillation_eta():
    """1 / (2 x^2) for x = 2: above it, the iterates overshoot and oscillate."""
    return neuron.learning_rate_thresholds(X_SMALL)[0]


def divergence_eta_halved_cost():
    """2 / x^2 for x = 2: the divergence threshold of the halved cost (w x - y)^2 / 2."""
    return 2 * neuron.learning_rate_thresholds(X_SMALL)[1]
