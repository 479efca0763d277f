"""The book's figures: one module per chapter, each drawing function named for what it shows.

A chapter calls a figure in a line or two, ``explore(figures.gradient.bowl_descent, ...)``
for an interactive figure or ``figures.CHAPTER.NAME(ax, ...)`` for a static one; the
drawing code lives here, where it is linted and unit-tested without a notebook kernel.
``style`` holds the book's look and the helpers that keep live redraws fast.
"""

from . import style

__all__ = ["style"]
