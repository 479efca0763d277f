"""Numeric keys of the notation chapter's self-checks (``quizzes/notation.json``)."""

from ... import network

SIZES = [3, 4, 2]   # the chapter's network: n_0 = 3, n_1 = 4, n_2 = 2


def parameter_count():
    """Entries of W^1, b^1, W^2, b^2 of ``network.init_params([3, 4, 2])``: 26."""
    return sum(W.size + b.size for W, b in network.init_params(SIZES))


def weight_count():
    """Entries of the weights alone, the biases forgotten: 20."""
    return sum(W.size for W, _ in network.init_params(SIZES))


def bias_per_input_count():
    """The count with one bias per input of a layer, (n_{l-1}, 1), instead of per neuron: 27."""
    return sum(W.size + W.shape[1] for W, _ in network.init_params(SIZES))
