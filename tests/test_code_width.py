"""Code that fits the page (issue 13, item 5), checked in the sources.

At a 1280 px window the content column holds 80 characters of the book's 13 px code
(``_ext/static/code.css``), and so does a solution's box, whose code cells use its side
margins (``_ext/static/fit.css``); ``tests/test_browser.py`` measures every visible block in
Chromium, and ``tests/test_phone.py`` every block of the opened solutions. This is the half
that needs no browser, and it covers the solutions' code cells as every other cell:

- every line of every chapter's code cells, the generated install cell included, has at most
  80 characters (the book writes 79, as PEP 8 does, and an aligned comment may reach 80);
- every function of the package that a chapter shows with ``inspect.getsource`` has lines of
  at most 79 characters, although the package itself is written to 120;
- every line a chapter prints in the book's build has at most 80 characters.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
BUILT = ROOT / "_build" / "jupyter_execute" / "chapters"
MAX_CODE = 80
MAX_SHOWN = 79


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_code_lines_fit_the_column(path):
    long = [(k, len(line), line) for k, cell in enumerate(code_cells(path))
            for line in cell.source.splitlines() if len(line) > MAX_CODE]
    assert not long, f"{path.name}: code lines over {MAX_CODE} characters: {long}"


def shown_functions():
    """``(chapter, dotted name)`` of every package object a chapter passes to getsource."""
    pattern = re.compile(r"source\(\s*([a-z_]+\.[\w.]+)\s*\)")  # getsource(...) or source(...)
    found = []
    for path in CHAPTERS:
        for cell in code_cells(path):
            found += [(path.stem, name) for name in pattern.findall(cell.source)]
    return found


def resolve(dotted):
    module, *attrs = dotted.split(".")
    obj = importlib.import_module(f"backprop.{module}")
    for attr in attrs:
        obj = getattr(obj, attr)
    return obj


def test_the_chapters_show_package_source():
    names = {name for _, name in shown_functions()}
    assert {"network.forward", "network.backward", "tape.Variable.__matmul__"} <= names, names


@pytest.mark.parametrize("chapter, dotted", shown_functions(), ids=lambda x: str(x))
def test_shown_package_source_fits_the_column(chapter, dotted):
    import inspect

    source = inspect.getsource(resolve(dotted))
    long = [(len(line), line) for line in source.splitlines() if len(line) > MAX_SHOWN]
    assert not long, f"{chapter} shows {dotted}, whose lines exceed {MAX_SHOWN} characters: {long}"


@pytest.mark.site
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_printed_lines_fit_the_column(path):
    built = BUILT / path.name
    assert built.exists(), f"{built} is missing: run `make book` before the tests"
    long = []
    for k, cell in enumerate(code_cells(built)):
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                text = out.text
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                shown_richer = {"text/html", "text/latex", "image/png"} & set(data)
                text = "" if shown_richer else data.get("text/plain", "")
            else:
                text = "\n".join(out.get("traceback", []))
            long += [(k, len(line), line) for line in text.splitlines() if len(line) > MAX_CODE]
    assert not long, f"{path.name}: printed lines over {MAX_CODE} characters: {long}"
