"""Figures of the chapter `reverse_mode` (drawing code only; the math lives in the package)."""
