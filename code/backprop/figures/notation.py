"""Figures of the chapter `notation` (drawing code only; the math lives in the package)."""
