"""Figures of the chapter `app_derivations` (drawing code only; the math lives in the package)."""
