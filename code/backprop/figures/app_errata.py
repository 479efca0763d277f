"""Figures of the chapter `app_errata` (drawing code only; the math lives in the package)."""
