"""What the performance report's parts share: a budget with its measured value, and the
committed results.

A leaf module: the sections import it, the runner imports the sections, and the figures of
the appendix "Performance" read the committed results from here, so no import runs back up.
"""

from __future__ import annotations

import json

#: The committed report, package data: ``code/backprop/results/bench_results.json``.
RESULTS_FILE = ("results", "bench_results.json")


def target(name, limit, measured, met, where) -> dict:
    """One budget of the report with its measured value."""
    return {"target": name, "limit": limit, "measured": measured, "met": bool(met), "where": where}


def load_results() -> dict:
    """The committed report, read as package data (works from a clone and from an installed wheel)."""
    from importlib import resources

    return json.loads(resources.files("backprop").joinpath(*RESULTS_FILE).read_text())
