"""Numeric answer keys of the self-check questions, one module per chapter.

A numeric question of ``quizzes/NAME.json`` names its key, and every value it
expects a reader might give by mistake, as functions of the module
``backprop.practice.keys.NAME``: each takes no argument and computes its
value with the package, so that no answer key is typed.
"""

from . import (
    differentials,
    gradient,
    gradient_cost,
    hadamard,
    jacobian,
    minibatch,
    notation,
    one_neuron,
    relu,
    reverse_mode,
    second_order,
    softmax_ce,
    two_layer,
    vjp_jvp,
)

#: Chapter name (as in ``quizzes/NAME.json``) -> its module of keys.
BY_CHAPTER = {module.__name__.rsplit(".", 1)[1]: module for module in (
    differentials, gradient, gradient_cost, hadamard, jacobian, minibatch, notation, one_neuron,
    relu, reverse_mode, second_order, softmax_ce, two_layer, vjp_jvp)}
