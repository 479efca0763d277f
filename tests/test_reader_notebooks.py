"""The reader notebooks (notebooks/), as Colab and plain Jupyter show them (issue 12).

Colab renders Markdown as CommonMark + GFM + $ math, with no MyST. Each reader
notebook's Markdown is rendered here with markdown-it-py (GFM-like, with dollar
math) and checked for MyST that would survive as raw text; solutions and the
cells the site hides are checked against the chapters they come from.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from tools import reader_notebooks
from tools.book import (
    colab_url,
    install_cell_source,
    package_version,
    repository_url,
    site_url,
    toc_pages,
    toc_sections,
)

ROOT = Path(__file__).resolve().parents[1]
READERS = ROOT / "notebooks"
HIDING = {"hide-input", "hide-output", "hide-cell", "remove-input", "remove-output", "remove-cell"}


MARKDOWN = MarkdownIt("gfm-like", {"linkify": False}).use(dollarmath_plugin)
#: MyST that Colab would show as raw text, searched in the Markdown source and the rendered HTML.
RAW_MYST = {
    "label line (label)=": re.compile(r"^\(\S+\)=\s*$", re.M),
    "role {name}`...`": re.compile(r"\{[\w:-]+\}(`|<code>)"),
    "colon fence :::": re.compile(r"^\s*(>\s*)*:::", re.M),
    "directive fence ```{name}": re.compile(r"^\s*(>\s*)*(`{3,}|~{3,})\{", re.M),
    "option line :label:/:class:": re.compile(r"^\s*(>\s*)*:(label|class|tags|nonumber|name):", re.M),
    "directive as code block": re.compile(r'<code class="language-\{'),
}


def text(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load(path):
    return json.loads(path.read_text())


def pages():
    return [doc for doc, _ in toc_pages()]


def reader(doc):
    return load(READERS / f"{Path(doc).name}.ipynb")


def test_notebooks_are_in_sync_with_the_chapters():
    """Regenerated in memory from chapters/, the reader notebooks equal the committed ones."""
    expected = reader_notebooks.reader_texts(values="recorded")   # the committed glued values: no build needed
    on_disk = {p.name: p.read_text() for p in READERS.glob("*.ipynb")}
    assert sorted(on_disk) == sorted(expected), "run `python -m tools.nbtool readers`"
    stale = [name for name in expected if on_disk[name] != expected[name]]
    assert not stale, f"stale reader notebooks {stale}: run `python -m tools.nbtool readers`"


@pytest.mark.parametrize("doc", pages())
def test_rendered_markdown_has_no_raw_myst(doc):
    found = []
    for k, cell in enumerate(reader(doc)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source, html = text(cell), MARKDOWN.render(text(cell))
        for what, pattern in RAW_MYST.items():
            for where in (source, html):
                found += [f"cell {k}: {what}: {m.group(0)!r}" for m in pattern.finditer(where)]
    assert not found, "\n".join(found)


def is_fold_cell(cell):
    return text(cell).startswith(f"#@title {reader_notebooks.FOLD_TITLE}\n")


def solution_regions(nb):
    """The chapter's cells between {solution-start} and {solution-end}, with the prose after a start."""
    inside, prose, code = False, [], []
    for cell in nb["cells"]:
        source = text(cell)
        if cell["cell_type"] == "code":
            if inside:
                code.append(source)
            continue
        for piece in re.split(r"(`{3,}\{solution-(?:start|end)\}[^\n]*\n(?::[^\n]*\n)*`{3,})", source):
            if "{solution-start}" in piece:
                inside = True
            elif "{solution-end}" in piece:
                inside = False
            elif inside and piece.strip():
                prose.append(piece.strip())
    return prose, code


@pytest.mark.parametrize("doc", pages())
def test_every_solution_is_folded(doc):
    """Solution prose is inside <details>, solution code in a form cell: none is in sight."""
    chapter, nb = load(ROOT / f"{doc}.ipynb"), reader(doc)
    prose, code = solution_regions(chapter)
    n_solutions = sum(text(c).count("{solution-start}") for c in chapter["cells"])
    summaries = sum(text(c).count("<summary>Solution to Exercise") for c in nb["cells"])
    assert summaries >= sum(1 for p in prose if p), (summaries, len(prose))
    markdown = [MARKDOWN.render(text(c)).strip() for c in nb["cells"] if c["cell_type"] == "markdown"]
    for piece in prose:
        first_words = MARKDOWN.render(piece.split("\n\n")[0]).strip()[3:60]
        holders = [h for h in markdown if first_words in h]
        assert holders, f"solution prose not found: {piece[:80]!r}"
        for h in holders:
            assert h.startswith("<details>") and h.endswith("</details>"), f"solution prose in sight: {h[:120]!r}"
    forms = {reader_notebooks.form_body(text(c)): c for c in nb["cells"]
             if c["cell_type"] == "code" and text(c).startswith("#@title")}
    for source in code:
        assert source in forms, f"solution code in sight: {source[:80]!r}"
        assert forms[source]["metadata"]["cellView"] == "form"
        assert text(forms[source]).startswith("#@title Solution to Exercise")
    if n_solutions:
        assert code or prose


@pytest.mark.parametrize("doc", pages())
def test_every_cell_the_site_hides_is_a_form(doc):
    chapter, nb = load(ROOT / f"{doc}.ipynb"), reader(doc)
    readers = [c for c in nb["cells"] if c["cell_type"] == "code" and not is_fold_cell(c)]
    chapters = [c for c in chapter["cells"] if c["cell_type"] == "code"]
    assert len(readers) == len(chapters), "a code cell was lost or added"
    for original, cell in zip(chapters, readers):
        hidden = set(original.get("metadata", {}).get("tags", [])) & HIDING
        body = reader_notebooks.form_body(text(cell))
        assert body == text(original), "the reader notebook changed a cell's code"
        if hidden:
            assert text(cell).startswith("#@title "), f"hidden on the site, shown in full: {body[:80]!r}"
            assert cell["metadata"]["cellView"] == "form"
            assert cell["metadata"]["jupyter"]["source_hidden"] is True


@pytest.mark.parametrize("doc", pages())
def test_install_cell_is_the_shared_one(doc):
    cells = [c for c in reader(doc)["cells"] if c["cell_type"] == "code"]
    if not cells:
        return
    assert text(cells[0]).split("\n", 1)[1] == install_cell_source()


def test_links_go_to_the_published_pages_and_their_labels():
    """Every link into the site names a page of the table of contents and, if any, one of its labels."""
    book = reader_notebooks.Book()
    site = site_url()
    assert site.startswith("https://") and site.endswith(".github.io/" + repository_url().split("/")[-1] + "/")
    anchors = {(e["doc"], e["anchor"]) for e in book.labels.values()}
    n_links = 0
    for doc in pages():
        for cell in reader(doc)["cells"]:
            for url in re.findall(r"\]\((" + re.escape(site) + r"[^)\s]*)\)", text(cell)):
                n_links += 1
                page, _, anchor = url.removeprefix(site).partition("#")
                if page:
                    assert page.endswith(".html") and (page[:-5] in pages() or page == "genindex.html"), url
                    assert not anchor or (page[:-5], anchor) in anchors, url
    assert n_links > 75, n_links   # the "Related errata" boxes alone have 75 references


@pytest.mark.site
def test_numbers_match_the_built_site():
    """Chapter and exercise numbers as on the built book's pages (make test builds it first)."""
    html_dir = ROOT / "_build" / "html"
    assert (html_dir / "index.html").exists(), "the book is not built: run `make book` first"
    for doc in pages():
        html = (html_dir / f"{doc}.html").read_text()
        markdown = "\n".join(text(c) for c in reader(doc)["cells"] if c["cell_type"] == "markdown")
        site = re.findall(r'<span class="caption-number">Exercise ([^ <]*) ', html)
        assert re.findall(r"\*\*Exercise ([^*]*)\*\*", markdown) == site, doc
        for level in (1, 2):   # "7", "B", "B.2"; "B.2.1" (the errata's pages per document)
            shown = re.findall(rf'<h{level}><span class="section-number">([0-9A-Z.]+?)\. </span>', html)
            assert re.findall(rf"^{'#' * level} ([0-9A-Z][0-9A-Z.]*)\. ", markdown, re.M) == shown, (doc, level)


def test_myst_to_markdown_conversions():
    """The constructs the chapters use, and some they may come to use, each on a small example."""
    book = reader_notebooks.Book()
    book.labels["eq-test"] = dict(doc="chapters/two_layer", anchor="equation-eq-test", kind="equation",
                                  number="7.1")
    convert = reader_notebooks.ReaderMarkdown(book, "chapters/gradient")
    convert.equations = iter(["2.9"])
    source = "\n".join([
        "(sec-x)=", "## A section", "", "See {ref}`ch-notation`, {eq}`eq-test` and {doc}`app_errata`.",
        "", "```{math}", ":label: eq-new", "a = b", "```", "", ":::{note}", "Careful {math}`x^2`.", ":::",
        "", "```python", "{ref}`inside code stays`", "```"])
    (kind, out), = convert.convert(source.splitlines())
    assert "(sec-x)=" not in out and "## 2.1. A section" in out
    site = site_url()
    assert f"[Notation and conventions]({site}chapters/notation.html#ch-notation)" in out
    assert f"[(7.1)]({site}chapters/two_layer.html#equation-eq-test)" in out
    assert f"]({site}chapters/app_errata.html)" in out
    assert "$$\na = b\n\\tag{2.9}\n$$" in out
    assert "> **Note**\n>\n> Careful $x^2$." in out
    assert "```python\n{ref}`inside code stays`\n```" in out
    with pytest.raises(ValueError, match="not a label"):
        convert.convert(["{ref}`no-such-label`"])


def test_index_markup_and_only_blocks_become_what_the_site_shows():
    """An ``{index}`` role is its text, an ``{index}`` directive nothing; ``{only} html`` is kept
    as plain text and ``{only} latex`` (the PDF's wording) is dropped, also in a figure caption."""
    book = reader_notebooks.Book()
    convert = reader_notebooks.ReaderMarkdown(book, "chapters/gradient")
    convert.figures = iter(["2.9"])
    source = "\n".join([
        "```{index} single: Jacobian; of softmax", "```", "The {index}`Jacobian <single: Jacobian>` and",
        "the {index}`gradient`.", "", "```{only} html", "Move the slider.", "```", "",
        "```{only} latex", "The printed frame.", "```", "", "After.", "",
        ":::{glue:figure} fig-x", ":name: fig-x", "A caption.", "", "```{only} html",
        "Move the rate.", "```", "", "```{only} not html", "Print words.", "```", ":::", "",
        "See the {ref}`genindex`."])
    (kind, out), = convert.convert(source.splitlines())
    assert out.startswith("The Jacobian and\nthe gradient.\n\nMove the slider.\n\nAfter."), out
    assert "{index}" not in out and "{only}" not in out and "Print" not in out and "printed" not in out
    assert "**Fig. 2.9.** A caption. Move the rate." in out
    assert f"[Index]({site_url()}genindex.html)" in out
    assert reader_notebooks.only_keeps("html and not latex")
    assert not reader_notebooks.only_keeps("latex")
    assert reader_notebooks.only_keeps("latex or format_latex", reader_notebooks.LATEX_TAGS)
    with pytest.raises(ValueError, match="only"):
        reader_notebooks.only_keeps("html; import os")


def _print_only(markdown_lines):
    """The sentences of ``{only} latex`` blocks (the PDF's wording), one string per block."""
    found, inside = [], None
    for line in markdown_lines:
        if inside is not None:
            if line.strip() == "```":
                found.append(" ".join(inside))
                inside = None
            else:
                inside.append(line.strip())
        elif line.startswith("```{only} latex"):
            inside = []
    return found


def test_reader_notebooks_show_no_index_or_print_only_markup():
    """Generated from chapters/, no reader notebook shows ``{index}``, ``{only}`` or a sentence
    of the PDF's wording, and each keeps the site's wording (the committed ones too)."""
    texts = reader_notebooks.reader_texts(values="recorded")
    committed = {p.name: p.read_text() for p in READERS.glob("*.ipynb")}
    wrong = []
    for doc, _ in toc_pages():
        name = f"{Path(doc).name}.ipynb"
        chapter = nbformat_markdown(ROOT / f"{doc}.ipynb")
        printed = [s[:50] for s in _print_only(chapter)]
        for origin, notebook in (("generated", texts[name]), ("committed", committed.get(name, ""))):
            cells = json.loads(notebook)["cells"] if notebook else []
            md = " ".join(" ".join(text(c).split()) for c in cells if c["cell_type"] == "markdown")
            for marker in ("{index}", "{only}"):
                if marker in md:
                    wrong.append(f"{origin} {name}: {marker}")
            wrong += [f"{origin} {name}: print wording {s!r}" for s in printed if s in md]
    assert not wrong, wrong
    assert any("Move the learning rate" in texts[n] for n in texts)   # the site's wording stays


def nbformat_markdown(path):
    cells = load(path)["cells"]
    return [line for c in cells if c["cell_type"] == "markdown" for line in text(c).splitlines()]


def test_pages_of_a_chapter_with_sections():
    """The errata's pages per source document: numbered B.1, B.2, B.3 with their headings,
    exercises numbered on through the appendix, the appendix page's own headings unnumbered."""
    book = reader_notebooks.Book()
    sections = toc_sections("chapters/app_errata")
    assert [book.number[d] for d in sections] == ["B.1", "B.2", "B.3"]
    assert all(book.chapter[d] == "B" and book.parent[d] == "chapters/app_errata" for d in sections)
    exercises = [n for d in ["chapters/app_errata", *sections] for n in book.exercises[d]]
    assert exercises == ["B.1", "B.2", "B.3"]
    assert book.labels["errata-thread-indices"]["doc"] == "chapters/app_errata_thread"
    index = "\n".join(text(c) for c in reader("chapters/app_errata")["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^# B\. Errata", index, re.M) and re.search(r"^## How to read this appendix$", index, re.M)
    thread = "\n".join(text(c) for c in reader(sections[1])["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^# B\.2\. The question-and-answer thread$", thread, re.M)
    assert re.search(r"^## B\.2\.1\. Indices that do not match$", thread, re.M)
    site = site_url()
    assert f"]({site}chapters/app_errata_thread.html#errata-thread-indices)" in index


def test_errata_count_role_counts_the_labels_of_a_page():
    """``{errata-count}`PAGE``` (``_ext/subpages.py``) becomes the number of errata- labels of PAGE."""
    book = reader_notebooks.Book()
    convert = reader_notebooks.ReaderMarkdown(book, "chapters/app_errata")
    thread = sum(1 for name, e in book.labels.items()
                 if name.startswith("errata-thread-") and e["doc"] == "chapters/app_errata_thread")
    assert thread >= 3
    (_, out), = convert.convert(["{errata-count}`chapters/app_errata_thread` entries"])
    assert out == f"{thread} entries"
    with pytest.raises(ValueError, match="not a page"):
        convert.convert(["{errata-count}`chapters/no_such_page`"])


@pytest.mark.site(needs=())   # builds two pages of its own
@pytest.mark.slow
def test_built_buttons_open_the_reader_notebook_at_the_tag(tmp_path):
    """Two pages built for real: the Colab button and the download name notebooks/NAME.ipynb at vX.Y.Z."""
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(".git", ".venv", "_build", "build", "*.egg-info",
                                                              ".pytest_cache", "__pycache__"))
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/preface\nparts:\n  - caption: Part\n"
                                   "    numbered: true\n    chapters:\n      - file: chapters/gradient\n")
    config = (book / "_config.yml").read_text().replace("execute_notebooks: force", 'execute_notebooks: "off"')
    (book / "_config.yml").write_text(config)
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(book), "-q"], check=True, capture_output=True, timeout=300)
    html = (book / "_build" / "html" / "chapters" / "gradient.html").read_text()
    colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', html)
    assert colab == [colab_url("gradient")]
    assert colab[0].endswith(f"/blob/v{package_version()}/notebooks/gradient.ipynb")
    download = re.findall(r'href="(\.\./_sources/[^"]+\.ipynb)"', html)
    assert download == ["../_sources/notebooks/gradient.ipynb"]
    served = book / "_build" / "html" / "_sources" / "notebooks" / "gradient.ipynb"
    assert served.read_text() == (READERS / "gradient.ipynb").read_text()


# -- glued numbers, solutions' results and the reader's first cell (issue 25, item 5) --------

GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)(?::([^`]*))?`")


def glued_names(doc):
    """``{name: format}`` of every value that page ``doc`` shows with a glue role."""
    chapter = load(ROOT / f"{doc}.ipynb")
    return {m.group(1): m.group(2) if m.group(2) is not None else "s"
            for c in chapter["cells"] if c["cell_type"] == "markdown"
            for m in GLUE_ROLE.finditer(text(c)) if not m.group(0).startswith("{glue:md}")}


def test_no_glue_name_is_left_in_any_reader_notebook():
    """Where the site shows a glued number, the reader notebook shows the number: no glue name,
    no role, and the build's value formatted as on the site, with a note on where it comes from."""
    names = {doc: glued_names(doc) for doc in pages()}
    assert sum(map(len, names.values())) >= 20, names   # the check reads the chapters' roles
    bad = []
    for doc in pages():
        nb = reader(doc)
        markdown = "\n\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
        recorded = nb["metadata"].get("book", {}).get("glue", {})
        assert sorted(recorded) == sorted(names[doc]), f"{doc}: recorded values {sorted(recorded)}"
        for name, fmt in names[doc].items():
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", markdown):
                bad.append(f"{doc}: the glue name {name!r} is in the text")
            shown = reader_notebooks.glued_text(recorded[name], fmt)
            if shown not in markdown:
                bad.append(f"{doc}: {name} = {shown} is not in the text")
        if names[doc] and "from the book's build" not in markdown:
            bad.append(f"{doc}: no note says where the numbers come from")
        bad += [f"{doc}: {m.group(0)}" for m in GLUE_ROLE.finditer(markdown)]
    assert not bad, "\n".join(bad)


def test_glued_values_are_formatted_as_the_site_formats_them():
    """myst-nb's own formatting (the site's): the same digits in both places."""
    assert reader_notebooks.glued_text("131.99258636645033", ".0f") == "132"
    assert reader_notebooks.glued_text("630", "s") == "630"
    assert reader_notebooks.glued_text("2.3333333333333335", ".2f") == "2.33"


def test_a_glued_name_without_a_value_says_what_to_run():
    book = reader_notebooks.Book()
    convert = reader_notebooks.ReaderMarkdown(book, "chapters/minibatch", {})
    with pytest.raises(ValueError, match=r"minibatch_speedup.*make book.*nbtool readers"):
        convert.convert(["a factor of {glue:text}`minibatch_speedup:.0f`."])
    convert = reader_notebooks.ReaderMarkdown(book, "chapters/minibatch", {"minibatch_speedup": "81.4"})
    (_, out), = convert.convert(["a factor of {glue:text}`minibatch_speedup:.0f`."])
    assert out.replace(reader_notebooks.GLUED, "") == "a factor of 81."


def test_the_values_come_from_a_build_of_the_current_chapter(tmp_path):
    """``readers`` takes a page's values from a build that ran the chapter's current code, and
    from no other build."""
    book = reader_notebooks.Book()
    doc = "chapters/minibatch"
    chapter = book.notebooks[doc]
    build = tmp_path / "jupyter_execute"
    (build / "chapters").mkdir(parents=True)
    glued = {"minibatch_speedup": {"output_type": "display_data", "metadata": {},
                                   "data": {"text/plain": "77.25"}}}
    (build / f"{doc}.glue.json").write_text(json.dumps(glued))
    (build / f"{doc}.ipynb").write_text(json.dumps(chapter))
    assert reader_notebooks.build_values(doc, chapter, build) == {"minibatch_speedup": "77.25"}
    book.pages = [p for p in book.pages if p[0] == doc]   # this page only
    made = json.loads(reader_notebooks.reader_texts(book, build=build)["minibatch.ipynb"])
    markdown = " ".join(text(c) for c in made["cells"] if c["cell_type"] == "markdown").replace("\n", " ")
    assert "factor of 77 from" in markdown and made["metadata"]["book"]["glue"] == {"minibatch_speedup": "77.25"}
    older = json.loads(json.dumps(chapter))
    next(c for c in older["cells"] if c["cell_type"] == "code")["source"] += "\n# an older chapter"
    (build / f"{doc}.ipynb").write_text(json.dumps(older))
    assert reader_notebooks.build_values(doc, chapter, build) == {}


def test_each_note_names_the_cell_that_prints_the_readers_own_number():
    """The cell the note points to ("the cell above/below") is the code cell that glues the value."""
    n_notes = 0
    for doc in pages():
        if not glued_names(doc):
            continue
        cells = reader(doc)["cells"]
        for k, cell in enumerate(cells):
            note = re.search(r"the cell (above|below)(?! that)", text(cell))
            if cell["cell_type"] != "markdown" or not note or "from the book's build" not in text(cell):
                continue
            step = -1 if note.group(1) == "above" else 1
            j = k + step
            while cells[j]["cell_type"] != "code":
                j += step
            body = reader_notebooks.form_body(text(cells[j]))
            assert re.search(r"\b(number|glue)\(", body), f"{doc}: cell {k} points to a cell that glues nothing"
            n_notes += 1
    assert n_notes >= 5, n_notes


def solution_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and text(c).startswith("#@title Solution")]


@pytest.mark.parametrize("doc", pages())
def test_solutions_keep_their_results_folded_on_run_all(doc):
    """Every solution's form cell starts with ``fold_output(show_result)``, after the one setup
    cell that defines it, so *Run all* shows nothing of what the solutions print."""
    cells = reader(doc)["cells"]
    solutions = solution_cells(reader(doc))
    folds = [k for k, c in enumerate(cells) if c["cell_type"] == "code" and is_fold_cell(c)]
    if not solutions:
        assert not folds
        return
    assert len(folds) == 1 and folds[0] < cells.index(solutions[0])
    assert text(cells[folds[0]]) == f"#@title {reader_notebooks.FOLD_TITLE}\n{reader_notebooks.FOLD_SOURCE}"
    for cell in solutions:
        head = text(cell).split("\n", 1)[1]
        assert head.startswith(reader_notebooks.SOLUTION_HEAD), head[:200]


@pytest.mark.notebook
def test_run_all_shows_no_solution_result_until_the_reader_asks(tmp_path):
    """Run in a kernel: a folded solution prints, displays and ends with an expression, and shows
    none of it; the next cell sees what it defined; with ``show_result = True`` it shows all;
    an error in a solution is still shown, and the cells after it print again."""
    import nbformat
    from nbclient import NotebookClient

    solution = ('print("printed")\n'
                'from IPython.display import display\n'
                'display("displayed")\n'
                'answer = 42\n'
                'answer * 2')
    head = f"#@title Solution to Exercise 1.1: the code\n{reader_notebooks.SOLUTION_HEAD}"
    cells = [nbformat.v4.new_code_cell(f"#@title {reader_notebooks.FOLD_TITLE}\n{reader_notebooks.FOLD_SOURCE}"),
             nbformat.v4.new_code_cell(head + solution),
             nbformat.v4.new_code_cell("print(answer)"),
             nbformat.v4.new_code_cell((head + solution).replace("show_result = False", "show_result = True")),
             nbformat.v4.new_code_cell(head + 'print("before")\nraise ValueError("in the solution")'),
             nbformat.v4.new_code_cell('print("after")')]
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()

    def shown(cell):
        return "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) + o.get("evalue", "")
                       for o in cell.outputs)

    assert nb.cells[1].outputs == [], shown(nb.cells[1])
    assert shown(nb.cells[2]).strip() == "42"
    assert "printed" in shown(nb.cells[3]) and "displayed" in shown(nb.cells[3]) and "84" in shown(nb.cells[3])
    assert [o.output_type for o in nb.cells[4].outputs] == ["error"] and "before" not in shown(nb.cells[4])
    assert shown(nb.cells[5]).strip() == "after"


@pytest.mark.parametrize("doc", pages())
def test_the_reader_notebook_speaks_to_readers(doc):
    """No sentence for the book's authors (how the notebook was generated, what the site or the
    printed book does); the provenance the maintainers need is in the metadata."""
    nb = reader(doc)
    first = text(nb["cells"][0])
    assert first.startswith("*") and "this page on the site" in first
    words = re.compile(r"Generated from|tools\.nbtool|printed book|(hidden|folded) on the site", re.I)
    for cell in nb["cells"]:
        where = text(cell) if cell["cell_type"] == "markdown" else text(cell).split("\n", 1)[0]
        assert not words.search(where), f"{doc}: {where[:160]!r}"
    assert nb["metadata"]["book"]["source"] == f"{doc}.ipynb"
    assert nb["metadata"]["book"]["generator"] == "python -m tools.nbtool readers"


@pytest.mark.site
def test_recorded_numbers_that_do_not_depend_on_the_machine_are_the_builds():
    """A glued number computed by a cell not tagged ``timing`` is the same on every machine, so
    the reader notebook's must be the built site's (else: `python -m tools.nbtool readers`)."""
    build = reader_notebooks.BUILD
    stale, n_checked = [], 0
    for doc in pages():
        chapter = load(ROOT / f"{doc}.ipynb")
        names = glued_names(doc)
        if not names:
            continue
        built = reader_notebooks.build_values(doc, chapter, build)
        assert built, f"{doc}: the build in {build} did not run this chapter's code: run `make book`"
        recorded = reader(doc)["metadata"]["book"]["glue"]
        timing = [re.compile(p.pattern) for k, ps in reader_notebooks.gluing_cells(chapter).items()
                  if "timing" in chapter["cells"][k].get("metadata", {}).get("tags", []) for p in ps]
        for name, fmt in names.items():
            if any(p.fullmatch(name) for p in timing):
                continue
            n_checked += 1
            ours, site = (reader_notebooks.glued_text(v[name], fmt) for v in (recorded, built))
            if ours != site:
                stale.append(f"{doc}: {name} is {ours} in the reader notebook, {site} on the site")
    assert n_checked >= 8, n_checked
    assert not stale, "\n".join(stale) + "\nrun `python -m tools.nbtool readers` after `make book`"


@pytest.mark.unit
def test_glued_text_formats_as_myst_nb_does():
    """The release check's copy of myst-nb's rule gives myst-nb's digits."""
    from myst_nb.core.variables import format_plain_text

    cases = [("81.2345", ".0f"), ("81.2345", ".1f"), ("0.000123", ".1e"), ("2", ""), ("'text'", ""),
             ("'text'", "s"), ("3.0", "d"), ("0.257", ".1%"), ("12", ".2f"), ("np.float64(1.5)", "")]
    for value, fmt in cases:
        try:
            want = format_plain_text(value, fmt)
        except ValueError:
            with pytest.raises(ValueError):
                reader_notebooks.glued_text(value, fmt)
            continue
        assert reader_notebooks.glued_text(value, fmt) == want, (value, fmt)
