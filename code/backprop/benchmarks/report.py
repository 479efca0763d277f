"""What every section of the performance report shares: a budget with its measured value.

A leaf module: the sections import it, and the runner imports the sections, so no import
runs back up.
"""

from __future__ import annotations


def target(name, limit, measured, met, where) -> dict:
    """One budget of the report with its measured value."""
    return {"target": name, "limit": limit, "measured": measured, "met": bool(met), "where": where}
