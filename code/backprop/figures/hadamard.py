"""Figures of the chapter `hadamard` (drawing code only; the math lives in the package)."""
