"""Local Sphinx extension: lighter pages (issue 13, item 8), the theme's part.

pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` (Font Awesome's SVG framework
with every icon, 1.49 MB) on every page, "so that users can add custom icons". The book
adds none. The theme's stylesheet already carries Font Awesome's CSS and its web fonts
(``_static/vendor/fontawesome/webfonts``), which draw every ``<i class="fa-...">`` icon of
the header buttons; the script would only swap those glyphs for inline SVGs. So the script
tag is removed from every page and the script from ``_static``. The header icons were
checked in screenshots at 1280 and 390 px, light and dark, with and without the script.

Without the script the icons stay ``<i>`` elements, and the few theme rules written for
the script's ``<svg>`` (the search box's magnifying glass, which would otherwise sit on
the query's first letter) are given for ``<i>`` in ``static/pagesize.css``.

The tag is written by the theme's template macro (``webpack-macros.html``), not through
``script_files``, so an ``html-page-context`` hook cannot drop it; it is removed from the
written pages once the build has finished. tests/test_page_weight.py measures the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

FONTAWESOME_JS = "_static/scripts/fontawesome.js"
_TAG = re.compile(r'[ \t]*<script\b[^>]*\bsrc="[^"]*scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\n?')
_COMMENT = re.compile(r"[ \t]*<!-- So that users can add custom icons -->\n?")


def drop_fontawesome_script(page_html: str) -> str:
    """``page_html`` without the tag that loads ``fontawesome.js`` (and the theme's comment on it)."""
    return _COMMENT.sub("", _TAG.sub("", page_html))


def _drop_fontawesome(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        if "fontawesome.js" in text:
            page.write_text(drop_fontawesome_script(text), encoding="utf-8")
    for suffix in ("", ".map", ".LICENSE.txt"):
        (outdir / (FONTAWESOME_JS + suffix)).unlink(missing_ok=True)


STATIC = Path(__file__).parent / "static"


def _config_inited(app, config):
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.connect("config-inited", _config_inited)
    app.add_css_file("pagesize.css")
    app.connect("build-finished", _drop_fontawesome)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
