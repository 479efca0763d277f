"""Local Sphinx extension: a link to a section whose title has math shows the math typeset.

Sphinx writes the text of a ``{ref}`label``` link without an explicit title as the plain
text of the section title, so a title with math, such as "A factor ∂W/∂a that does not
exist", became the link text "A factor \\partial W / \\partial a that does not exist" on
the site and in the PDF. After references are resolved, this copies the title's nodes
(its math included) into every such link instead.
"""

from __future__ import annotations

import copy

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class MathInLinkTitles(SphinxPostTransform):
    default_priority = 20   # after ReferencesResolver (10)

    def run(self, **kwargs):
        std = self.env.get_domain("std")
        by_title = {}
        for docname, labelid, sectname in std.labels.values():
            if sectname and "\\" in sectname:
                by_title.setdefault(sectname, (docname, labelid))
        if not by_title:
            return
        doctrees = {}
        for inline in list(self.document.findall(nodes.inline)):
            if "std-ref" not in inline.get("classes", []) or inline.astext() not in by_title:
                continue
            docname, labelid = by_title[inline.astext()]
            if docname not in doctrees:
                doctrees[docname] = self.env.get_doctree(docname)
            section = doctrees[docname].ids.get(labelid)
            if section is None or not section.children or not isinstance(section[0], nodes.title):
                continue
            inline.children = []
            for child in section[0].children:
                if not isinstance(child, nodes.reference):
                    inline += copy.deepcopy(child)


def setup(app):
    app.add_post_transform(MathInLinkTitles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
