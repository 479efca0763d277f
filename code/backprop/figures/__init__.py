"""The book's figures: one module per chapter, each drawing function named for what it shows.

A chapter split into pages (the ``sections:`` of ``_toc.yml``, as the errata appendix is)
keeps one module: ``app_errata`` draws for ``app_errata`` and its pages ``app_errata_*``.

A chapter calls a figure in a line or two: ``explore(figures.gradient.bowl_descent, ...)``
for an interactive figure, or ``figures.CHAPTER.NAME(...)`` for a static one. The drawing
code lives here, where it is linted and unit-tested without a notebook kernel.

An interactive figure is ``NAME(fig, **slider_values) -> update``: it draws once and
returns ``update(**slider_values)``, which changes the artists in place. It takes no other
arguments; the data it needs it computes with the package's seeded functions, so that a
chapter's call has literal arguments only and tests can replay it without a kernel.

``style`` holds the book's look and the helpers that keep live redraws fast; ``diagrams``
draws networks and computational graphs; ``registry`` lists, once, the figures each page of
the book draws (the tests iterate it).
"""

from . import (
    app_derivations,
    app_errata,
    app_performance,
    diagrams,
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
    style,
    two_layer,
    vjp_jvp,
)
from .show import number, show

__all__ = [
    "app_derivations", "app_errata", "app_performance", "diagrams", "differentials", "gradient",
    "gradient_cost", "hadamard", "jacobian", "minibatch", "notation", "number", "one_neuron",
    "relu", "reverse_mode", "second_order", "show", "softmax_ce", "style", "two_layer", "vjp_jvp",
]
