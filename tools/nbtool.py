"""Maintenance of the chapter notebooks (not part of the book or the package).

    python tools/nbtool.py sync               rewrite every notebook's install cell, strip outputs
    python tools/nbtool.py from-md SRC DEST   convert a MyST/jupytext Markdown draft into a chapter
    python tools/nbtool.py to-md NB DEST      the reverse, for editing a chapter as text

The install cell is the first code cell of every chapter. It is generated
from two facts kept in one place each: the repository's address
(``_config.yml``) and the package's version (``code/backprop/__init__.py``).
``tests/test_structure.py`` checks that every notebook's install cell is
exactly ``install_cell_source()``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
INSTALL_TAGS = ["hide-input", "hide-output"]


def repository_url() -> str:
    """The repository's address, read from ``_config.yml``'s ``repository: url:``."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def package_version() -> str:
    """``backprop.__version__``, read from the source without importing it."""
    text = (ROOT / "code" / "backprop" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def install_cell_source(url: str | None = None, version: str | None = None) -> str:
    """The source of the install cell shared by every chapter."""
    url = url or repository_url()
    version = version or package_version()
    return f'''# Setup: make the book's package `backprop` importable (in Colab: install it).
import importlib.util, pathlib, subprocess, sys
BOOK_VERSION, REPOSITORY = "{version}", "{url}"
if importlib.util.find_spec("backprop") is None and pathlib.Path("../code/backprop").is_dir():
    sys.path.insert(0, str(pathlib.Path("../code").resolve()))  # a clone of the repository
if importlib.util.find_spec("backprop") is None:  # Colab, or anywhere it is not installed
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    f"git+{{REPOSITORY}}@v{{BOOK_VERSION}}"], check=True)
import backprop
assert backprop.__version__ == BOOK_VERSION, (
    f"this book needs backprop {{BOOK_VERSION}}, found {{backprop.__version__}}")'''


def normalize(nb, install=True):
    """Strip outputs and execution counts, set the kernel, and (re)write the install cell."""
    import nbformat

    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell in nb.cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            tags = cell.metadata.get("tags", [])
            cell.metadata = {"tags": tags} if tags else {}
        else:
            cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    if install and code_cells:
        first = code_cells[0]
        if first.source.startswith("# Setup: make the book's package `backprop` importable"):
            first.source = install_cell_source()
            first.metadata = {"tags": list(INSTALL_TAGS)}
        else:
            cell = nbformat.v4.new_code_cell(install_cell_source(), metadata={"tags": list(INSTALL_TAGS)})
            nb.cells.insert(nb.cells.index(first), cell)
    nb.nbformat, nb.nbformat_minor = 4, 5
    for cell in nb.cells:  # nbformat 4.5 wants ids; deterministic ones keep diffs small
        cell["id"] = f"c{nb.cells.index(cell):03d}"
    return nb


def write(nb, path: Path):
    import nbformat

    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)
    path.write_text(text if text.endswith("\n") else text + "\n")


def sync():
    import nbformat

    for path in sorted(CHAPTERS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        write(normalize(nb), path)
        print(f"synced {path.relative_to(ROOT)}")


def from_md(src: str, dest: str):
    import jupytext

    nb = jupytext.read(src)
    write(normalize(nb), Path(dest))
    print(f"wrote {dest}")


def to_md(src: str, dest: str):
    import jupytext
    import nbformat

    nb = nbformat.read(src, as_version=4)
    jupytext.write(nb, dest, fmt="md:myst")
    print(f"wrote {dest}")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "sync":
        sync()
    elif len(sys.argv) == 4 and sys.argv[1] == "from-md":
        from_md(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "to-md":
        to_md(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
