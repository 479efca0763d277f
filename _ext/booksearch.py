"""Local Sphinx extension: search results that quote the page and list it once (issue 25, item 4).

The search page keeps Sphinx's own ``searchtools.js`` and index; ``static/booksearch.js``,
added to that page only, wraps two of its functions:

- ``Search.htmlToText``, which gives the text a result's snippet is cut from: Sphinx takes
  the whole ``[role=main]`` element, which in sphinx-book-theme also holds the header's
  buttons, the in-page "Contents" box and the previous/next links, so snippets read
  "...The Jacobian Contents...". The wrapper keeps the page's ``article`` only and drops
  every control's label (buttons, "Show code cell source" summaries);
- ``Search._performSearch``, whose results list a page once per matching title, section or
  term: the wrapper keeps each page's best entry, and ranks first the pages whose own title
  holds every word of the query, the shorter title first (so "softmax" lists "Softmax and
  cross-entropy" before "The Jacobian", which has a section "Softmax").

Why not ``html_search_scorer``: a scorer sees one result at a time and not the query, so it
can neither merge a page's entries nor know that a title matches the query; and no
index-time hook decides what a snippet quotes, since snippets are cut from the fetched page
in the browser. ``tests/test_search.py`` types queries into the built search page.

Only the search page loads the index. pydata-sphinx-theme's layout loads ``searchtools.js``,
``language_data.js`` and ``searchindex.js`` on every page, for its search-as-you-type
field; with that field off (its default, and this book's) nothing on another page reads
them, and they were a sixth of a first visit (``tests/test_page_weight.py``). When the
build is finished, ``_drop_inline_search`` takes the three tags out of every other page.
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
SCRIPT = "booksearch.js"


def _config_inited(app, config):
    if not (STATIC / SCRIPT).is_file():
        raise RuntimeError(f"booksearch: {STATIC / SCRIPT} is missing")
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def _search_page_script(app, pagename, templatename, context, doctree):
    if pagename == "search":
        app.add_js_file(SCRIPT, loading_method="defer", priority=600)   # after mathsearch.js


#: The three tags of pydata-sphinx-theme's layout that load the search tools on a page.
INLINE_SEARCH = re.compile(
    r'\s*<script src="[^"]*_static/searchtools\.js"></script>'
    r'\s*<script src="[^"]*_static/language_data\.js"></script>'
    r'\s*<script src="[^"]*searchindex\.js"></script>')


def drop_inline_search(outdir: Path) -> int:
    """Remove the search tools' tags from every page of ``outdir`` but the search page; the count."""
    changed = 0
    for page in Path(outdir).rglob("*.html"):
        if page == Path(outdir) / "search.html":
            continue
        text = page.read_text(encoding="utf-8")
        new = INLINE_SEARCH.sub("", text, count=1)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def _drop_inline_search(app, exception):
    options = app.config.html_theme_options or {}
    if exception is None and app.builder.format == "html" and not options.get("search_as_you_type"):
        drop_inline_search(Path(app.outdir))


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _search_page_script)
    app.connect("build-finished", _drop_inline_search)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
