"""Figures of the chapter `vjp_jvp` (drawing code only; the math lives in the package)."""
