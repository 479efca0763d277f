"""Live redraw latency of every ``explore`` figure in the book.

Appendix "Performance", section "Live figures". The ``explore(figures.M.F,
**literals)`` calls of each chapter listed in ``_toc.yml`` are read and made
again in this process (``tools.replay``, maintainer tooling of the repository, no kernel); then the
live widget of every explorer is built and each slider is moved through
several values of its grid. The slider's observer runs synchronously, so the
time of ``slider.value = v`` is the whole path a reader waits for: the
figure's ``update``, the redraw and the PNG sent to the ``Image`` widget. A
second pass splits it into ``update`` and the render (``png``). Live renders
reuse a stored background (``explorer.render._blit``), so the first round of
moves, reported on its own, includes the backgrounds that later rounds reuse.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from .report import target

#: The budget of the book for the median live redraw of every explorer (milliseconds).
TARGET_MS = 50.0


def _picks(values, count):
    """``count`` values spread over ``values``, both ends included."""
    if len(values) <= count:
        return list(values)
    step = (len(values) - 1) / (count - 1)
    return [values[round(i * step)] for i in range(count)]


def measure_explorer(ex, rounds=2, values=6) -> dict:
    """Time the slider moves of one explorer: live (through the widget), then update and render apart."""
    _ = ex.widget                                # builds the live view
    total, first, update, render = [], [], [], []
    for round_ in range(rounds):
        for p in ex.params:
            slider, start = ex.sliders[p.name], ex.sliders[p.name].value
            for v in _picks(p.values, values):
                if v == ex.values[p.name]:
                    continue
                t0 = time.perf_counter()
                slider.value = v
                total.append(time.perf_counter() - t0)
                if round_ == 0:
                    first.append(total[-1])
            slider.value = start
    for p in ex.params:                          # the same moves, split into update and render
        start = ex.values[p.name]
        for v in _picks(p.values, values):
            t0 = time.perf_counter()
            ex.set(**{p.name: v})
            t1 = time.perf_counter()
            ex.png()
            update.append(t1 - t0)
            render.append(time.perf_counter() - t1)
        ex.set(**{p.name: start})
    w_px, h_px = (ex.fig.get_size_inches() * ex.dpi).round().astype(int).tolist()
    return {
        "title": ex.title, "params": [p.name for p in ex.params],
        "grid": [len(p.values) for p in ex.params], "pixels": [w_px, h_px],
        "moves": len(total), "median_ms": 1e3 * statistics.median(total),
        "max_ms": 1e3 * max(total), "first_round_median_ms": 1e3 * statistics.median(first),
        "update_median_ms": 1e3 * statistics.median(update),
        "render_median_ms": 1e3 * statistics.median(render),
    }

def toc_notebooks(root) -> list:
    """The notebooks of the book at ``root``, in reading order, as paths relative to ``root``.

    The pages are ``tools.book``'s, the one reading of ``_toc.yml``: like the chapters this
    section replays, that package is the repository's, not the installed ``backprop``'s, so
    the benchmark runs from the repository's root (``make bench``).
    """
    try:
        from tools.book import toc_pages
    except ModuleNotFoundError as exc:
        raise RuntimeError("the redraw benchmark reads the book's pages with tools.book: "
                           "run it from the repository's root (make bench)") from exc
    return [f"{doc}.ipynb" for doc, _ in toc_pages(Path(root))]


def measure_notebook(path, rounds=2, values=6, resolve=None):
    """Make the explorers of one notebook again, in-process, and time every slider of each.

    ``resolve(call)`` gives the figure function of a call (default: ``replay.figure_function``).
    """
    from tools import replay  # the repository's, like tools.book above

    path = Path(path)
    result = {"notebook": path.name}
    try:
        made = replay.replay(path, resolve=resolve or replay.figure_function)
        result["explorers"] = [dict(index=k, figure=f"{call.module}.{call.name}",
                                    **measure_explorer(ex, rounds=rounds, values=values))
                               for k, (call, ex) in enumerate(made)]
    except Exception as exc:  # a chapter that fails is reported, not fatal to the benchmark
        result["error"] = f"{type(exc).__name__}: {str(exc)[-500:]}"
    return result


def run_redraw(root, notebooks=None, rounds=2, values=6, progress=print):
    """Section 5: redraw latency of every explorer of every notebook (default: all of ``_toc.yml``)."""
    root = Path(root)
    notebooks = notebooks or toc_notebooks(root)
    results = []
    for k, rel in enumerate(notebooks, start=1):
        progress(f"live redraw: {rel} ({k}/{len(notebooks)})")
        results.append(measure_notebook(root / rel, rounds=rounds, values=values))
    latencies = [e["median_ms"] for r in results for e in r.get("explorers", [])]
    return {"notebooks": results, "rounds": rounds, "values_per_slider": values,
            "explorers": len(latencies),
            "worst_median_ms": max(latencies) if latencies else None}


def measure(opts):
    """The section for ``python -m backprop.bench``: every chapter (the notation chapter when quick)."""
    if opts.root is None:
        return {"error": "the book's folder (with _toc.yml) was not found; pass --root"}
    return run_redraw(opts.root, notebooks=["chapters/notation.ipynb"] if opts.quick else None,
                      rounds=1 if opts.quick else 2, values=3 if opts.quick else 6,
                      progress=opts.progress)


def targets(data):
    return [target("live redraw median (ms)", TARGET_MS, ex["median_ms"], ex["median_ms"] <= TARGET_MS,
                   f"{nb['notebook']} #{ex['index']}")
            for nb in data.get("notebooks", []) for ex in nb.get("explorers", [])]


def summary(data):
    lines = ["Live redraw (median ms per slider move: total = update + render)"]
    for nb in data.get("notebooks", []):
        if "error" in nb:
            lines.append(f"  {nb['notebook']}: ERROR {nb['error'][:200]}")
        for ex in nb.get("explorers", []):
            lines.append(f"  {nb['notebook']} #{ex['index']} {ex['title'] or ''}: "
                         f"{ex['median_ms']:.1f} ms ({ex['update_median_ms']:.1f} + "
                         f"{ex['render_median_ms']:.1f})")
    return lines
