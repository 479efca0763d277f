"""Live redraw latency of every ``explore`` figure in the book.

Appendix "Performance", section "Live figures". Each chapter listed in
``_toc.yml`` is executed in a fresh Jupyter kernel (nbclient, working
directory ``chapters/``, as the book's build runs it); then, in that same
kernel, the live widget of every explorer in ``backprop.explorer.REGISTRY``
is built and each slider is moved through several values of its grid. The
slider's observer runs synchronously, so the time of ``slider.value = v``
is the whole path a reader waits for: the chapter's ``update``, the
figure's redraw and the PNG sent to the ``Image`` widget. A second pass
splits it into ``update`` (the chapter's code) and the render (``png``).
Live renders reuse a stored background (``explorer._blit``), so the first
round of moves, reported on its own, includes the backgrounds that later
rounds reuse.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

#: Runs in the chapter's kernel after its cells; prints one JSON line.
PROBE = r'''
import json as _json, statistics as _st, time as _time
from backprop import explorer as _w

def _picks(values, count):
    if len(values) <= count:
        return list(values)
    step = (len(values) - 1) / (count - 1)
    return [values[round(i * step)] for i in range(count)]

_report = []
for _k, _ex in enumerate(_w.REGISTRY):
    _ex.widget
    _total, _first, _update, _render = [], [], [], []
    for _round in range(ROUNDS):
        for _p in _ex.params:
            _slider = _ex.sliders[_p.name]
            _start = _slider.value
            for _v in _picks(_p.values, VALUES):
                if _v == _ex.values[_p.name]:
                    continue
                _t0 = _time.perf_counter()
                _slider.value = _v
                _total.append(_time.perf_counter() - _t0)
                if _round == 0:
                    _first.append(_total[-1])
            _slider.value = _start
    for _p in _ex.params:                 # the same moves, split into update and render
        _start = _ex.values[_p.name]
        for _v in _picks(_p.values, VALUES):
            _t0 = _time.perf_counter()
            _ex.set(**{_p.name: _v})
            _t1 = _time.perf_counter()
            _ex.png()
            _t2 = _time.perf_counter()
            _update.append(_t1 - _t0)
            _render.append(_t2 - _t1)
        _ex.set(**{_p.name: _start})
    _w_px, _h_px = (_ex.fig.get_size_inches() * _ex.dpi).round().astype(int).tolist()
    _report.append({
        "index": _k, "title": _ex.title, "params": [_p.name for _p in _ex.params],
        "grid": [len(_p.values) for _p in _ex.params], "pixels": [_w_px, _h_px],
        "moves": len(_total), "median_ms": 1e3 * _st.median(_total),
        "max_ms": 1e3 * max(_total), "first_round_median_ms": 1e3 * _st.median(_first),
        "update_median_ms": 1e3 * _st.median(_update),
        "render_median_ms": 1e3 * _st.median(_render),
    })
print("BENCH-REDRAW:" + _json.dumps(_report))
'''


def toc_notebooks(root) -> list:
    """The notebooks of ``_toc.yml``, in reading order, as paths relative to ``root``."""
    import yaml

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    files += [c["file"] for c in toc.get("chapters", [])]
    return [f if f.endswith(".ipynb") else f + ".ipynb" for f in files]


def measure_notebook(path, rounds=2, values=6, timeout=600):
    """Execute one notebook in a kernel, then time every slider of every explorer in it."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    result = {"notebook": path.name}
    saved = os.environ.pop("BACKPROP_STATIC_HTML", None)   # live kernel: no static frames
    try:
        with client.setup_kernel():
            start = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            result["execution_s"] = time.perf_counter() - start
            probe = nbformat.v4.new_code_cell(
                PROBE.replace("ROUNDS", str(int(rounds))).replace("VALUES", str(int(values))))
            nb.cells.append(probe)
            client.execute_cell(probe, len(nb.cells) - 1)
    except Exception as exc:  # a chapter that fails is reported, not fatal to the benchmark
        result["error"] = f"{type(exc).__name__}: {str(exc)[-500:]}"
        return result
    finally:
        if saved is not None:
            os.environ["BACKPROP_STATIC_HTML"] = saved
    lines = [line for out in probe.outputs if out.output_type == "stream"
             for line in out.text.splitlines() if line.startswith("BENCH-REDRAW:")]
    result["explorers"] = json.loads(lines[-1][len("BENCH-REDRAW:"):]) if lines else []
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
