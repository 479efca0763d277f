"""The book's facts, read from where each is written, and its pages numbered once.

Every tool, the Sphinx extensions (``_ext``) and the tests ask this module; none reads
``_config.yml``, ``_toc.yml`` or the package's version by itself.

- ``title()``, ``repository_url()`` (``_config.yml``), ``package_version()``
  (``code/backprop/__init__.py``, read without importing the package), and what follows from
  them: ``release_tag()``, ``site_url()``, ``colab_url()`` and ``install_cell_source()``, the
  first code cell of every chapter and reader notebook;
- ``toc_entries()``: the one reading of ``_toc.yml``, every page in reading order with its
  number. Chapters are numbered 1, 2, ... through the numbered parts; the chapters of the
  part captioned "Appendices" are lettered A, B, C instead (their place in the count is
  kept, as Sphinx's is), and the pages of a chapter's ``sections:`` are numbered B.1, B.2.
  ``_ext/numbering.py`` gives the site these numbers, and the reader notebooks print them.

Each function takes ``root``, the book's folder (this repository by default), so that a copy
of the book (a test's, or the source folder of a Sphinx build) is read from itself.
Needs PyYAML only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import ascii_uppercase

ROOT = Path(__file__).resolve().parents[1]
APPENDICES = "Appendices"   # the caption of the part of _toc.yml whose chapters are lettered
INSTALL_TAGS = ["hide-input", "hide-output"]
INSTALL_MARK = "# Setup: make the book's package `backprop` importable"

#: The terms that the book's index must hold (site: genindex.html; PDF: its index), each a
#: top-level entry, with the sub-entries that must stand under it. The chapters mark each
#: term where they define it, with ``{index}`` directives (tests/test_index.py).
INDEX_TERMS = {
    "adjoint": (),
    "backpropagation": (),
    "backward pass": (),
    "broadcasting": (),
    "central difference": (),
    "chain rule": (),
    "cheap-gradient principle": (),
    "checkpointing": (),
    "computational graph": (),
    "cost": (),
    "cross-entropy": (),
    "denominator layout": (),
    "differential": (),
    "errata": (),
    "error": ("δ of one example", "Δ of a batch (unscaled)"),
    "forward mode": (),
    "forward pass": (),
    "Frobenius inner product": (),
    "Frobenius pairing": (),
    "Gauss–Newton matrix": (),
    "gradient": (),
    "gradient check": (),
    "gradient descent": (),
    "Hadamard product": (),
    "Hessian-vector product": (),
    "Jacobian": ("numerator layout", "of softmax"),
    "Jacobian-vector product (JVP)": (),
    "JVP (Jacobian-vector product)": (),
    "Kronecker product": (),
    "learning rate η": (),
    "log-sum-exp": (),
    "logits": (),
    "loss": (),
    "mini-batch": (),
    "numerator layout": (),
    "ReLU (rectified linear unit)": (),
    "reverse mode": (),
    "sigmoid": (),
    "softmax": (),
    "tanh": (),
    "tape": (),
    "trace": (),
    "vec": (),
    "vector-Jacobian product (VJP)": (),
    "VJP (vector-Jacobian product)": (),
}


def _yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text())


# -- facts ------------------------------------------------------------------------------------

def title(root: Path = ROOT) -> str:
    """The book's title (``_config.yml``'s ``title:``)."""
    return _yaml(root / "_config.yml")["title"]


def repository_url(root: Path = ROOT) -> str:
    """The repository's address, read from ``_config.yml``'s ``repository: url:``."""
    return _yaml(root / "_config.yml")["repository"]["url"].rstrip("/")


def package_version(root: Path = ROOT) -> str:
    """``backprop.__version__``, read from the source without importing it."""
    text = (root / "code" / "backprop" / "__init__.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise ValueError(f"{root}/code/backprop/__init__.py has no line __version__ = \"X.Y.Z\"")
    return found.group(1)


def release_tag(version: str | None = None, root: Path = ROOT) -> str:
    """The git tag of the book's release, which the install cells install: ``v`` + the version."""
    return f"v{version or package_version(root)}"


def site_url(root: Path = ROOT) -> str:
    """The published book's address, derived from the repository's (the one place it is written).

    ``https://github.com/OWNER/REPO`` is published by GitHub Pages at
    ``https://OWNER.github.io/REPO/``.
    """
    owner, repo = repository_url(root).split("github.com/", 1)[1].split("/")[:2]
    return f"https://{owner.lower()}.github.io/{repo}/"


def colab_url(name: str, version: str | None = None, root: Path = ROOT) -> str:
    """Colab's address of the reader notebook ``notebooks/NAME.ipynb`` at the release tag."""
    path = repository_url(root).split("github.com/", 1)[1]
    tag = release_tag(version, root)
    return f"https://colab.research.google.com/github/{path}/blob/{tag}/notebooks/{name}.ipynb"


def install_cell_source(url: str | None = None, version: str | None = None, root: Path = ROOT) -> str:
    """The source of the install cell shared by every chapter and reader notebook.

    Where ``backprop`` is importable (the book's build, a clone, a local install)
    it only imports it. Elsewhere (Colab) it runs pip as ``!pip`` does, so that
    pip's output and Colab's restart prompt show, then compares every package
    that was already imported with the version pip left on disk.
    """
    url = url or repository_url(root)
    version = version or package_version(root)
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


def cell_source(cell) -> str:
    """A cell's source as one string (nbformat may hold it as a list of lines)."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def install_cell_of(path: Path) -> str | None:
    """The install cell of the notebook at ``path`` (its first code cell), without a reader
    notebook's ``#@title`` line; None for a page with no code (the preface)."""
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    if not cells:
        return None
    source = cell_source(cells[0])
    return source.split("\n", 1)[1] if source.startswith("#@title") else source


# -- the pages, numbered -------------------------------------------------------------------------

def toc_entries(root: Path = ROOT) -> list[dict]:
    """Every page of ``_toc.yml`` in reading order, numbered as the site numbers it.

    Each entry is ``dict(doc=, number=, chapter=, parent=, part=)``: ``number`` is the page's
    number ("3", "B", or "B.2" for the second of the ``sections:`` of appendix B; None
    outside the numbered parts), ``chapter`` the number of its top-level page (the prefix of
    its figures, equations and exercises, which run on across the sections), ``parent`` the
    docname of the page whose ``sections:`` list it (None for a chapter), ``part`` the
    caption of its part (None for the root page).
    """
    toc = _yaml(root / "_toc.yml")
    entries = [dict(doc=toc["root"], number=None, chapter=None, parent=None, part=None)]

    def add(item, number, chapter, parent, part):
        entries.append(dict(doc=item["file"], number=number, chapter=chapter, parent=parent, part=part))
        for k, section in enumerate(item.get("sections", []), start=1):
            add(section, f"{number}.{k}" if number else None, chapter, item["file"], part)

    count, letters = 0, iter(ascii_uppercase)
    parts = toc.get("parts", []) or [dict(chapters=toc.get("chapters", []), numbered=toc.get("numbered"))]
    for part in parts:
        caption = part.get("caption")
        for chapter in part.get("chapters", []):
            number = None
            if part.get("numbered"):
                count += 1
                number = next(letters) if caption == APPENDICES else str(count)
            add(chapter, number, number, None, caption)
    return entries


def toc_pages(root: Path = ROOT) -> list[tuple[str, str | None]]:
    """(docname, page number or None) of every page, sections included, in the order of ``_toc.yml``."""
    return [(e["doc"], e["number"]) for e in toc_entries(root)]


def toc_sections(doc: str, root: Path = ROOT) -> list[str]:
    """The docnames listed under ``doc``'s ``sections:`` (and theirs), in reading order."""
    found = []
    for entry in toc_entries(root):
        if entry["parent"] == doc or entry["parent"] in found:
            found.append(entry["doc"])
    return found
