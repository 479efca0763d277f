"""The performance report: ``make bench``, i.e. ``python -m backprop.bench``.

Runs the benchmark suite of ``backprop.benchmarks``, prints its progress
and a readable summary, and writes a machine-readable JSON report (by
default the package's ``results/bench_results.json``, which the appendix
"Performance" plots). Every comparison is measured side by side in one
process with ``timing.compare`` (a warm-up, interleaved repetitions in a
shuffled order, medians), and the machine's description (CPU, cores, BLAS,
library versions, thread counts, load average, date) is stored with the
results.

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
from pathlib import Path

SECTIONS = ("step", "flops", "threeways", "scaling", "profile", "redraw", "build")
RESULTS_FILE = ("results", "bench_results.json")
SCHEMA = 1

#: The performance budgets of the book, checked by ``evaluate_targets``.
TARGETS = {
    "fast_to_torch_ratio": 0.7,       # fast NumPy step time / PyTorch step time, every case
    "never_slower_than_torch": 1.0,   # ... and never above 1 (at least match PyTorch)
    "fraction_of_matmul_rate": 0.85,  # large step's FLOP rate / bare matmul rate
    "redraw_ms": 50.0,                # median live redraw, every explorer
    "clean_build_s": 120.0,           # strict clean build of the whole book
    "notebook_s": 20.0,               # execution of any one notebook during the build
    "page_bytes": 3_000_000,          # any built HTML page
}


def default_out() -> Path:
    """The package's results file (``code/backprop/results/bench_results.json`` in a clone)."""
    return Path(__file__).resolve().parent.joinpath(*RESULTS_FILE)


def load_results() -> dict:
    """The committed report, read as package data (works from a clone and from an installed wheel)."""
    from importlib import resources

    return json.loads(resources.files("backprop").joinpath(*RESULTS_FILE).read_text())


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


class Progress:
    """Prints ``[  12.3 s] message`` lines to stderr (the JSON report goes to a file)."""

    def __init__(self, stream=None):
        self.start = time.perf_counter()
        self.stream = stream or sys.stderr

    def __call__(self, message):
        print(f"[{time.perf_counter() - self.start:7.1f} s] {message}", file=self.stream, flush=True)


def run_section(name, args, root, progress):
    """Run one section with the sizes of the normal or the quick mode. Returns its data."""
    from .benchmarks import step

    quick = args.quick
    repeats = 3 if quick else args.repeats
    min_time = 0.002 if quick else 0.05
    if name == "step":
        cases = step.QUICK_CASES if quick else step.CASES
        return step.run_step(cases=cases, threads=args.threads, repeats=repeats, min_time=min_time,
                             progress=progress)
    if name == "flops":
        sizes, m = ((24, 16, 4), 16) if quick else ((784, 1024, 10), 512)
        return step.run_flops(sizes=sizes, m=m, threads=args.threads, repeats=repeats,
                              min_time=min_time, progress=progress)
    if name == "threeways":
        from .benchmarks import threeways

        sizes, m = ((6, 5, 3), 4) if quick else ((64, 32, 10), 64)
        return threeways.run_threeways(sizes=sizes, m=m, repeats=repeats, progress=progress)
    if name == "scaling":
        from .benchmarks import scaling
        from .benchmarks.step import limit_threads

        sizes = scaling.QUICK_SIZES if quick else scaling.SIZES
        with limit_threads(1):
            data = scaling.run_scaling(sizes=sizes, repeats=repeats, progress=progress)
        data["threads"] = 1
        return data
    if name == "profile":
        from .benchmarks import profiling

        if quick:
            return profiling.run_profile(sizes=(64, 32, 10), m=64, steps=300, progress=progress)
        return profiling.run_profile(progress=progress)
    if name == "redraw":
        from .benchmarks import redraw

        if root is None:
            return {"error": "the book's folder (with _toc.yml) was not found; pass --root"}
        notebooks = ["chapters/notation.ipynb"] if quick else None
        return redraw.run_redraw(root, notebooks=notebooks, rounds=1 if quick else 2,
                                 values=3 if quick else 6, progress=progress)
    if name == "build":
        from .benchmarks import build

        if root is None:
            return {"error": "the book's folder (with _toc.yml) was not found; pass --root"}
        return build.run_build(root, quick=quick, progress=progress)
    raise ValueError(f"unknown section {name!r}; expected one of {', '.join(SECTIONS)}")


def evaluate_targets(report) -> list:
    """Each budget with its measured value: ``[{"target", "limit", "measured", "met", "where"}]``."""
    sections = report.get("sections", {})
    out = []

    def add(target, limit, measured, met, where):
        out.append({"target": target, "limit": limit, "measured": measured, "met": bool(met),
                    "where": where})

    for row in sections.get("step", {}).get("rows", []):
        ratio = row.get("ratio_to_torch", {}).get("fast")
        if ratio is None:
            continue
        where = f"{'-'.join(map(str, row['sizes']))} m={row['m']} {row['dtype']} {row['threads']}T"
        add("fast step / PyTorch step", TARGETS["fast_to_torch_ratio"], ratio,
            ratio <= TARGETS["fast_to_torch_ratio"], where)
        add("fast step not slower than PyTorch", TARGETS["never_slower_than_torch"], ratio,
            ratio <= TARGETS["never_slower_than_torch"], where)
    for row in sections.get("flops", {}).get("rows", []):
        frac = row["fraction_of_matmul_rate"]["fast"]
        add("fast step FLOP rate / bare matmul rate", TARGETS["fraction_of_matmul_rate"], frac,
            frac >= TARGETS["fraction_of_matmul_rate"], f"{row['dtype']} {row['threads']}T")
    for nb in sections.get("redraw", {}).get("notebooks", []):
        for ex in nb.get("explorers", []):
            add("live redraw median (ms)", TARGETS["redraw_ms"], ex["median_ms"],
                ex["median_ms"] <= TARGETS["redraw_ms"], f"{nb['notebook']} #{ex['index']}")
    build = sections.get("build", {})
    if "clean" in build:
        add("clean strict build (s)", TARGETS["clean_build_s"], build["clean"]["seconds"],
            build["clean"]["seconds"] <= TARGETS["clean_build_s"] and build["clean"]["returncode"] == 0,
            "jupyter-book build --all -W -n --keep-going")
    times = build.get("clean", {}).get("notebook_s") or build.get("notebook_s", {})
    for name, seconds in times.items():
        add("notebook execution (s)", TARGETS["notebook_s"], seconds,
            seconds <= TARGETS["notebook_s"], name)
    for page, size in build.get("page_bytes", {}).items():
        if size > TARGETS["page_bytes"] / 3:      # list only the pages that come near the budget
            add("page size (bytes)", TARGETS["page_bytes"], size, size <= TARGETS["page_bytes"], page)
    if build.get("page_bytes"):
        page, size = max(build["page_bytes"].items(), key=lambda kv: kv[1])
        add("largest page (bytes)", TARGETS["page_bytes"], size, size <= TARGETS["page_bytes"], page)
    return out


def summary(report) -> str:
    """The report as readable text."""
    s = report.get("sections", {})
    m = report.get("machine", {})
    lines = [f"Machine: {m.get('cpu')}, {m.get('cores')} cores, BLAS {m.get('blas', {}).get('name')} "
             f"{m.get('blas', {}).get('version')}, numpy {m.get('versions', {}).get('numpy')}, "
             f"torch {m.get('versions', {}).get('torch')}; {m.get('date')}"]
    if "step" in s:
        lines += ["", "Training step (median ms; ratio to PyTorch)",
                  f"  {'case':<34}{'thr':>4}{'readable':>11}{'fast':>10}{'torch':>10}"
                  f"{'read/t':>8}{'fast/t':>8}"]
        for r in s["step"]["rows"]:
            t, q = r["median_s"], r.get("ratio_to_torch", {})
            case = f"{'-'.join(map(str, r['sizes']))}, m={r['m']}, {r['dtype']}"
            lines.append(f"  {case:<34}{r['threads']:>4}{1e3 * t['readable']:>11.3f}"
                         f"{1e3 * t['fast']:>10.3f}{1e3 * t.get('torch', float('nan')):>10.3f}"
                         f"{q.get('readable', float('nan')):>8.2f}{q.get('fast', float('nan')):>8.2f}")
    if "flops" in s:
        lines += ["", "FLOP rate of the step against bare matrix products (GFLOP/s)"]
        for r in s["flops"]["rows"]:
            g, f = r["gflops"], r["fraction_of_matmul_rate"]
            extra = (f", torch step {g['torch']:.1f} vs torch.mm {g['torch_matmuls']:.1f}"
                     if "torch" in g else "")
            lines.append(f"  {r['dtype']} {r['threads']}T: fast {g['fast']:.1f}, readable "
                         f"{g['readable']:.1f}, np.matmul {g['numpy_matmuls']:.1f} -> fast at "
                         f"{100 * f['fast']:.0f}% of the matmul rate{extra}")
    if "threeways" in s:
        t = s["threeways"]
        lines += ["", f"One gradient three ways ({'-'.join(map(str, t['sizes']))}, m={t['m']}): "
                  "median ms (speedup over the loops)"]
        for k, v in t["median_s"].items():
            lines.append(f"  {k:<22}{1e3 * v:>12.3f}{t['speedup_vs_loops'][k]:>10.0f}x")
    if "scaling" in s:
        sc = s["scaling"]
        lines += ["", f"VJP chain vs Jacobian chain (K={sc['K']}), slopes on N={sc['fitted_on']}: "
                  + ", ".join(f"{k} {v:.2f}" for k, v in sc["slopes"].items())]
        for r in sc["rows"]:
            lines.append(f"  N={r['N']:>5}: vjp {1e3 * r['median_s']['vjp']:9.3f} ms, "
                         f"jacobian {1e3 * r['median_s']['jacobian']:10.3f} ms")
    if "profile" in s:
        p = s["profile"]
        lines += ["", f"Where the time goes ({'-'.join(map(str, p['sizes']))}, m={p['m']}, {p['dtype']})"]
        for which in ("readable", "fast"):
            d = p.get(which, {})
            if "error" in d:
                lines.append(f"  {which}: {d['error']}")
            else:
                lines.append(f"  {which}: " + ", ".join(f"{k} {100 * v:.0f}%"
                                                        for k, v in d.get("fractions", {}).items()))
    if "redraw" in s:
        lines += ["", "Live redraw (median ms per slider move: total = update + render)"]
        for nb in s["redraw"].get("notebooks", []):
            if "error" in nb:
                lines.append(f"  {nb['notebook']}: ERROR {nb['error'][:200]}")
            for ex in nb.get("explorers", []):
                lines.append(f"  {nb['notebook']} #{ex['index']} {ex['title'] or ''}: "
                             f"{ex['median_ms']:.1f} ms ({ex['update_median_ms']:.1f} + "
                             f"{ex['render_median_ms']:.1f})")
    if "build" in s:
        b = s["build"]
        lines += [""]
        if "clean" in b:
            lines.append(f"Build: clean {b['clean']['seconds']:.1f} s (exit {b['clean']['returncode']}, "
                         f"{b['clean']['warnings']} warnings), rebuild {b['rebuild']['seconds']:.1f} s")
        times = b.get("clean", {}).get("notebook_s") or b.get("notebook_s", {})
        if times:
            lines.append("  notebooks (s): " + ", ".join(f"{k} {v:.1f}" for k, v in
                                                        sorted(times.items(), key=lambda kv: -kv[1])))
        if b.get("page_bytes"):
            page, size = max(b["page_bytes"].items(), key=lambda kv: kv[1])
            lines.append(f"  largest page: {page} {size / 1e6:.2f} MB of {len(b['page_bytes'])} pages")
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
    from .benchmarks import machine

    args = parse_args(argv)
    out = args.out or default_out()
    root = find_root(args.root) if args.root else find_root()
    progress = Progress()
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
        progress(f"section {k}/{len(args.only)}: {name}")
        start = time.perf_counter()
        data = run_section(name, args, root, progress)
        data["measured"] = {"date": machine.now(), "seconds": time.perf_counter() - start,
                            "load_average_after": machine.load_average(), "quick": args.quick}
        report["sections"][name] = data
    report["targets"] = evaluate_targets(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, sort_keys=False) + "\n")
    print(summary(report))
    print(f"\nwrote {out}")
    return report


if __name__ == "__main__":
    main()
