"""Figures of the chapter `minibatch` (drawing code only; the math lives in the package)."""
