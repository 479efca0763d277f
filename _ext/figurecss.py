"""Local Sphinx extension: the book's CSS for figures and code (issue 13).

Adds two stylesheets of ``_ext/static/`` to every HTML page:

- ``figures.css``: one width policy for static figures and explorers (natural width, capped
  at the content column, centred), a thin rounded frame, and, in dark mode, figures on their
  own white paper without the theme's dimming filter or grey panel;
- ``code.css``: on a phone, code and outputs wrap instead of scrolling sideways.

The folder is added to ``html_static_path`` here, so nothing lives in a
``_static/`` folder of the book's root (which Sphinx would copy to every page twice).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
CSS = ("figures.css", "code.css")


def _config_inited(app, config):
    for name in CSS:
        if not (STATIC / name).is_file():
            raise RuntimeError(f"figurecss: {STATIC / name} is missing")
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.connect("config-inited", _config_inited)
    for name in CSS:
        app.add_css_file(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
