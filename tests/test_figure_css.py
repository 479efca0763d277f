"""The figures' CSS (``_ext/static/figures.css``, added by ``_ext/figurecss.py``) in Chromium.

No book build is needed: a page with the markup the book's figures have (a static cell
output image, an explorer in a ``text_html`` output) is styled by the installed
pydata-sphinx-theme stylesheet followed by the book's figures.css, in light and dark mode.
Checked: one width policy (natural width capped at the column, centred), white paper
without the theme's dimming filter in dark mode, and no light grey panel behind explorers.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "_ext" / "static" / "figures.css"
COLUMN = 688            # the content column at a 1280 px window (chapters/gradient.html)


def _png(width, height=60):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="png")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _theme_css():
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
            / "styles" / "pydata-sphinx-theme.css").read_text()


def _page(mode):
    return f"""<!DOCTYPE html><html data-theme="{mode}"><head>
<style>{_theme_css()}</style><style>{CSS.read_text()}</style></head>
<body><div class="bd-content" style="width:{COLUMN}px;margin-left:100px">
<div class="cell_output docutils container"><img id="small" alt="a" src="{_png(400)}"></div>
<div class="cell_output docutils container"><img id="wide" alt="b" src="{_png(900)}"></div>
<figure class="align-default"><img id="infigure" alt="d" src="{_png(900)}"
 style="width: 900px; height: 60px;"><figcaption><p>A figure, as glue:figure writes it.</p></figcaption></figure>
<div class="cell_output docutils container"><div class="output text_html" id="panel">
<div class="bp-explorer"><div class="bp-controls"><label>η <input type="range"></label></div>
<img class="bp-frame" id="frame" alt="c" style="max-width:100%;height:auto" src="{_png(720)}">
</div></div></div></div></body></html>"""


def test_the_extension_is_registered_next_to_bookext():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    extensions = config["sphinx"]["local_extensions"]
    assert extensions["_ext.bookext"] == extensions["_ext.figurecss"] == "."
    assert not (ROOT / "_static").exists(), "static files live in _ext/static, not _static/"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_figures_are_centred_capped_and_undimmed(mode, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(_page(mode))
    page.wait_for_function("[...document.images].every(i => i.complete)")
    info = page.evaluate("""() => {
      const col = document.querySelector('.bd-content').getBoundingClientRect();
      const out = {};
      for (const id of ['small', 'wide', 'frame', 'infigure']) {
        const img = document.getElementById(id), r = img.getBoundingClientRect();
        const cs = getComputedStyle(img);
        out[id] = {width: r.width, centre: r.left + r.width / 2 - (col.left + col.width / 2),
                   filter: cs.filter, background: cs.backgroundColor};
      }
      out.panel = getComputedStyle(document.getElementById('panel')).backgroundColor;
      return out;
    }""")
    page.close()
    assert abs(info["small"]["width"] - (400 + 2)) < 0.5     # natural size, plus its 1 px frame
    for img in ("wide", "frame", "infigure"):                 # capped at the column
        assert abs(info[img]["width"] - COLUMN) < 0.5, f"{img}: {info[img]['width']} px"
    for img in ("small", "wide", "frame", "infigure"):
        assert abs(info[img]["centre"]) <= 0.5, f"{img} is not centred"
        assert info[img]["filter"] == "none"
        assert info[img]["background"] == "rgb(255, 255, 255)"
    assert info["panel"] == "rgba(0, 0, 0, 0)"               # no grey panel behind an explorer
