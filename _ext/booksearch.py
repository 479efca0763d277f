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
"""

from __future__ import annotations

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


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _search_page_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
