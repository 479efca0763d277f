"""Figures of the chapter `two_layer` (drawing code only; the math lives in the package)."""
