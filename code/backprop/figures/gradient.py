"""Figures of the chapter `gradient` (drawing code only; the math lives in the package)."""
