"""Local Sphinx extension: a link to a section whose title has math shows the math typeset.

Sphinx writes the text of a ``{ref}`label``` link without an explicit title as the plain
text of the section title, so a title with math, such as "A factor ∂W/∂a that does not
exist", became the link text "A factor \\partial W / \\partial a that does not exist" on
the site and in the PDF. The titles with math are remembered as the documents are read;
after references are resolved, every such link gets a copy of its title's nodes instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


def _remember_titles(app, doctree):
    """Section titles with math, by their plain text (what a link without a title shows)."""
    titles = app.env.__dict__.setdefault("refmath_titles", {})
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            title = section[0]
            if any(isinstance(n, nodes.math) for n in title.findall()):
                kept = [c.deepcopy() for c in title.children if not isinstance(c, nodes.reference)]
                titles[title.astext()] = (app.env.docname, kept)


def _forget(app, env, docname):
    titles = env.__dict__.get("refmath_titles", {})
    for text in [t for t, (doc, _) in titles.items() if doc == docname]:
        del titles[text]


def _merge(app, env, docnames, other):
    env.__dict__.setdefault("refmath_titles", {}).update(other.__dict__.get("refmath_titles", {}))


class MathInLinkTitles(SphinxPostTransform):
    default_priority = 20   # after ReferencesResolver (10)

    def run(self, **kwargs):
        titles = self.env.__dict__.get("refmath_titles", {})
        if not titles:
            return
        for inline in list(self.document.findall(nodes.inline)):
            text = inline.astext()
            if "std-ref" in inline.get("classes", []) and text in titles:
                inline.children = []
                for child in titles[text][1]:
                    inline += child.deepcopy()


def setup(app):
    app.connect("doctree-read", _remember_titles)
    app.connect("env-purge-doc", _forget)
    app.connect("env-merge-info", _merge)
    app.add_post_transform(MathInLinkTitles)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
