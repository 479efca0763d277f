"""Local Sphinx extension: the book's CSS for figures and code (issue 13).

Adds two stylesheets of ``_ext/static/`` to every HTML page:

- ``figures.css``: one width policy for static figures and explorers (natural width, capped
  at the content column, centred), a thin rounded frame, and, in dark mode, figures on their
  own white paper without the theme's dimming filter or grey panel;
- ``code.css``: on a phone, code and outputs wrap instead of scrolling sideways;
- ``zoom.css`` and ``zoom.js``: a figure whose text the column shrinks below 8 CSS px (a wide
  figure on a phone) gets an "Enlarge" button and opens, on a tap, at its natural width.

Figures are 2x images with ``width`` and ``height`` (``backprop.figures.show``); Sphinx would
wrap such an image in a link to the bare PNG (``html_scaled_image_link``), which a tap on a
phone would follow away from the page. That link is turned off here: the tap enlarges instead.

The folder is added to ``html_static_path`` here, so nothing lives in a
``_static/`` folder of the book's root (which Sphinx would copy to every page twice).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
CSS = ("figures.css", "code.css", "zoom.css")
JS = ("zoom.js",)


def _config_inited(app, config):
    for name in (*CSS, *JS):
        if not (STATIC / name).is_file():
            raise RuntimeError(f"figurecss: {STATIC / name} is missing")
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.html_scaled_image_link = False


def setup(app):
    app.connect("config-inited", _config_inited)
    for name in CSS:
        app.add_css_file(name)
    for name in JS:
        app.add_js_file(name, loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
