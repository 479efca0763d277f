"""Figures of the chapter `differentials` (drawing code only; the math lives in the package)."""
