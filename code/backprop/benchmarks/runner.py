"""The runner of the performance report: ``make bench``, i.e. ``python -m backprop.bench``.

Runs the sections of ``backprop.benchmarks``, prints their progress and a
readable summary, and writes a machine-readable JSON report (by default the
package's ``results/bench_results.json``, which the appendix "Performance"
plots). Each section is one module that keeps together its measurement,
its summary and its budgets::

    measure(opts) -> dict         the section's data, plain JSON
    summary(data) -> list of str  its lines of the readable report
    targets(data) -> list         its budgets, each made by ``target``

Every comparison is measured side by side in one process with
``timing.compare`` (a warm-up, interleaved repetitions in a shuffled order,
medians), and the machine's description (CPU, cores, BLAS, library
versions, thread counts, load average, date) is stored with the results.

Usage::

    python -m backprop.bench                        # everything (about 10 minutes)
    python -m backprop.bench --only step,flops      # a subset; merged into the existing report
    python -m backprop.bench --quick --out /tmp/r.json   # tiny sizes, seconds (used by the tests)
    python -m backprop.bench --threads 1,2          # thread counts for the step benchmarks

Sections: ``step`` (NumPy against PyTorch), ``flops`` (distance from the
bare matrix-product rate), ``threeways`` (loops, per-example, batched),
``scaling`` (VJP against a materialized Jacobian), ``redraw`` (live widget
latency, every chapter), ``build`` (the strict book build and page sizes),
``profile`` (where a step's time goes, sampled by py-spy).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import build, flops, profiling, redraw, scaling, step, threeways
from .report import RESULTS_FILE

#: Section name -> module of ``backprop.benchmarks``, in the order they run.
SECTIONS = {"step": step, "flops": flops, "threeways": threeways, "scaling": scaling,
            "profile": profiling, "redraw": redraw, "build": build}
SCHEMA = 1


def section(name):
    """The module of section ``name``."""
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r}; expected one of {', '.join(SECTIONS)}")
    return SECTIONS[name]


@dataclass
class Options:
    """What every section's ``measure`` receives."""

    quick: bool                 # tiny sizes and few repetitions (the tests)
    repeats: int                # interleaved repetitions of each comparison
    min_time: float             # seconds per timing, at least (sets calls per timing)
    threads: list               # thread counts for the step benchmarks
    root: Path | None           # the book's folder, or None if not found
    progress: object = print    # called with one message per stage


class Log:
    """Prints ``[  12.3 s] message`` lines to stderr (the JSON report goes to a file)."""

    def __init__(self, stream=None):
        self.start = time.perf_counter()
        self.stream = stream or sys.stderr

    def __call__(self, message):
        print(f"[{time.perf_counter() - self.start:7.1f} s] {message}", file=self.stream, flush=True)


def default_out() -> Path:
    """The package's results file (``code/backprop/results/bench_results.json`` in a clone)."""
    return Path(__file__).resolve().parent.parent.joinpath(*RESULTS_FILE)


def find_root(start=None):
    """The book's folder: the nearest parent of ``start`` with a ``_toc.yml``.

    By default, looks above the working directory, then above the package.
    """
    candidates = [Path(start)] if start else [Path.cwd(), Path(__file__).resolve().parent]
    for base in candidates:
        for folder in (base, *base.resolve().parents):
            if (folder / "_toc.yml").exists():
                return folder
    return None


def evaluate_targets(report) -> list:
    """Each budget with its measured value: ``[{"target", "limit", "measured", "met", "where"}]``."""
    return [t for name, data in report.get("sections", {}).items() if name in SECTIONS
            for t in section(name).targets(data)]


def summary(report) -> str:
    """The report as readable text."""
    m = report.get("machine", {})
    lines = [f"Machine: {m.get('cpu')}, {m.get('cores')} cores, BLAS {m.get('blas', {}).get('name')} "
             f"{m.get('blas', {}).get('version')}, numpy {m.get('versions', {}).get('numpy')}, "
             f"torch {m.get('versions', {}).get('torch')}; {m.get('date')}"]
    for name in SECTIONS:
        data = report.get("sections", {}).get(name)
        if data is not None:
            lines += ["", *section(name).summary(data)]
    targets = report.get("targets", [])
    if targets:
        missed = [t for t in targets if not t["met"]]
        lines += ["", f"Targets: {len(targets) - len(missed)} of {len(targets)} met"]
        for t in missed:
            lines.append(f"  MISSED {t['target']} [{t['where']}]: {t['measured']:.4g} "
                         f"(limit {t['limit']:.4g})")
    return "\n".join(lines)


def _threads(text):
    counts = sorted({int(x) for x in text.split(",") if x.strip()})
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"thread counts must be positive integers; got {text!r}")
    return counts


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m backprop.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections (default: all): {','.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few repetitions (tests)")
    parser.add_argument("--out", type=Path, default=None, help="JSON report path (default: the package's)")
    parser.add_argument("--threads", type=_threads, default=sorted({1, os.cpu_count() or 1}),
                        help="thread counts for the step benchmarks, e.g. 1,2 (default: 1 and all cores)")
    parser.add_argument("--repeats", type=int, default=21, help="interleaved repetitions (default 21)")
    parser.add_argument("--root", type=Path, default=None, help="the book's folder (default: found)")
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in args.only if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; expected some of {', '.join(SECTIONS)}")
    return args


def main(argv=None) -> dict:
    from . import machine

    args = parse_args(argv)
    out = args.out or default_out()
    opts = Options(quick=args.quick, repeats=3 if args.quick else args.repeats,
                   min_time=0.002 if args.quick else 0.05, threads=args.threads,
                   root=find_root(args.root) if args.root else find_root(), progress=Log())
    report = {"schema": SCHEMA, "sections": {}}
    if out.exists() and set(args.only) != set(SECTIONS):
        try:                                      # a subset updates the existing report
            report = json.loads(out.read_text())
        except json.JSONDecodeError:
            pass
    report.setdefault("sections", {})
    report["machine"] = machine.describe(threads=args.threads)
    report["quick"] = args.quick
    for k, name in enumerate(args.only, start=1):
        opts.progress(f"section {k}/{len(args.only)}: {name}")
        start = time.perf_counter()
        data = section(name).measure(opts)
        data["measured"] = {"date": machine.now(), "seconds": time.perf_counter() - start,
                            "load_average_after": machine.load_average(), "quick": args.quick}
        report["sections"][name] = data
    report["targets"] = evaluate_targets(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, sort_keys=False) + "\n")
    print(summary(report))
    print(f"\nwrote {out}")
    return report
