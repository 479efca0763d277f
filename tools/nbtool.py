"""Maintenance of the chapter notebooks (not part of the book or the package).

    python tools/nbtool.py sync               rewrite every notebook's install cell, strip outputs,
                                              then regenerate the reader notebooks (as `readers`)
    python tools/nbtool.py readers            regenerate notebooks/ (Colab's and Jupyter's copies) from chapters/
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


# -- reader notebooks (notebooks/): what Colab and plain Jupyter show ------------------
#
# Colab renders Markdown as CommonMark + GFM + $ math, with no MyST. The reader notebooks
# are the chapters with every MyST construct turned into plain Markdown: exercises and
# admonitions become titled blockquotes numbered as on the site, cross-references become
# links to the published page, solutions go inside <details> (prose) or form cells (code),
# and every cell the site hides becomes a collapsed form cell.

READERS = ROOT / "notebooks"
HIDING_TAGS = {"hide-input", "hide-output", "hide-cell", "remove-input", "remove-output", "remove-cell"}
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*?)\s*$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
PLAIN_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?!.*\{)")
LABEL_LINE = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
DOLLAR_LABEL = re.compile(r"\$\$\s*\((?P<label>[^()\s]+)\)\s*$")   # $$ ... $$ (label)
TITLED = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
          "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
          "seealso": "See also"}
NUMREF_FORMAT = {"exercise": "Exercise %s", "section": "Section %s", "equation": "Equation %s",
                 "figure": "Fig. %s"}
GLUE_ROLES = {"glue", "glue:text", "glue:md", "glue:any"}


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
    source = _text(cells[0])
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
        on_disk = {p.name: p.read_text() for p in READERS.glob("*.ipynb")}
        if on_disk != reader_texts():
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


def _text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _blocks(lines):
    """Split Markdown lines into ("text", line), ("code", lines) and ("directive", dict) blocks."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m, plain = DIRECTIVE.match(line), PLAIN_FENCE.match(line)
        if not (m or plain):
            out.append(("text", line))
            i += 1
            continue
        fence = (m or plain).group("fence")
        closing = re.compile("^" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        body = lines[i + 1:j]
        if plain:
            out.append(("code", lines[i:j + 1]))
        else:
            options = {}
            while body and OPTION.match(body[0]):
                o = OPTION.match(body[0])
                options[o.group("key")] = o.group("value")
                body = body[1:]
            out.append(("directive", {"name": m.group("name"), "arg": m.group("arg"),
                                      "options": options, "body": body}))
        i = j + 1
    return out


class Book:
    """Every page's labels, numbers and titles, read from the sources and numbered as Sphinx does.

    Numbered chapters number their exercises and labelled equations ``chapter.k``, on
    through the pages of their ``sections:`` (Exercise B.3 may be on page B.2); pages
    outside the numbered parts share one counter (Sphinx's numfig with
    ``numfig_secnum_depth`` 1).
    """

    def __init__(self, notebooks: dict | None = None):
        import nbformat

        self.entries = toc_entries()
        self.pages = [(e["doc"], e["number"]) for e in self.entries]
        self.number = dict(self.pages)
        self.chapter = {e["doc"]: e["chapter"] for e in self.entries}   # prefix of its numbers
        self.parent = {e["doc"]: e["parent"] for e in self.entries}
        self.notebooks = notebooks or {
            doc: nbformat.read(ROOT / f"{doc}.ipynb", as_version=4) for doc, _ in self.pages}
        self.labels, self.titles = {}, {}
        self.exercises = {doc: [] for doc, _ in self.pages}   # numbers in order of appearance
        self.equations = {doc: [] for doc, _ in self.pages}
        self.figures = {doc: [] for doc, _ in self.pages}
        shared = {"exercise": 0, "equation": 0, "figure": 0}
        per_chapter = {}   # a chapter's numbers run on through its sections, as Sphinx's do
        for doc, _ in self.pages:
            chapter = self.chapter[doc]
            counters = per_chapter.setdefault(chapter, {"exercise": 0, "equation": 0, "figure": 0}) \
                if chapter else shared
            pending = []
            for cell in self.notebooks[doc].cells:
                if cell.cell_type == "markdown":
                    self._scan(doc, chapter, _text(cell).splitlines(), counters, pending)

    def _next(self, doc, chapter, counters, kind):
        counters[kind] += 1
        number = f"{chapter}.{counters[kind]}" if chapter else str(counters[kind])
        {"exercise": self.exercises, "equation": self.equations, "figure": self.figures}[kind][doc].append(number)
        return number

    def _scan(self, doc, chapter, lines, counters, pending):
        for kind, block in _blocks(lines):
            if kind == "text":
                heading, label = HEADING.match(block), LABEL_LINE.match(block)
                if label:
                    pending.append(label.group("label"))
                elif heading:
                    self.titles.setdefault(doc, heading.group("text"))
                    for name in pending:
                        self.labels[name] = dict(doc=doc, anchor=name, text=heading.group("text"),
                                                 kind="section")
                    pending.clear()
                elif block.strip():
                    for name in pending:
                        self.labels[name] = dict(doc=doc, anchor=name, text=None, kind="target")
                    pending.clear()
                if DOLLAR_LABEL.search(block):
                    name = DOLLAR_LABEL.search(block).group("label")
                    self.labels[name] = dict(doc=doc, anchor=f"equation-{name}", kind="equation",
                                             number=self._next(doc, chapter, counters, "equation"))
            elif kind == "directive":
                name, options = block["name"], block["options"]
                if name == "exercise":
                    number = None if "nonumber" in options else self._next(doc, chapter, counters, "exercise")
                    if number is None:
                        self.exercises[doc].append(None)
                    if "label" in options:
                        self.labels[options["label"]] = dict(
                            doc=doc, anchor=options["label"], kind="exercise", number=number,
                            text=block["arg"] or f"Exercise {number}")
                elif name == "math" and "label" in options:
                    self.labels[options["label"]] = dict(
                        doc=doc, anchor=f"equation-{options['label']}", kind="equation",
                        number=self._next(doc, chapter, counters, "equation"))
                elif name in {"glue:figure", "figure"}:
                    number = self._next(doc, chapter, counters, "figure")
                    if "name" in options:
                        self.labels[options["name"]] = dict(doc=doc, anchor=options["name"],
                                                            kind="figure", number=number)
                self._scan(doc, chapter, block["body"], counters, [])

    def entry_count(self, target: str, doc: str = "") -> int:
        """How many ``errata-`` labels page ``target`` has (the role ``{errata-count}``)."""
        if target not in self.number:
            raise ValueError(f"{doc}: {{errata-count}} target {target!r} is not a page of the book")
        return sum(1 for name, e in self.labels.items() if e["doc"] == target and name.startswith("errata-"))

    def page_url(self, doc: str) -> str:
        return f"{site_url()}{doc}.html"

    def link(self, role: str, content: str, doc: str) -> str:
        """The Markdown link that the cross-reference ``{role}`content``` in ``doc`` becomes."""
        m = re.match(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", content, re.S)
        text, target = (m.group("text"), m.group("target")) if m else (None, content.strip())
        if role == "doc":
            base = Path(doc).parent
            path = Path(target.lstrip("/")) if target.startswith("/") else base / target
            parts = []
            for part in path.with_suffix("").parts if path.suffix == ".ipynb" else path.parts:
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            target_doc = "/".join(parts)
            if target_doc not in self.number:
                raise ValueError(f"{doc}: {{doc}} target {target!r} is not a page of the book")
            return f"[{text or self.titles.get(target_doc, target_doc)}]({self.page_url(target_doc)})"
        if target not in self.labels:
            raise ValueError(f"{doc}: {{{role}}} target {target!r} is not a label of the book")
        entry = self.labels[target]
        number = entry.get("number")
        if role == "eq":
            shown = text or f"({number})"
        elif role == "numref":
            shown = (text or NUMREF_FORMAT.get(entry["kind"], "%s")).replace("%s", str(number))
            shown = shown.replace("{number}", str(number))
        else:
            shown = text or entry.get("text") or (f"({number})" if number else target)
        return f"[{shown}]({self.page_url(entry['doc'])}#{entry['anchor']})"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip("\n").splitlines())


class ReaderMarkdown:
    """Turns one page's MyST Markdown into CommonMark + GFM + $ math, cell by cell."""

    def __init__(self, book: Book, doc: str):
        self.book, self.doc, self.chapter = book, doc, book.number[doc]
        # A page with sections: its sections are numbered B.1, B.2, ..., so its own
        # headings below the title carry no number (as _ext/numbering.py does on the site).
        self.has_sections = doc in book.parent.values()
        self.sections = [0] * 6
        self.exercises = iter(book.exercises[doc])
        self.equations = iter(book.equations[doc])
        self.figures = iter(book.figures[doc])

    def roles(self, text: str) -> str:
        def replace(m):
            role, content = m.group("role"), m.group("content")
            if role in {"ref", "numref", "eq", "doc"}:
                return self.book.link(role, content, self.doc)
            if role == "math":
                return f"${content}$"
            if role == "errata-count":   # _ext/subpages.py: the errata entries of a page
                return str(self.book.entry_count(content.strip(), self.doc))
            if role in GLUE_ROLES:  # a number from the run: the cell above prints it by name
                return f"`{content.split(':', 1)[0]}`"
            if role in {"sub", "sup"}:
                return f"<{role}>{content}</{role}>"
            if role in {"code", "kbd", "file", "samp", "command"}:
                return f"`{content}`"
            return re.sub(r"\s*<[^<>]+>$", "", content)
        return ROLE.sub(replace, text)

    def convert(self, lines, top=True) -> list:
        """Segments: ("text", markdown), ("solution-start", exercise label), ("solution-end", None)."""
        segments, text = [], []

        def flush():
            if text:
                segments.append(("text", "\n".join(text)))
                text.clear()

        for kind, block in _blocks(lines):
            if kind == "code":
                text.extend(block)
            elif kind == "text":
                line = block
                heading = HEADING.match(line)
                if LABEL_LINE.match(line):
                    continue
                if heading and top and self.chapter and not (self.has_sections and len(heading.group("hashes")) > 1):
                    depth = len(heading.group("hashes"))
                    self.sections[depth - 1] += 1
                    self.sections[depth:] = [0] * (6 - depth)
                    number = ".".join([self.chapter, *(str(n) for n in self.sections[1:depth])])
                    line = f"{heading.group('hashes')} {number}. {heading.group('text')}"
                if DOLLAR_LABEL.search(line):
                    line = DOLLAR_LABEL.sub(lambda _: f"\\tag{{{next(self.equations)}}} $$", line)
                text.append(self.roles(line))
            else:
                self._directive(block, segments, text, flush)
        flush()
        return segments

    def _directive(self, block, segments, text, flush):
        name, arg, options, body = block["name"], block["arg"], block["options"], block["body"]
        if name in {"solution-start", "solution-end"}:
            flush()
            segments.append((name, arg or None))
        elif name in {"math", "latex"}:
            tag = [f"\\tag{{{next(self.equations)}}}"] if "label" in options else []
            text.extend(["$$", *body, *tag, "$$"])
        elif name in {"glue:figure", "figure"}:
            # The cell above shows the figure; its number and caption follow it here.
            number = next(self.figures)
            caption = " ".join(line.strip() for line in body if line.strip())
            text.append(f"**Fig. {number}.** {self.roles(caption)}")
        elif name in {"code-block", "code", "sourcecode"}:
            text.extend([f"```{arg}", *body, "```"])
        elif name in {"toctree", "tableofcontents", "contents", "index"}:
            pass
        else:
            if name == "exercise":
                number = next(self.exercises)
                title = f"**Exercise {number}**" if number else "**Exercise**"
                title += f" ({self.roles(arg)})" if arg else ""
            elif name == "admonition":
                title = f"**{self.roles(arg)}**"
            else:
                label = TITLED.get(name, name.replace("-", " ").capitalize())
                title = f"**{label}{': ' + self.roles(arg) if arg else ''}**"
            inner = "\n".join(s for k, s in self.convert(body, top=False) if k == "text").strip("\n")
            if name == "dropdown":
                text.extend([f"<details><summary>{self.roles(arg) or 'Details'}</summary>", "",
                             inner, "", "</details>"])
            else:
                text.append(_quote(f"{title}\n\n{inner}"))


def _form_cell(cell, title: str):
    """A Colab form cell: Colab shows the title and hides the code; JupyterLab collapses it."""
    import nbformat

    new = nbformat.v4.new_code_cell(f"#@title {title}\n{_text(cell)}")
    new.metadata = {"cellView": "form", "jupyter": {"source_hidden": True}}
    if cell.metadata.get("tags"):
        new.metadata["tags"] = list(cell.metadata["tags"])
    return new


def _hidden_title(cell) -> str:
    tags = set(cell.metadata.get("tags", []))
    if tags & {"hide-output", "remove-output"} and not tags & {"hide-input", "remove-input", "hide-cell"}:
        return "Code with a long output (folded on the site; double-click to show the code)"
    return "Code of this figure or step (hidden on the site; double-click to show it)"


def reader_notebook(doc: str, book: Book):
    """The reader notebook of page ``doc`` (e.g. "chapters/gradient"), as an nbformat notebook."""
    import nbformat

    converter = ReaderMarkdown(book, doc)
    name, chapter = Path(doc).name, book.number[doc]
    if chapter and book.parent[doc]:
        where = f"Section {chapter} of " + ("appendix" if chapter[0].isalpha() else "chapter") + \
            f" {book.chapter[doc]}"
    elif chapter:
        where = ("Appendix" if chapter.isalpha() else "Chapter") + f" {chapter}"
    else:
        where = "A page"
    intro = (f"*{where} of [{book_title()}]({site_url()}) ([this page on the site]({book.page_url(doc)})). "
             f"Generated from `{doc}.ipynb` by `tools/nbtool.py readers`.*")
    cells = [nbformat.v4.new_markdown_cell(intro)]
    solution = None
    for cell in book.notebooks[doc].cells:
        if cell.cell_type == "markdown":
            for kind, value in converter.convert(_text(cell).splitlines()):
                if kind == "solution-start":
                    solution = book.labels.get(value, {}).get("number") or "?"
                elif kind == "solution-end":
                    solution = None
                elif value.strip():
                    value = value.strip("\n")
                    if solution:
                        value = (f"<details><summary>Solution to Exercise {solution}</summary>\n\n"
                                 f"{value}\n\n</details>")
                    cells.append(nbformat.v4.new_markdown_cell(value))
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            if solution:
                cells.append(_form_cell(cell, f"Solution to Exercise {solution}: the code"))
            elif _text(cell).startswith(INSTALL_MARK):
                cells.append(_form_cell(cell, "Setup: install the book's package (in Colab)"))
            elif tags & HIDING_TAGS:
                cells.append(_form_cell(cell, _hidden_title(cell)))
            else:
                new = nbformat.v4.new_code_cell(_text(cell))
                if cell.metadata.get("tags"):
                    new.metadata["tags"] = list(cell.metadata["tags"])
                cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"name": f"{name}.ipynb", "toc_visible": True},
    }
    for k, c in enumerate(nb.cells):
        c["id"] = f"r{k:03d}"
    return nb


def reader_texts(book: Book | None = None) -> dict[str, str]:
    """``{file name: JSON text}`` of every reader notebook, generated in memory from chapters/."""
    import nbformat

    book = book or Book()
    texts = {}
    for doc, _ in book.pages:
        nb = reader_notebook(doc, book)
        nbformat.validate(nb)
        text = nbformat.writes(nb, version=4)
        texts[f"{Path(doc).name}.ipynb"] = text if text.endswith("\n") else text + "\n"
    return texts


def readers():
    """Write notebooks/ from chapters/, and remove reader notebooks whose chapter is gone."""
    READERS.mkdir(exist_ok=True)
    texts = reader_texts()
    for old in READERS.glob("*.ipynb"):
        if old.name not in texts:
            old.unlink()
            print(f"removed {old.relative_to(ROOT)}")
    for name, text in texts.items():
        path = READERS / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "sync":
        sync()
        readers()
    elif len(sys.argv) == 2 and sys.argv[1] == "readers":
        readers()
    elif len(sys.argv) == 4 and sys.argv[1] == "from-md":
        from_md(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "to-md":
        to_md(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
