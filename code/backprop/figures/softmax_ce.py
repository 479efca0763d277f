"""Figures of the chapter `softmax_ce` (drawing code only; the math lives in the package)."""
