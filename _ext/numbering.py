"""Local Sphinx extension: lettered appendices (issue 13).

The appendices form a numbered part of ``_toc.yml`` like the chapters, so
Sphinx numbers their sections, figures, equations and exercises per page
(sphinx-exercise's numbers are Sphinx's figure numbers). This extension then
replaces each appendix's chapter number with its letter, in order A, B, C, ...
(``bp_appendices`` in ``_config.yml`` lists them): "12.1" becomes "A.1",
"Exercise 13.2" becomes "Exercise B.2", and the sidebar reads "A. Derivations".

It runs on ``env-get-updated`` after Sphinx's own numbering (priority 900) and
rewrites every number of those pages each time, so it is idempotent.

An appendix with ``sections:`` in ``_toc.yml`` (the errata, one page per source
document) has its section pages numbered B.1, B.2, B.3, their headings B.1.1, ...;
the appendix page's own headings below its title are then unnumbered, and its
figures, equations and exercises run on through the section pages (Exercise B.3 may
be on page B.2).
"""

from __future__ import annotations

from string import ascii_uppercase

from docutils import nodes


def _lettered(number, letter):
    return (letter, *tuple(number)[1:]) if number else number


def _descendants(env, docname):
    """The pages under ``docname`` in the table of contents (its ``sections:``), in reading order."""
    found = []
    for child in env.toctree_includes.get(docname, []):
        found += [child, *_descendants(env, child)]
    return found


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
    for docname, letter in zip(app.config.bp_appendices, ascii_uppercase):
        sections = _descendants(env, docname)
        if sections:
            # Sphinx numbers the page's own sections and then its sections' pages in one
            # sequence (B.1 How to read, ..., B.5 the first section page). The section pages
            # are to read B.1, B.2, ...: they are renumbered by their place in the table of
            # contents, and the page's own headings below its title lose their numbers.
            _renumber(env, docname, lambda n, letter=letter: (letter,) if len(n) == 1 else None)
            for k, child in enumerate(env.toctree_includes[docname], start=1):
                for doc in [child, *_descendants(env, child)]:
                    _renumber(env, doc, lambda n, k=k, letter=letter: (letter, k, *tuple(n)[2:]) if n else n)
        else:
            _renumber(env, docname, lambda n, letter=letter: _lettered(n, letter))
        # Figures, equations and exercises are numbered per chapter (numfig_secnum_depth 1),
        # on through the section pages: only the chapter's number becomes its letter.
        for doc in [docname, *sections]:
            fignumbers = env.toc_fignumbers.get(doc)
            if fignumbers:
                env.toc_fignumbers[doc] = {
                    figtype: {k: _lettered(v, letter) for k, v in numbers.items()}
                    for figtype, numbers in fignumbers.items()
                }
    return []


def setup(app):
    app.add_config_value("bp_appendices", [], "env")
    app.connect("env-get-updated", _letter_appendices, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
