"""Local Sphinx extension: the site's download button offers the whole book as a PDF.

``make pdf`` writes ``_build/pdf/book.pdf`` (Sphinx's LaTeX builder and XeLaTeX,
``_ext/latexbook.py``). When that file exists at the time of the HTML build, every page's
download drop-down (sphinx-book-theme) gets a "book.pdf" entry, and the file is copied to
the site's root. Without it, the button is as the theme makes it (and no link points at a
missing file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

PDF_NAME = "book.pdf"


def _pdf(app) -> Path:
    return Path(app.srcdir) / "_build" / "pdf" / PDF_NAME


def _add_button(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or not _pdf(app).exists():
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link",
                "url": context["pathto"](PDF_NAME, 1),
                "text": "book.pdf",
                "tooltip": "Download the whole book as a PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def _copy_pdf(app, exception):
    if exception is None and app.builder.name == "html" and _pdf(app).exists():
        shutil.copy2(_pdf(app), Path(app.outdir) / PDF_NAME)


def setup(app):
    app.connect("html-page-context", _add_button, priority=600)  # after the theme's (501)
    app.connect("build-finished", _copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
