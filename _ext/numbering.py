"""Local Sphinx extension: the site's page numbers are ``tools.book``'s (lettered appendices, issue 13).

The appendices form a numbered part of ``_toc.yml`` like the chapters, so
Sphinx numbers their sections, figures, equations and exercises per page
(sphinx-exercise's numbers are Sphinx's figure numbers). ``tools.book.toc_entries()``,
the one numbering of the book's pages, letters the chapters of the part "Appendices"
A, B, C; this extension gives the site those letters: "12.1" becomes "A.1",
"Exercise 13.2" becomes "Exercise B.2", and the sidebar reads "A. Derivations".
It also checks that Sphinx numbered every other chapter as ``tools.book`` does (a
warning, which fails the strict build, otherwise), so the site, the reader notebooks
and the PDF agree.

It runs on ``env-get-updated`` after Sphinx's own numbering (priority 900) and
rewrites every number of those pages each time, so it is idempotent.

An appendix with ``sections:`` in ``_toc.yml`` (the errata, one page per source
document) has its section pages numbered B.1, B.2, B.3, their headings B.1.1, ...;
the appendix page's own headings below its title are then unnumbered, and its
figures, equations and exercises run on through the section pages (Exercise B.3 may
be on page B.2).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from tools.book import toc_entries

logger = logging.getLogger(__name__)


def _lettered(number, letter):
    return (letter, *tuple(number)[1:]) if number else number


def _renumber(env, docname, change):
    """Apply ``change(number) -> number`` to every section number of ``docname``, here and in its toc."""
    secnumbers = env.toc_secnumbers.get(docname)
    if secnumbers:
        # An empty tuple, not a deleted key: Sphinx's HTML writer falls back to the page's
        # own number for a section whose anchor is missing.
        env.toc_secnumbers[docname] = {k: change(v) or () for k, v in secnumbers.items()}
    toc = env.tocs.get(docname)
    if toc is not None:
        for ref in toc.findall(nodes.reference):
            if ref.get("secnumber"):
                ref["secnumber"] = change(ref["secnumber"]) or ()
    title = env.titles.get(docname)   # the page's title where others name it: "next: B.1. ..."
    if title is not None and title.get("secnumber"):
        title["secnumber"] = change(title["secnumber"]) or ()


def _letter_appendices(app, env):
    entries = toc_entries(Path(app.srcdir))
    for entry in entries:
        doc, number, letter = entry["doc"], entry["number"], entry["chapter"]
        if not number or entry["parent"] or doc not in env.all_docs:
            continue
        if number.isdigit():   # a chapter: Sphinx numbered it, as the book does
            shown = env.toc_secnumbers.get(doc, {}).get("")
            if shown and shown != (int(number),):
                logger.warning(f"Sphinx numbers {doc} {'.'.join(map(str, shown))}, "
                               f"tools/book.py numbers it {number}", location=doc)
            continue
        sections = [e for e in entries if e["chapter"] == letter and e["parent"]]
        if sections:
            # Sphinx numbers the page's own sections and then its sections' pages in one
            # sequence (B.1 How to read, ..., B.5 the first section page). The section pages
            # read as the book numbers them, B.1, B.2, ..., and the page's own headings
            # below its title lose their numbers.
            _renumber(env, doc, lambda n, letter=letter: (letter,) if len(n) == 1 else None)
            for section in sections:
                page = tuple(section["number"].split(".")[:2])
                prefix = (letter, *map(int, page[1:]))
                _renumber(env, section["doc"], lambda n, prefix=prefix: (*prefix, *tuple(n)[2:]) if n else n)
        else:
            _renumber(env, doc, lambda n, letter=letter: _lettered(n, letter))
        # Figures, equations and exercises are numbered per chapter (numfig_secnum_depth 1),
        # on through the section pages: only the chapter's number becomes its letter.
        for page in [doc, *(e["doc"] for e in sections)]:
            fignumbers = env.toc_fignumbers.get(page)
            if fignumbers:
                env.toc_fignumbers[page] = {
                    figtype: {k: _lettered(v, letter) for k, v in numbers.items()}
                    for figtype, numbers in fignumbers.items()
                }
    return []


def setup(app):
    app.connect("env-get-updated", _letter_appendices, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
