"""Slider grids: the values a parameter of ``explore`` can take, and their readouts.

A parameter is a range ``(min, max, step)`` or ``(min, max, step, default)``
(the default defaults to the middle of the grid) or a list of choices
``[v0, v1, ...]`` (default: the first). The live sliders and the static
player move over exactly the same grid, so every value a reader can reach
live has a frame in the book's HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Param:
    """One slider: its name, label, grid of values, and the index of the default."""

    name: str
    label: str
    values: list
    default: int
    numeric: bool
    decimals: int = 0
    is_range: bool = False

    def format(self, value) -> str:
        """The slider's readout for ``value``."""
        if self.numeric:
            return f"{value:.{self.decimals}f}"
        return str(value)

    def index(self, value) -> int:
        """Index of ``value`` on the grid; raises ``ValueError`` if it is off the grid."""
        if self.numeric:
            try:
                x = float(value)
            except (TypeError, ValueError):
                x = float("nan")
            grid = np.asarray(self.values, dtype=float)
            k = int(np.argmin(np.abs(grid - x))) if np.isfinite(x) else 0
            spacing = float(np.min(np.abs(np.diff(grid)))) if len(grid) > 1 else 1.0
            if np.isfinite(x) and abs(grid[k] - x) <= 1e-6 * spacing + 1e-12 * abs(x):
                return k
        else:
            for k, v in enumerate(self.values):
                if v == value:
                    return k
        if self.is_range:
            step = self.values[1] - self.values[0] if len(self.values) > 1 else 1.0
            raise ValueError(
                f"{self.name}={value!r} is not on the slider's grid "
                f"({self.values[0]} to {self.values[-1]} in steps of {step:g})"
            )
        raise ValueError(f"{self.name}={value!r} is not one of {self.values}")


def _decimals(x: float) -> int:
    """Number of decimals needed to write ``x`` exactly (up to 6)."""
    for d in range(7):
        if abs(round(x, d) - x) < 1e-12:
            return d
    return 6


def make_param(name: str, spec, label: str | None = None) -> Param:
    """Build a ``Param`` from a range tuple ``(min, max, step[, default])`` or a list of choices."""
    label = label or name
    if isinstance(spec, list):
        if len(spec) == 0:
            raise ValueError(f"parameter {name!r}: the list of choices is empty")
        numeric = all(isinstance(v, (int, float, np.integer, np.floating))
                      and not isinstance(v, bool) for v in spec)
        decimals = max(_decimals(float(v)) for v in spec) if numeric else 0
        return Param(name, label, list(spec), 0, numeric, decimals)
    if not isinstance(spec, tuple) or len(spec) not in (3, 4):
        raise TypeError(
            f"parameter {name!r} must be a range (min, max, step), (min, max, step, default) "
            f"or a list of choices; got {spec!r}"
        )
    lo, hi, step = (float(v) for v in spec[:3])
    if not (np.isfinite([lo, hi, step]).all() and step > 0 and hi > lo):
        raise ValueError(f"parameter {name!r}: need min < max and step > 0; got {spec!r}")
    n = (hi - lo) / step
    if abs(n - round(n)) > 1e-6:
        raise ValueError(
            f"parameter {name!r}: (max - min) / step = {n:.6g} must be a whole number, "
            "so that the grid ends at max"
        )
    decimals = max(_decimals(lo), _decimals(step))
    values = [round(lo + k * step, decimals + 2) for k in range(int(round(n)) + 1)]
    param = Param(name, label, values, len(values) // 2, True, decimals, is_range=True)
    if len(spec) == 4:
        param.default = param.index(spec[3])
    return param
