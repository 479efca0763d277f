"""The performance report: ``make bench``, i.e. ``python -m backprop.bench``.

The runner lives in ``backprop.benchmarks.runner`` and each section of the
report in its own module of ``backprop.benchmarks`` (measurement, summary
and budgets together). This module is the command, and gives the appendix
"Performance" the committed results: ``bench.load_results()``.
"""

from .benchmarks.report import load_results
from .benchmarks.runner import SCHEMA, evaluate_targets, find_root, main, parse_args, summary

__all__ = ["SCHEMA", "evaluate_targets", "find_root", "load_results", "main", "parse_args", "summary"]

if __name__ == "__main__":
    main()
