"""The book's build: clean strict build time, rebuild time, each notebook's execution, page sizes.

Appendix "Performance", section "Building the book". The clean build is the
command ``make book`` runs, ``jupyter-book build . --all -W -n --keep-going``,
into a temporary folder (``--path-output``) so that the working tree's
``_build`` is left alone; the rebuild is the same command without
``--all``, right after, when nothing has changed. myst-nb logs how long
each notebook took to execute; those lines are parsed from the output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import target

_EXECUTED = re.compile(r"([^\s:]+\.ipynb): Executed notebook in ([0-9.]+) seconds")


def notebook_times(log_text: str) -> dict:
    """``{notebook name: seconds}`` from myst-nb's "Executed notebook in ... seconds" lines."""
    return {Path(name).name: float(sec) for name, sec in _EXECUTED.findall(log_text)}


def page_sizes(html_dir) -> dict:
    """``{page path relative to html_dir: bytes}`` for every ``.html`` file of a built site."""
    html_dir = Path(html_dir)
    return {str(p.relative_to(html_dir)): p.stat().st_size
            for p in sorted(html_dir.rglob("*.html"))}


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    return str(exe) if exe.exists() else (shutil.which("jupyter-book") or "jupyter-book")


def _build(root, out, clean):
    cmd = [_jupyter_book(), "build", str(root), "-W", "-n", "--keep-going", "--path-output", str(out)]
    if clean:
        cmd.insert(3, "--all")
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    return {"seconds": seconds, "returncode": proc.returncode,
            "warnings": sum("WARNING" in line for line in log.splitlines()),
            "notebook_s": notebook_times(log)}, log


def run_build(root, quick=False, progress=print):
    """Section 6. ``quick``: no build; read ``_build/build.log`` and ``_build/html`` of ``root``."""
    root = Path(root)
    if quick:
        progress("build: reading the last `make book` log and pages (quick mode)")
        log = root / "_build" / "build.log"
        html = root / "_build" / "html"
        return {"quick": True,
                "notebook_s": notebook_times(log.read_text()) if log.exists() else {},
                "page_bytes": page_sizes(html) if html.exists() else {}}
    tmp = Path(tempfile.mkdtemp(prefix="backprop-bench-build-"))
    try:
        progress("build: clean strict build (minutes)")
        clean, log = _build(root, tmp, clean=True)
        progress("build: rebuild with nothing changed")
        rebuild, _ = _build(root, tmp, clean=False)
        pages = page_sizes(tmp / "_build" / "html")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"quick": False, "clean": clean, "rebuild": rebuild, "page_bytes": pages,
            "log_tail": log.splitlines()[-5:]}


#: Budgets: the strict clean build, any one notebook's execution in it, any built page.
TARGET_CLEAN_S = 120.0
TARGET_NOTEBOOK_S = 20.0
TARGET_PAGE_BYTES = 3_000_000


def measure(opts):
    """The section for ``python -m backprop.bench`` (quick: read the last build instead of building)."""
    if opts.root is None:
        return {"error": "the book's folder (with _toc.yml) was not found; pass --root"}
    return run_build(opts.root, quick=opts.quick, progress=opts.progress)


def targets(data):
    out = []
    if "clean" in data:
        clean = data["clean"]
        out.append(target("clean strict build (s)", TARGET_CLEAN_S, clean["seconds"],
                          clean["seconds"] <= TARGET_CLEAN_S and clean["returncode"] == 0,
                          "jupyter-book build --all -W -n --keep-going"))
    for name, seconds in (data.get("clean", {}).get("notebook_s") or data.get("notebook_s", {})).items():
        out.append(target("notebook execution (s)", TARGET_NOTEBOOK_S, seconds,
                          seconds <= TARGET_NOTEBOOK_S, name))
    pages = data.get("page_bytes", {})
    for page, size in pages.items():
        if size > TARGET_PAGE_BYTES / 3:            # list only the pages that come near the budget
            out.append(target("page size (bytes)", TARGET_PAGE_BYTES, size, size <= TARGET_PAGE_BYTES, page))
    if pages:
        page, size = max(pages.items(), key=lambda kv: kv[1])
        out.append(target("largest page (bytes)", TARGET_PAGE_BYTES, size, size <= TARGET_PAGE_BYTES, page))
    return out


def summary(data):
    lines = []
    if "clean" in data:
        lines.append(f"Build: clean {data['clean']['seconds']:.1f} s (exit {data['clean']['returncode']}, "
                     f"{data['clean']['warnings']} warnings), rebuild {data['rebuild']['seconds']:.1f} s")
    times = data.get("clean", {}).get("notebook_s") or data.get("notebook_s", {})
    if times:
        lines.append("  notebooks (s): " + ", ".join(f"{k} {v:.1f}" for k, v in
                                                    sorted(times.items(), key=lambda kv: -kv[1])))
    if data.get("page_bytes"):
        page, size = max(data["page_bytes"].items(), key=lambda kv: kv[1])
        lines.append(f"  largest page: {page} {size / 1e6:.2f} MB of {len(data['page_bytes'])} pages")
    return lines
