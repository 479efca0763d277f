"""Local Sphinx extension: lettered appendices (issue 13).

The appendices form a numbered part of ``_toc.yml`` like the chapters, so
Sphinx numbers their sections, figures, equations and exercises per page
(sphinx-exercise's numbers are Sphinx's figure numbers). This extension then
replaces each appendix's chapter number with its letter, in order A, B, C, ...
(``bp_appendices`` in ``_config.yml`` lists them): "12.1" becomes "A.1",
"Exercise 13.2" becomes "Exercise B.2", and the sidebar reads "A. Derivations".

It runs on ``env-get-updated`` after Sphinx's own numbering (priority 900) and
rewrites every number of those pages each time, so it is idempotent.
"""

from __future__ import annotations

from string import ascii_uppercase

from docutils import nodes


def _lettered(number, letter):
    return (letter, *tuple(number)[1:]) if number else number


def _letter_appendices(app, env):
    for docname, letter in zip(app.config.bp_appendices, ascii_uppercase):
        secnumbers = env.toc_secnumbers.get(docname)
        if secnumbers:
            env.toc_secnumbers[docname] = {k: _lettered(v, letter) for k, v in secnumbers.items()}
        fignumbers = env.toc_fignumbers.get(docname)
        if fignumbers:
            env.toc_fignumbers[docname] = {
                figtype: {k: _lettered(v, letter) for k, v in numbers.items()}
                for figtype, numbers in fignumbers.items()
            }
        toc = env.tocs.get(docname)
        if toc is not None:
            for ref in toc.findall(nodes.reference):
                if ref.get("secnumber"):
                    ref["secnumber"] = _lettered(ref["secnumber"], letter)
    return []


def setup(app):
    app.add_config_value("bp_appendices", [], "env")
    app.connect("env-get-updated", _letter_appendices, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
