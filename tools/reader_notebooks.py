"""The reader notebooks (notebooks/): what Colab and plain Jupyter show of each page.

    python -m tools.nbtool readers      (or ``sync``) writes them; this module converts.

Colab renders Markdown as CommonMark + GFM + $ math, with no MyST. The reader notebooks
are the chapters with every MyST construct turned into plain Markdown: exercises and
admonitions become titled blockquotes numbered as on the site, cross-references become
links to the published page, solutions go inside <details> (prose) or form cells (code),
and every cell the site hides becomes a collapsed form cell. ``tests/test_reader_notebooks.py``
checks that notebooks/ is exactly what ``reader_texts()`` generates.

Glued numbers. Where the site shows a number glued by the chapter's run
(``{glue:text}`NAME:.2f```), the reader notebook shows the same number, formatted as the
site formats it, and the paragraph ends with a note that says where it comes from and which
cell prints the reader's own. The values are those of the book's build: ``readers`` reads
them from ``_build/jupyter_execute/chapters/NAME.glue.json`` when that build ran the
chapter's current code, and otherwise keeps the values recorded in the reader notebook's
metadata (``metadata.book.glue``). So ``make book`` then ``python -m tools.nbtool readers``
refreshes them, and the sync check (``reader_texts(values="recorded")``) needs no build.

Solutions. A solution's code runs on *Run all* (later cells may use what it defines), but
what it prints or shows stays out of sight: its form cell starts with
``fold_output(show_result)``, defined by a setup cell before the first solution, which
captures the rest of the cell's output unless the reader ticks ``show_result``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tools.book import APPENDICES, INSTALL_MARK, ROOT, cell_source, site_url, title, toc_entries

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
#: Marks a glued value in converted text until its paragraph is given its note.
GLUED = "\x00"
#: Where the book's build leaves each executed page and its glued outputs (myst-nb).
BUILD = ROOT / "_build" / "jupyter_execute"
#: A code cell that glues a number: ``figures.number("name", ...)`` or ``glue(f"name_{k}", ...)``.
GLUING = re.compile(r"\b(?:number|glue)\(\s*(?P<f>f?)(?P<q>[\"'])(?P<name>.*?)(?P=q)")

#: The setup cell that defines ``fold_output``, before a reader notebook's first solution.
FOLD_TITLE = "Setup: keep what the solutions print out of sight until you ask"
FOLD_SOURCE = '''from IPython import get_ipython
from IPython.utils.capture import capture_output


def fold_output(show):
    """Unless show is True, hide what the rest of this cell prints or shows."""
    shell = get_ipython()
    if show or shell is None:
        return
    captured = capture_output()
    captured.__enter__()

    def release(result):
        captured.__exit__(None, None, None)
        shell.events.unregister("post_run_cell", release)

    shell.events.register("post_run_cell", release)'''
#: The lines between a solution's ``#@title`` and its code.
SOLUTION_HEAD = (
    "#@markdown *Run all* runs this solution without showing its result: "
    "tick the box and run this cell to see it.\n"
    "show_result = False  #@param {type:\"boolean\"}\n"
    "fold_output(show_result)\n")


def form_body(source: str) -> str:
    """The chapter's code in a reader notebook's form cell (without its title and fold lines)."""
    if source.startswith("#@title"):
        source = source.split("\n", 1)[1]
    return source.removeprefix(SOLUTION_HEAD)


#: The tags that Sphinx's html builder sets, for an ``only`` directive's expression.
HTML_TAGS = frozenset({"html", "format_html", "builder_html"})
#: The tags of the PDF's builder (``jupyter-book build --builder pdflatex``: Sphinx's latex).
LATEX_TAGS = frozenset({"latex", "format_latex", "builder_latex"})


def only_keeps(expression: str, tags=HTML_TAGS) -> bool:
    """Whether ``{only} expression`` keeps its content for a builder with ``tags`` (the site's)."""
    words = re.findall(r"[\w-]+|[()]", expression)
    python = " ".join(w if w in {"and", "or", "not", "(", ")"} else str(w in tags) for w in words)
    try:
        if not words or re.sub(r"[\w-]+|[()]|\s", "", expression):
            raise SyntaxError
        return bool(eval(python, {"__builtins__": {}}))   # only True, False, and, or, not, ()
    except SyntaxError:
        raise ValueError(f"cannot read the {{only}} expression {expression!r}") from None


def select_only(lines: list[str], tags=HTML_TAGS) -> list[str]:
    """The lines with each ``{only}`` block resolved as the site resolves it (``tags``).

    A block whose expression holds for the html builder (``{only} html``) is replaced by its
    content; any other (``{only} latex``: the PDF's wording) is dropped, with one of the blank
    lines around it, so that a paragraph split around it reads as before. The reader
    notebooks read as the site does; ``tags=LATEX_TAGS`` gives the PDF's text.
    """
    out, i = [], 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if not (m and m.group("name") == "only"):
            out.append(lines[i])
            i += 1
            continue
        fence = m.group("fence")
        closing = re.compile("^" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        if only_keeps(m.group("arg"), tags):
            out.extend(select_only(lines[i + 1:j], tags))
        elif out and not out[-1].strip() and j + 1 < len(lines) and not lines[j + 1].strip():
            j += 1   # drop one of the two blank lines that framed the dropped block
        i = j + 1
    return out


def _blocks(lines):
    """Split Markdown lines into ("text", line), ("code", lines) and ("directive", dict) blocks.

    ``{only}`` blocks are resolved first, as on the site (:func:`select_only`).
    """
    lines, out, i = select_only(list(lines)), [], 0
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


def glued_text(value: str, fmt: str) -> str:
    """``value`` (a glued output's text/plain) as the site shows ``{glue:text}`name:fmt```.

    The rule of myst-nb's ``myst_nb.core.variables.format_plain_text``, so that the reader
    notebook shows the site's digits; restated here because the release check
    (``tools.check_tag``) runs where only ``tools/requirements.txt`` is installed.
    ``tests/test_reader_notebooks.py`` checks that the two agree.
    """
    import ast

    try:
        shown = ast.literal_eval(value)             # "'text'" -> text, "2.5" -> 2.5
    except (SyntaxError, ValueError):
        shown = value
    if not fmt:
        return str(shown)
    if fmt[-1] == "s":
        shown = str(shown)
    elif fmt[-1] in "bcdoxX":
        shown = int(shown)
    elif fmt[-1] in "eEfFgGn%":
        shown = float(shown)
    return format(shown, fmt)


def _code(nb) -> list[str]:
    return [cell_source(c) for c in nb["cells"] if c["cell_type"] == "code"]


def build_values(doc: str, chapter, build: Path = BUILD) -> dict[str, str]:
    """``{name: text/plain}`` of what the book's build glued on page ``doc``, or ``{}`` when
    there is no build of it or the build ran other code than the chapter ``chapter`` holds."""
    executed, glued = build / f"{doc}.ipynb", build / f"{doc}.glue.json"
    if not (executed.is_file() and glued.is_file()):
        return {}
    if _code(json.loads(executed.read_text())) != _code(chapter):
        return {}
    outputs = json.loads(glued.read_text())
    return {name: out["data"]["text/plain"] for name, out in outputs.items()
            if "text/plain" in out.get("data", {})}


def recorded_values(doc: str) -> dict[str, str]:
    """The glued values that page ``doc``'s committed reader notebook was written with."""
    path = READERS / f"{Path(doc).name}.ipynb"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text()).get("metadata", {}).get("book", {}).get("glue", {}))


def gluing_cells(chapter) -> dict[int, list[re.Pattern]]:
    """For each code cell (by its index among all cells), the names it glues, as patterns."""
    found = {}
    for k, cell in enumerate(chapter["cells"]):
        if cell["cell_type"] != "code":
            continue
        for m in GLUING.finditer(cell_source(cell)):
            name = m.group("name")
            if m.group("f"):   # f"slope_{way}": any text where a {field} stands
                name = ".+?".join(re.escape(p) for p in re.split(r"\{[^{}]*\}", name))
            else:
                name = re.escape(name)
            found.setdefault(k, []).append(re.compile(name))
    return found


def glue_note(chapter, k: int, names: list[str]) -> str:
    """The sentence after Markdown cell ``k`` whose glued ``names`` were replaced by the build's values."""
    cells = chapter["cells"]
    where = sorted({j for j, patterns in gluing_cells(chapter).items()
                    for name in names if any(p.fullmatch(name) for p in patterns)})
    between = lambda a, b: any(cells[i]["cell_type"] == "code" for i in range(a + 1, b))  # noqa: E731
    if len(where) == 1 and where[0] < k:
        cell = "the cell above" if not between(where[0], k) else "the cell above that computes them"
    elif len(where) == 1:
        cell = "the cell below" if not between(k, where[0]) else "the cell below that computes them"
    else:
        cell = "the cells of this notebook that compute them"
    many = len(set(names)) > 1
    verb = "print" if cell.startswith("the cells") else "prints"
    measured = any("timing" in cells[j].get("metadata", {}).get("tags", []) for j in where)
    if not measured:   # a count or a seeded result: the same on every machine
        return (f"*{'These numbers are' if many else 'This number is'} from the book's build; "
                f"{cell} {verb} {'them' if many else 'it'} too.*")
    return (f"*{'These numbers are' if many else 'This number is'} from the book's build, on the machine "
            f"that built it; {cell} {verb} {'the ones' if many else 'the one'} of your run.*")


class Book:
    """Every page's labels, numbers and titles, read from the sources and numbered as Sphinx does.

    The pages and their numbers are ``tools.book.toc_entries()``'s, the site's. Numbered
    chapters number their exercises and labelled equations ``chapter.k``, on through the
    pages of their ``sections:`` (Exercise B.3 may be on page B.2); pages outside the
    numbered parts share one counter (Sphinx's numfig with ``numfig_secnum_depth`` 1).
    """

    def __init__(self, notebooks: dict | None = None):
        import nbformat

        self.entries = toc_entries()
        self.pages = [(e["doc"], e["number"]) for e in self.entries]
        self.number = dict(self.pages)
        self.chapter = {e["doc"]: e["chapter"] for e in self.entries}   # prefix of its numbers
        self.parent = {e["doc"]: e["parent"] for e in self.entries}
        self.part = {e["doc"]: e["part"] for e in self.entries}
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
                    self._scan(doc, chapter, cell_source(cell).splitlines(), counters, pending)

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
        if role == "ref" and target == "genindex":   # Sphinx's own page: the site's Index
            return f"[{text or 'Index'}]({site_url()}genindex.html)"
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

    def __init__(self, book: Book, doc: str, values: dict[str, str] | None = None):
        self.book, self.doc, self.chapter = book, doc, book.number[doc]
        self.values = values or {}   # the build's glued values: {name: text/plain}
        self.glued = []              # the glued names replaced since the caller last emptied it
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
            if role in GLUE_ROLES:  # a number from the run: the build's, formatted as on the site
                name, fmt = content.rsplit(":", 1) if ":" in content else (content, "s")   # as myst-nb
                if name not in self.values:
                    raise ValueError(
                        f"{self.doc}: no value for the glued name {name!r}: build the book (`make book`), "
                        "then run `python -m tools.nbtool readers`")
                self.glued.append(name)
                return glued_text(self.values[name], fmt) + GLUED   # the note goes after its paragraph
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
        elif name in {"toctree", "tableofcontents", "contents", "index", "glue:md"}:
            pass  # (glue:md: the hidden cell above, a form in Colab, prints the same text)
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

    new = nbformat.v4.new_code_cell(f"#@title {title}\n{cell_source(cell)}")
    new.metadata = {"cellView": "form", "jupyter": {"source_hidden": True}}
    if cell.metadata.get("tags"):
        new.metadata["tags"] = list(cell.metadata["tags"])
    return new


def _hidden_title(cell) -> str:
    source = cell_source(cell)
    if source.startswith("practice.quiz("):
        return "Self-check question (run this cell, then answer it below)"
    if source.startswith("practice.answers("):
        return "Answers to this chapter's self-check questions"
    tags = set(cell.metadata.get("tags", []))
    if tags & {"hide-output", "remove-output"} and not tags & {"hide-input", "remove-input", "hide-cell"}:
        return "Code with a long output (double-click to show the code)"
    return "Code of this figure or step (double-click to show it)"


def reader_notebook(doc: str, book: Book, values: dict[str, str] | None = None):
    """The reader notebook of page ``doc`` (e.g. "chapters/gradient"), as an nbformat notebook.

    ``values`` are the build's glued values for the page (``{name: text/plain}``); the
    notebook records those it shows in ``metadata.book.glue``.
    """
    import nbformat

    converter = ReaderMarkdown(book, doc, values)
    name, chapter = Path(doc).name, book.number[doc]
    kind = "appendix" if book.part[doc] == APPENDICES else "chapter"
    if chapter and book.parent[doc]:
        where = f"Section {chapter} of {kind} {book.chapter[doc]}"
    elif chapter:
        where = f"{kind.capitalize()} {chapter}"
    else:
        where = "A page"
    intro = f"*{where} of [{title()}]({site_url()}) ([this page on the site]({book.page_url(doc)})).*"
    cells = [nbformat.v4.new_markdown_cell(intro)]
    source = book.notebooks[doc]
    solution, shown, folding = None, {}, False
    for k, cell in enumerate(source.cells):
        if cell.cell_type == "markdown":
            converter.glued = []
            pieces = []
            for kind, value in converter.convert(cell_source(cell).splitlines()):
                if kind == "solution-start":
                    solution = book.labels.get(value, {}).get("number") or "?"
                elif kind == "solution-end":
                    solution = None
                elif value.strip():
                    pieces.append([value.strip("\n"), solution])
            if converter.glued:
                shown.update((n, converter.values[n]) for n in converter.glued)
                note = glue_note(source, k, converter.glued)
                last = max(j for j, (value, _) in enumerate(pieces) if GLUED in value)
                paragraphs = pieces[last][0].split("\n\n")
                at = max(j for j, p in enumerate(paragraphs) if GLUED in p)
                paragraphs.insert(at + 1, note)
                pieces[last][0] = "\n\n".join(paragraphs)
                for piece in pieces:
                    piece[0] = piece[0].replace(GLUED, "")
            for value, in_solution in pieces:
                if in_solution:
                    value = (f"<details><summary>Solution to Exercise {in_solution}</summary>\n\n"
                             f"{value}\n\n</details>")
                cells.append(nbformat.v4.new_markdown_cell(value))
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            if solution:
                if not folding:   # what fold_output needs, once, before the first solution
                    fold = nbformat.v4.new_code_cell(f"#@title {FOLD_TITLE}\n{FOLD_SOURCE}")
                    fold.metadata = {"cellView": "form", "jupyter": {"source_hidden": True}}
                    cells.append(fold)
                    folding = True
                new = _form_cell(cell, f"Solution to Exercise {solution}: the code")
                head, body = new.source.split("\n", 1)
                new.source = f"{head}\n{SOLUTION_HEAD}{body}"
                cells.append(new)
            elif cell_source(cell).startswith(INSTALL_MARK):
                cells.append(_form_cell(cell, "Setup: install the book's package (in Colab)"))
            elif tags & HIDING_TAGS:
                cells.append(_form_cell(cell, _hidden_title(cell)))
            else:
                new = nbformat.v4.new_code_cell(cell_source(cell))
                if cell.metadata.get("tags"):
                    new.metadata["tags"] = list(cell.metadata["tags"])
                cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"name": f"{name}.ipynb", "toc_visible": True},
        # Provenance, for the maintainers and the sync check; the reader's text does not need it.
        "book": {"source": f"{doc}.ipynb", "generator": "python -m tools.nbtool readers",
                 **({"glue": dict(sorted(shown.items()))} if shown else {})},
    }
    for k, c in enumerate(nb.cells):
        c["id"] = f"r{k:03d}"
    return nb


def reader_texts(book: Book | None = None, values: str = "build", build: Path = BUILD) -> dict[str, str]:
    """``{file name: JSON text}`` of every reader notebook, generated in memory from chapters/.

    ``values="build"`` takes each page's glued values from the book's build at ``build`` when
    it ran the chapter's current code, else the ones recorded in the committed reader notebook;
    ``values="recorded"`` takes only the recorded ones (the sync check: no build needed).
    """
    import nbformat

    if values not in {"build", "recorded"}:
        raise ValueError(f"values must be 'build' or 'recorded'; got {values!r}")
    book = book or Book()
    texts = {}
    for doc, _ in book.pages:
        page_values = recorded_values(doc)
        if values == "build":
            page_values.update(build_values(doc, book.notebooks[doc], build))
        nb = reader_notebook(doc, book, page_values)
        nbformat.validate(nb)
        text = nbformat.writes(nb, version=4)
        texts[f"{Path(doc).name}.ipynb"] = text if text.endswith("\n") else text + "\n"
    return texts


def update(build: Path = BUILD):
    """Write notebooks/ from chapters/ (glued values from ``build``), and remove reader
    notebooks whose chapter is gone."""
    READERS.mkdir(exist_ok=True)
    texts = reader_texts(build=build)
    for old in READERS.glob("*.ipynb"):
        if old.name not in texts:
            old.unlink()
            print(f"removed {old.relative_to(ROOT)}")
    for name, text in texts.items():
        path = READERS / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
