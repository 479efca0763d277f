"""Local Sphinx extension: pages split into sections keep their old addresses (issue 13, item 9).

A page whose ``sections:`` in ``_toc.yml`` took over part of its content (the errata
appendix: one page per source document) loses anchors that bookmarks, other sites and
earlier reader notebooks link to, e.g. ``chapters/app_errata.html#errata-thread-indices``.

1. On such a page's HTML this extension adds a small script, in the page's head, with a
   map from every anchor of its sections' pages (labels, section ids, equations, figures,
   exercises) to the page that now holds it. When the address's ``#anchor`` names one of
   them, the script sends the reader there with ``location.replace`` (on load and on a
   change of the hash). The map is made at build time from the doctrees, so it follows
   the labels as they move; anchors the page itself still has are left out.
2. The role ``{errata-count}`PAGE``` is the number of ``errata-`` labels on ``PAGE``
   (a docname), counted from the labels when references are resolved, so that a page can
   say how many entries another page has without a number written by hand.
   ``tools/reader_notebooks.py`` counts the same way for the reader notebooks.
"""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

PREFIX = "errata-"

SCRIPT = """(function () {
  var moved = %s;
  function follow() {
    var anchor = decodeURIComponent(window.location.hash.slice(1));
    if (Object.prototype.hasOwnProperty.call(moved, anchor)) {
      window.location.replace(moved[anchor] + "#" + encodeURIComponent(anchor));
    }
  }
  follow();
  window.addEventListener("hashchange", follow);
})();"""


class errata_count(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils names nodes in lower case)
    """Placeholder for the number of entries of a page, filled in when references are resolved."""


def errata_count_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = errata_count(rawtext, "", target=text.strip().removesuffix(".ipynb"))
    node.source, node.line = inliner.document.get("source"), lineno
    return [node], []


def entry_count(env, docname: str) -> int:
    labels = env.domaindata["std"]["labels"]
    return sum(1 for name, (doc, _, _) in labels.items() if doc == docname and name.startswith(PREFIX))


def _fill_counts(app, doctree, fromdocname):
    for node in list(doctree.findall(errata_count)):
        target = node["target"]
        if target not in app.env.all_docs:
            logger.warning(f"{{errata-count}}: {target!r} is not a page of the book", location=node)
            node.replace_self(nodes.Text("?"))
            continue
        node.replace_self(nodes.Text(str(entry_count(app.env, target))))


def descendants(env, docname: str) -> list[str]:
    """The pages under ``docname`` in the table of contents, in reading order."""
    found = []
    for child in env.toctree_includes.get(docname, []):
        found += [child, *descendants(env, child)]
    return found


def moved_anchors(app, docname: str, doctree) -> dict[str, str]:
    """``{anchor: relative address of the page that holds it}`` for the sections of ``docname``."""
    here = {i for node in doctree.findall(nodes.Element) for i in node.get("ids", [])}
    moved = {}
    for child in descendants(app.env, docname):
        uri = app.builder.get_relative_uri(docname, child)
        for node in app.env.get_doctree(child).findall(nodes.Element):
            for anchor in node.get("ids", []):
                if anchor not in here:
                    moved.setdefault(anchor, uri)
    return dict(sorted(moved.items()))


def _add_redirect(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or doctree is None or not app.env.toctree_includes.get(pagename):
        return
    moved = moved_anchors(app, pagename, doctree)
    if moved:
        app.add_js_file(None, body=SCRIPT % json.dumps(moved, indent=None, separators=(",", ":")),
                        priority=1)


def setup(app):
    app.add_node(errata_count)
    app.add_role("errata-count", errata_count_role)
    app.connect("doctree-resolved", _fill_counts)
    app.connect("html-page-context", _add_redirect)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
