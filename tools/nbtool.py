"""Maintenance of the chapter notebooks (not part of the book or the package).

    python tools/nbtool.py sync               rewrite every notebook's install cell, strip outputs,
                                              then regenerate the reader notebooks (as `readers`)
    python tools/nbtool.py readers            regenerate notebooks/ (Colab's and Jupyter's copies) from
                                              chapters/ (tools/reader_notebooks.py does the converting)
    python tools/nbtool.py from-md SRC DEST   convert a MyST/jupytext Markdown draft into a chapter
    python tools/nbtool.py to-md NB DEST      the reverse, for editing a chapter as text

The install cell is the first code cell of every chapter. It is generated
from two facts kept in one place each: the repository's address
(``_config.yml``) and the package's version (``code/backprop/__init__.py``).
``tests/test_structure.py`` checks that every notebook's install cell is
exactly ``install_cell_source()``.

Besides the install cell this module holds the book's facts that the tools, the Sphinx
extensions and the tests share: its title, its site's and Colab's addresses, its release
tag, and the pages of ``_toc.yml`` numbered as the site numbers them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
INSTALL_TAGS = ["hide-input", "hide-output"]
INSTALL_MARK = "# Setup: make the book's package `backprop` importable"


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
    """The source of the install cell shared by every chapter and reader notebook.

    Where ``backprop`` is importable (the book's build, a clone, a local install)
    it only imports it. Elsewhere (Colab) it runs pip as ``!pip`` does, so that
    pip's output and Colab's restart prompt show, then compares every package
    that was already imported with the version pip left on disk.
    """
    url = url or repository_url()
    version = version or package_version()
    return f'''{INSTALL_MARK} (in Colab: install it).
import importlib.metadata, importlib.util, pathlib, sys  # noqa: E401, I001
BOOK_VERSION = "{version}"
REPOSITORY = "{url}"
find = importlib.util.find_spec
if find("backprop") is None and pathlib.Path("../code/backprop").is_dir():
    sys.path.insert(0, str(pathlib.Path("../code").resolve()))  # a clone
if find("backprop") is None:  # Colab, or anywhere it is not installed
    # the packages this session has already imported, and their versions
    loaded = {{name: sys.modules[name].__version__ for name in
              ("numpy", "matplotlib", "ipywidgets") if name in sys.modules}}
    # as `!pip install` does: pip's output shows, and Colab's restart prompt
    package = f"git+{{REPOSITORY}}@v{{BOOK_VERSION}}"
    get_ipython().system(f'"{{sys.executable}}" -m pip install "{{package}}"')
    if get_ipython().user_ns.get("_exit_code"):
        raise RuntimeError("pip could not install the book's package; "
                           "its output above says why")
    importlib.invalidate_caches()
    on_disk = importlib.metadata.version
    stale = [f"{{name}} {{version}} is loaded but pip installed {{on_disk(name)}}"
             for name, version in loaded.items() if on_disk(name) != version]
    if stale:
        print("\\n".join(stale))
        print("In Colab: Runtime → Restart session, then run this cell again.")
        raise RuntimeError("restart the session (Colab: Runtime → Restart "
                           "session), then run this cell again")
import backprop  # noqa: I001
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
        if first.source.startswith(INSTALL_MARK):
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


def book_title() -> str:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text())["title"]


def site_url() -> str:
    """The published book's address, derived from the repository's (the one place it is written).

    ``https://github.com/OWNER/REPO`` is published by GitHub Pages at
    ``https://OWNER.github.io/REPO/``.
    """
    owner, repo = repository_url().split("github.com/", 1)[1].split("/")[:2]
    return f"https://{owner.lower()}.github.io/{repo}/"


def release_tag(version: str | None = None) -> str:
    """The git tag of the book's release, which the install cells install: ``v`` + the version."""
    return f"v{version or package_version()}"


def colab_url(name: str, version: str | None = None) -> str:
    """Colab's address of the reader notebook ``notebooks/NAME.ipynb`` at the release tag."""
    path = repository_url().split("github.com/", 1)[1]
    return f"https://colab.research.google.com/github/{path}/blob/{release_tag(version)}/notebooks/{name}.ipynb"


def install_cell_of(path: Path) -> str | None:
    """The install cell of the notebook at ``path`` (its first code cell), without a reader
    notebook's ``#@title`` line; None for a page with no code (the preface)."""
    import json

    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    if not cells:
        return None
    source = cell_source(cells[0])
    return source.split("\n", 1)[1] if source.startswith("#@title") else source


def tag_problems(tag: str, root: Path = ROOT) -> list[str]:
    """What in the files stops ``tag`` from being the book's release (an empty list: nothing).

    The one check of a tag against the book, run by ``make release`` (tools/release.py) before
    it tags and by the publishing workflow on every pushed tag (tools/check_tag.py): the tag is
    ``v`` + ``backprop.__version__``, and every install cell, in chapters/ and notebooks/,
    is the shared one for that version, so each installs ``git+REPOSITORY@TAG``. For the
    repository itself (``root`` is ROOT) notebooks/ must also be in sync with chapters/.
    """
    found = []
    version = package_version()
    if tag != release_tag(version):
        found.append(f"backprop.__version__ is {version!r} (code/backprop/__init__.py), "
                     f"so the release tag is v{version}, not {tag}")
    expected = install_cell_source(version=tag[1:] if tag.startswith("v") else tag)
    for folder in ("chapters", "notebooks"):
        for path in sorted((root / folder).glob("*.ipynb")):
            cell = install_cell_of(path)
            if cell is None or cell == expected:
                continue
            named = re.search(r'BOOK_VERSION = "([^"]*)"\nREPOSITORY = "([^"]*)"', cell)
            what = f"names v{named.group(1)} of {named.group(2)}" if named else "is not the shared one"
            found.append(f"{path.relative_to(root)}: the install cell {what}, not {tag} of "
                         f"{repository_url()} (run `python tools/nbtool.py sync` and commit)")
    if root == ROOT:
        readers = _reader_notebooks()
        on_disk = {p.name: p.read_text() for p in readers.READERS.glob("*.ipynb")}
        if on_disk != readers.reader_texts():
            found.append("notebooks/ is not in sync with chapters/ "
                         "(run `python tools/nbtool.py readers` and commit)")
    return found


def toc_entries() -> list[dict]:
    """Every page of ``_toc.yml`` in reading order, numbered as the site does.

    Each entry is ``dict(doc=, number=, chapter=, parent=)``: ``number`` is the page's
    number ("3", "B", or "B.2" for the second of the ``sections:`` of appendix B; None
    outside the numbered parts), ``chapter`` the number of its top-level page (the prefix of
    its figures, equations and exercises, which run on across the sections), ``parent`` the
    docname of the page whose ``sections:`` list it (None for a chapter). The appendices
    listed in ``_config.yml``'s ``bp_appendices`` are lettered A, B, C, ... with their
    sections (``_ext/numbering.py`` does the same on the site).
    """
    from string import ascii_uppercase

    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    letters = dict(zip(config["sphinx"]["config"].get("bp_appendices", []), ascii_uppercase))
    entries = [dict(doc=toc["root"], number=None, chapter=None, parent=None)]

    def add(item, number, chapter, parent):
        entries.append(dict(doc=item["file"], number=number, chapter=chapter, parent=parent))
        for k, section in enumerate(item.get("sections", []), start=1):
            add(section, f"{number}.{k}" if number else None, chapter, item["file"])

    count = 0
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            number = None
            if part.get("numbered"):
                count += 1
                number = letters.get(chapter["file"], str(count))
            add(chapter, number, number, None)
    return entries


def toc_pages() -> list[tuple[str, str | None]]:
    """(docname, page number or None) of every page, sections included, in the order of ``_toc.yml``."""
    return [(e["doc"], e["number"]) for e in toc_entries()]


def toc_sections(doc: str) -> list[str]:
    """The docnames listed under ``doc``'s ``sections:`` (and theirs), in reading order."""
    entries, found = toc_entries(), []
    for entry in entries:
        if entry["parent"] == doc or entry["parent"] in found:
            found.append(entry["doc"])
    return found


def cell_source(cell) -> str:
    """A cell's source as one string (nbformat may hold it as a list of lines)."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _reader_notebooks():
    """tools/reader_notebooks.py, the generator of notebooks/ (it imports this module)."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import reader_notebooks

    return reader_notebooks


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "sync":
        sync()
        _reader_notebooks().update()
    elif len(sys.argv) == 2 and sys.argv[1] == "readers":
        _reader_notebooks().update()
    elif len(sys.argv) == 4 and sys.argv[1] == "from-md":
        from_md(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "to-md":
        to_md(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
