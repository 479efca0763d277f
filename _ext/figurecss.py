"""Local Sphinx extension: the book's CSS for figures (issue 13).

Adds ``_ext/static/figures.css`` to every HTML page: one width policy for static figures
and explorers (natural width, capped at the content column, centred), a thin rounded frame,
and, in dark mode, figures on their own white paper without the theme's dimming filter or
grey panel. The folder is added to ``html_static_path`` here, so nothing lives in a
``_static/`` folder of the book's root (which Sphinx would copy to every page twice).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
CSS = "figures.css"


def _config_inited(app, config):
    if not (STATIC / CSS).is_file():
        raise RuntimeError(f"figurecss: {STATIC / CSS} is missing")
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    app.connect("config-inited", _config_inited)
    app.add_css_file(CSS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
