"""Local Sphinx extension: the PDF is typeset as a book (``make pdf``, Sphinx's LaTeX builder).

``jupyter-book build . --builder latex`` writes ``_build/latex/book.tex``; XeLaTeX (latexmk,
Debian's TeX Live) makes ``book.pdf`` of it. This extension gives that build a book's parts
and a book's page, and leaves every other builder alone:

- the page: A4, a 12 pt serif (FreeSerif, with Unicode's Greek and mathematical symbols)
  on a 118 mm measure (about 70 characters a line) with 46 mm margins; code in DejaVu Sans
  Mono at 6.65 pt, whose large x-height reads like an 8.5 pt serif, so that the book's 79
  columns fit the measure (``_ext/latex/backpropbook.sty`` has the rest of the page design);
- a title page made of the book's facts (``tools.book``: title, version, address);
- a contents with page numbers, a page for every part of ``_toc.yml``, the appendices
  lettered A, B, C by LaTeX's ``\\appendix`` (as ``tools.book`` letters them on the site);
- cross-references that print their number and page: "Chapter 5, *title* (page 80)",
  "§5.2 *title* (page 84)" (``latex_show_pagerefs``, and the number put before the title);
- exercise solutions collected at the end of their chapter, under "Solutions to the
  exercises", each exercise saying on which page its solution is;
- an index, from the ``{index}`` entries of the chapters (the same entries as the site's
  Index page).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from tools import book

HERE = Path(__file__).resolve().parent
STY = HERE / "latex" / "backpropbook.sty"

# FreeSerif (fonts-freefont-otf) has the Greek letters and mathematical signs that the book
# prints outside math; DejaVu Sans Mono (fonts-dejavu-core) the same for code and its output.
FONTS = r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic,
  BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique]
\setmonofont{DejaVu Sans Mono}[Scale=0.665]
"""


def title_page(root: Path = book.ROOT) -> str:
    """The LaTeX of the title page: title, authors, version and address, from ``tools.book``."""
    esc = _tex_escape
    return (
        "\\begin{titlepage}\n\\centering\n\\vspace*{35mm}\n"
        f"{{\\fontsize{{28}}{{34}}\\selectfont\\bfseries {esc(book.title(root))}\\par}}\n"
        "\\vspace{12mm}\n"
        "{\\Large Derivations proved by machine, backpropagation in NumPy,\\\\ "
        "and exercises that check your answers\\par}\n"
        "\\vfill\n"
        f"{{\\large {esc(_author(root))}\\par}}\n\\vspace{{6mm}}\n"
        f"{{\\normalsize Version {esc(book.package_version(root))}\\par}}\n\\vspace{{2mm}}\n"
        f"{{\\small\\ttfamily {esc(book.site_url(root))}\\par}}\n"
        f"{{\\small\\ttfamily {esc(book.repository_url(root))}\\par}}\n"
        "\\vspace*{20mm}\n\\end{titlepage}\n"
    )


def _author(root: Path) -> str:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text())["author"]


def _tex_escape(text: str) -> str:
    for char, repl in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                       ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
                       ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")):
        text = text.replace(char, repl)
    return text


def _configure(app, config):
    root = Path(app.srcdir)
    config.latex_engine = "xelatex"
    root_doc = book.toc_entries(root)[0]["doc"]   # _toc.yml's root: the book's first page
    config.latex_documents = [(root_doc, "book.tex", book.title(root), _author(root),
                               "manual")]
    config.latex_additional_files = [*config.latex_additional_files, str(STY)]
    config.latex_show_pagerefs = True
    config.latex_show_urls = "footnote"
    config.latex_use_xindy = False          # makeindex: TeX Live's xindy is not installed
    config.latex_elements = {
        **config.latex_elements,
        "papersize": "a4paper",
        "pointsize": "12pt",
        "extraclassoptions": "openany,oneside",
        "fontpkg": FONTS,
        "fncychap": "\\usepackage[Sonny]{fncychap}",
        "sphinxsetup": "hmargin={46mm,46mm}, vmargin={28mm,32mm}, marginpar=18mm, "
                       "VerbatimColor={rgb}{0.97,0.97,0.97}, VerbatimBorderColor={rgb}{0.8,0.8,0.8}",
        "fvset": "\\fvset{fontsize=\\footnotesize}",
        "preamble": "\\usepackage{backpropbook}",
        "maketitle": title_page(root),
        "releasename": "Version",
    }


def _in_latex(app) -> bool:
    return app.builder.name == "latex"


# -- the assembled doctree (doctree-resolved on the root document) ------------------------------

def _own(page, cls, nested=False):
    """``(node, parent)`` of every ``cls`` node of the page ``page`` itself, in order, not of
    the pages nested in it unless ``nested`` (read from the top: transforms that set
    ``children`` directly leave some ``parent`` links unset)."""
    found = []

    def walk(node):
        for child in node.children:
            if isinstance(child, addnodes.start_of_file) and not nested:
                continue
            if isinstance(child, cls):
                found.append((child, node))
            if isinstance(child, nodes.Element):
                walk(child)

    walk(page)
    return found


def _unboxed(solution, docname):
    """A solution as a run-in heading and its text, not a box: LaTeX cannot break a box with
    code inside across pages (a long solution ran past the foot of the page)."""
    label = f"{docname}:{solution['label']}"
    title = solution.children[0] if isinstance(solution.children[0], nodes.title) else None
    heading = nodes.paragraph(classes=["bp-solution-title"])
    heading += nodes.raw("", f"\\phantomsection\\label{{{label}}}\\label{{bp-solution:{label}}}",
                         format="latex")
    strong = nodes.strong()
    # the title's nodes, not its text (its exercise number is resolved when written), less the
    # link to the exercise, whose page reference has no target in LaTeX
    if title is None:
        strong += nodes.Text("Solution")
    for child in (title.children if title else []):
        if isinstance(child, nodes.reference):
            strong.extend(c.deepcopy() for c in child.children)
        else:
            strong += child.deepcopy()
    heading += strong
    body = nodes.container(classes=["bp-solution"])
    body += heading
    for child in solution.children[1 if title else 0:]:
        # sphinx-exercise keeps a solution's text in an untitled section: its children only
        parts = child.children if isinstance(child, nodes.section) else [child]
        body.extend(part.deepcopy() for part in parts if not isinstance(part, nodes.title))
    return body


def _solutions_to_chapter_ends(app, doctree):
    """Move each solution to a last section of its page; each exercise says on which page.

    sphinx-jupyterbook-latex wraps each part in a ``start_of_file`` named after its caption;
    only the pages of the book (``env.all_docs``) are looked at, each for its own solutions.
    """
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node

    for page in list(doctree.findall(addnodes.start_of_file)):
        docname = page["docname"]
        if docname not in app.env.all_docs:
            continue
        solutions = _own(page, solution_node)
        if not solutions:
            continue
        top = _own(page, nodes.section)[0][0]
        section = nodes.section(ids=[f"{docname.replace('/', '-')}-solutions"], names=[])
        section += nodes.title(text="Solutions to the exercises")
        for solution, parent in solutions:
            parent.remove(solution)
            section += _unboxed(solution, docname)
        top += section
        exercises = {n.get("label"): n for n, _ in _own(
            page, (exercise_node, exercise_enumerable_node))}
        for solution, _ in solutions:
            exercise = exercises.get(solution.get("target_label"))
            if exercise is None:
                continue
            # a label inside the solution's box: sphinx-exercise's own stands before the box,
            # on the previous page when the box does not fit at the bottom of a page
            label = f"bp-solution:{docname}:{solution['label']}"
            exercise += nodes.raw("", f"\\bpSolutionOn{{{label}}}\n", format="latex")


def _appendix(app, doctree):
    """``\\appendix`` before the first chapter of the part "Appendices" (lettered A, B, C)."""
    first = next((e["doc"] for e in book.toc_entries(Path(app.srcdir))
                  if e.get("part") == book.APPENDICES), None)
    if first is None:
        return
    for chapter in doctree.findall(addnodes.start_of_file):
        if chapter["docname"] == first:
            chapter.insert(0, nodes.raw("", "\\appendix\n", format="latex"))
            return


def _numbered_references(app, doctree):
    """Put the number before the title of every reference to a chapter or a section.

    Sphinx prints a ``{ref}`` as the title it points to, and ``latex_show_pagerefs`` adds
    "(page N)"; the number comes from LaTeX (``\\ref``), so it is the number printed at the
    target: "Chapter 5, *title* (page 80)", "Appendix B, ...", "§5.2 *title* (page 84)".
    """
    pages = {e["doc"]: e for e in book.toc_entries(Path(app.srcdir))}
    targets = {}
    for page in doctree.findall(addnodes.start_of_file):
        entry = pages.get(page["docname"])
        if entry is None or entry["number"] is None:
            continue                       # a part's wrapper, or the unnumbered preface
        parent_page = any(e["parent"] == page["docname"] for e in pages.values())
        for k, (section, _) in enumerate(_own(page, nodes.section)):
            if k and parent_page:
                continue                   # unnumbered (_unnumbered_parent_headings)
            if k == 0 and entry["parent"] is None:
                kind = "Appendix" if entry["part"] == book.APPENDICES else "Chapter"
            else:
                kind = "§"
            for id_ in section["ids"]:
                targets[(page["docname"], id_)] = kind
    for ref, parent in _own(doctree, nodes.reference, nested=True):
        uri = ref.get("refuri", "")
        if not uri.startswith("%") or "#" not in uri or not len(ref):
            continue
        if "std-ref" not in getattr(ref[0], "get", lambda *_: [])("classes", []):
            continue
        docname, id_ = uri[1:].split("#", 1)
        kind = targets.get((docname, id_))
        if kind is None:
            continue
        label = f"\\ref{{\\detokenize{{{docname}:{id_}}}}}"
        text = f"§{label}\\," if kind == "§" else f"{kind}~{label}, "
        parent.insert(parent.index(ref), nodes.raw("", text, format="latex"))


def _unnumbered_parent_headings(app, doctree):
    """A page with ``sections:`` in ``_toc.yml`` (the errata) numbers its section pages B.1,
    B.2, B.3 on the site and leaves its own headings unnumbered (``_ext/numbering.py``); the
    same here, so that LaTeX's numbers are the site's."""
    parents = {e["parent"] for e in book.toc_entries(Path(app.srcdir)) if e["parent"]}
    for page in doctree.findall(addnodes.start_of_file):
        if page["docname"] not in parents:
            continue
        top = _own(page, nodes.section)[0][0]
        wrapper = next((k for k, child in enumerate(top.children)
                        if any(isinstance(n, addnodes.start_of_file) for n in child.findall())), None)
        if wrapper is None:
            continue
        top.insert(wrapper, nodes.raw("", "\\bpUnnumberedEnd\n", format="latex"))
        top.insert(1, nodes.raw("", "\\bpUnnumberedBegin\n", format="latex"))


def _table_widths(doctree):
    """Column widths from each column's text, and long tables that break across pages.

    MyST asks for natural column widths, which LaTeX gives a table of more than 30 rows as
    ``l`` columns that never wrap (the errata's index ran 120 mm past the page), and a
    shorter one as ``tabulary`` columns that starve the narrow ones (the notation table's
    names of code were cut). Here each column gets a width from its longest word and its
    typical entry, and a table of more than 8 rows may break across pages (``longtable``).
    """
    for table, _ in _own(doctree, nodes.table, nested=True):
        groups = list(table.findall(nodes.tgroup))
        if len(groups) != 1:
            continue
        colspecs = [c for c in groups[0].children if isinstance(c, nodes.colspec)]
        rows = list(groups[0].findall(nodes.row))
        columns = [[] for _ in colspecs]
        for row in rows:
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            if len(entries) == len(colspecs):
                for k, entry in enumerate(entries):
                    columns[k].append(entry.astext())
        if not rows or not all(columns):
            continue
        for colspec, texts in zip(colspecs, columns):
            longest_word = max((len(w) for t in texts for w in t.split()), default=1)
            filled = sorted(len(t) for t in texts if t.strip()) or [1]
            typical = filled[len(filled) // 2]
            # a long text column gets room, but not so much that it starves the short ones
            colspec["colwidth"] = max(4, longest_word + 2, round(4 * typical ** 0.5))
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"]
        table["classes"] += ["colwidths-given"] + (["longtable"] if len(rows) > 8 else [])


def _preface(app, doctree):
    """The first page's title as an unnumbered chapter, in the contents and the running heads.

    sphinx-jupyterbook-latex prints the root document's text without its title (the title
    page has the book's); its sections become headings of the same unnumbered chapter."""
    root = app.config.latex_documents[0][0]
    title = _tex_escape(app.env.titles[root].astext())
    section = next(doctree.findall(nodes.section))
    section.insert(1, nodes.raw("", f"\\chapter*{{{title}}}\\addcontentsline{{toc}}{{chapter}}"
                                    f"{{{title}}}\\markboth{{{title}}}{{{title}}}\n", format="latex"))


def _visit_root_header(self, node):
    self.body.append("\\section*{" if node["level"] <= 2 else "\\subsection*{")


def _depart_root_header(self, node):
    self.body.append("}\n")


def _resolved(app, doctree, docname):
    if not _in_latex(app) or docname != app.config.latex_documents[0][0]:
        return
    # The environment numbered figures per chapter (``_builder_inited``); LaTeX counts its
    # levels from the part, so its counters reset per chapter at depth 2 (from here on only
    # the LaTeX writer reads the setting).
    app.config.numfig_secnum_depth = 2
    _preface(app, doctree)
    _solutions_to_chapter_ends(app, doctree)
    _appendix(app, doctree)
    _unnumbered_parent_headings(app, doctree)
    _numbered_references(app, doctree)
    _table_widths(doctree)


def _builder_inited(app):
    """sphinx-jupyterbook-latex numbers figures per section (depth 2) when the book has parts,
    so that its exercises read "Exercise 1.7.1"; the book's numbers are per chapter (1.1)."""
    if _in_latex(app):
        app.config.numfig_secnum_depth = 1
        # the root page's headings as unnumbered sections of the preface, not bold lines
        from sphinx_jupyterbook_latex.nodes import RootHeader

        app.add_node(RootHeader, override=True, latex=(_visit_root_header, _depart_root_header))


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _builder_inited, priority=900)
    app.connect("doctree-resolved", _resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
