"""Figures of the chapter `app_performance` (drawing code only; the math lives in the package)."""
