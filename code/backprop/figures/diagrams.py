"""Figures of the chapter `diagrams` (drawing code only; the math lives in the package)."""
