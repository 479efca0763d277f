"""Figures of the chapter `jacobian` (drawing code only; the math lives in the package)."""
