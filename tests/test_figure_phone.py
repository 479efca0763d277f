"""Every figure is crisp at 2x and its text legible on a phone (issue 25, item 2).

For every figure of the book, drawn as its chapter draws it (static figures and diagrams through
``figures.show``'s ``StaticFigure``, slider figures through the chapter's ``explore`` call):

- **2x.** The image has ``PIXEL_RATIO`` (2) image pixels per CSS pixel of its displayed size:
  a static figure's PNG is twice the ``width``/``height`` its metadata shows it at (the 1x size
  the inline backend used to show), and a slider frame is twice the ``<img>``'s width and
  height. Under the book's build a static figure also carries a PDF (for the LaTeX build).
- **8 CSS px at 390 px.** At a 390 px wide window an image in a figure is at most
  ``PHONE_IMAGE_PX`` wide (measured in Chromium on ``chapters/gradient.html``: the column and
  the figure are 358 px; the image has a 1 px frame on each side). The smallest text as shown there is at least
  ``MIN_PHONE_PX``; where it is not (a wide figure), ``_ext/static/zoom.js`` offers the enlarged
  view, which shows the figure at its natural width: there the smallest text is its drawn size,
  which must be at least ``MIN_PHONE_PX`` too. ``zoom.js`` decides from the image's width
  attribute and ``FONT_PX``, the book's smallest font at 80 dpi; a test checks the two agree.

The browser tests put such figures (a wide static one, a narrow one, a slider figure) on a page
with the theme's CSS and the book's figures.css, zoom.css and zoom.js, at 390 px and at 1280 px.
"""

from __future__ import annotations

import base64
import io
import re
import struct
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from figharness import interactive_calls
from test_figure_legibility import STATIC, drawn_texts

from backprop.explorer import explore
from backprop.explorer.render import PIXEL_RATIO
from backprop.figures import diagrams, style
from backprop.figures.show import StaticFigure

ROOT = Path(__file__).resolve().parents[1]
STATICDIR = ROOT / "_ext" / "static"
#: Widest image content in a figure at a 390 px window: the 358 px column less the image's
#: 1 px frame on each side (figures.css takes the theme's padding off a figure).
PHONE_IMAGE_PX = 356
#: Smallest text a phone reader must see, in CSS px.
MIN_PHONE_PX = 8.0

DIAGRAMS = {f"diagrams.{name}": getattr(diagrams, name)
            for name in ("one_neuron", "fan_out_fan_in", "sum_over_paths", "two_layer",
                         "layer_vjp", "softmax_ce")}
FIGURES = {**STATIC, **DIAGRAMS}
CALLS = [(f"{call.module}.{call.name}", function, dict(call.kwargs))
         for _, call, function in interactive_calls()]
#: The static figures too wide for 8 px text in a phone's column, decided figure by figure:
#: panels side by side, a 3-D surface, the 9-inch diagrams, and bar charts with long labels.
#: They rely on the enlarged view; every other static figure is at most about 519 CSS px wide
#: and legible as shown. (Every slider figure has two or three panels side by side.)
ENLARGED = {"gradient.cost_surface", "gradient.directional_rates", "hadamard.jacobian_images",
            "app_performance.three_ways", "app_performance.flops_rates",
            "app_performance.profile_shares", "reverse_mode.sweep_order", *DIAGRAMS}


def png_size(blob: bytes) -> tuple:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


def smallest_text_px(fig) -> float:
    """The smallest drawn text of ``fig`` in CSS px at its natural size (``dpi`` px per inch)."""
    return min(points for _, points in drawn_texts(fig)) * fig.dpi / 72


def shown_on_a_phone(smallest_px, css_width) -> float:
    """The smallest text in CSS px as a 390 px window shows the figure in the column."""
    return smallest_px * min(1.0, PHONE_IMAGE_PX / css_width)


def phone_problems(name, smallest_px, css_width) -> list:
    """Where a phone reader would see text under ``MIN_PHONE_PX``, shown or enlarged."""
    shown = shown_on_a_phone(smallest_px, css_width)
    if shown >= MIN_PHONE_PX:
        return []
    # zoom.js offers the enlarged view (its estimate of the text, FONT_PX, is at most the
    # real one: see test_zoom_js_knows_the_books_smallest_font); it shows the natural width.
    if smallest_px < MIN_PHONE_PX:
        return [f"{name}: {shown:.1f} px on a phone and {smallest_px:.1f} px enlarged"]
    return []


@pytest.mark.unit
@pytest.mark.slow   # about 30 s in all (a PNG at 1x and 2x and a PDF of every figure): make test
@pytest.mark.parametrize("key", list(FIGURES))
def test_static_figure_is_2x_and_legible_on_a_phone(key):
    style.use_book_style()
    fig = FIGURES[key]()
    try:
        shown = StaticFigure(fig, pdf=True)
        width, height = shown.css_size
        px_width, px_height = png_size(shown.png)
        assert abs(px_width - PIXEL_RATIO * width) <= 1 and abs(px_height - PIXEL_RATIO * height) <= 1
        data, metadata = shown._repr_mimebundle_()
        assert metadata == {"image/png": {"width": width, "height": height}}
        assert base64.b64decode(data["image/png"]) == shown.png
        assert base64.b64decode(data["application/pdf"]).startswith(b"%PDF")
        assert smallest_text_px(fig) >= style.FONT_PT * 80 / 72 - 1e-9
        assert phone_problems(key, smallest_text_px(fig), width) == []
        # zoom.js's own estimate (FONT_PX at the 1x width) decides whether it offers the view.
        needs_view = shown_on_a_phone(style.FONT_PT * 80 / 72, width) < MIN_PHONE_PX
        assert needs_view == (key in ENLARGED), f"{key}: {width} CSS px wide"
        # The page weight: the 2x palette PNG is lighter than the 1x full-colour one it replaces.
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches=getattr(fig, "show_bbox", "tight"))
        assert len(shown.png) < len(buf.getvalue()), (len(shown.png), len(buf.getvalue()))
    finally:
        plt.close(fig)


@pytest.mark.unit
def test_a_static_figure_keeps_its_1x_size_and_the_pdf_only_under_the_build():
    """The 1x size is the inline backend's (tight box at the figure's dpi); a diagram keeps
    its full 9 inches, within a few pixels. Outside the build (a reader's kernel) the bundle has no PDF."""
    style.use_book_style()
    fig = FIGURES["minibatch.confusion"]()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches="tight")
    one_x = png_size(buf.getvalue())
    shown = StaticFigure(fig)
    # Text extents differ by a pixel or so between dpis (hinting), so the tight box does too.
    assert all(abs(a - b) <= 4 for a, b in zip(shown.css_size, one_x)), (shown.css_size, one_x)
    assert "application/pdf" not in shown._repr_mimebundle_()[0]
    plt.close(fig)
    diagram = diagrams.two_layer()
    assert StaticFigure(diagram).css_size[0] == round(diagrams.WIDTH * diagrams.DPI)


@pytest.mark.unit
@pytest.mark.parametrize("name, setup, kwargs", CALLS, ids=[n for n, _, _ in CALLS])
def test_slider_frames_are_2x_and_legible_on_a_phone(name, setup, kwargs):
    style.use_book_style()
    ex = explore(setup, **kwargs)
    width, height = ex.css_size
    assert png_size(ex.png(compact=True)) == (PIXEL_RATIO * width, PIXEL_RATIO * height)
    ex.fig.set_dpi(ex.dpi)
    smallest = smallest_text_px(ex.fig)
    assert smallest >= style.FONT_PT * 80 / 72 - 1e-9
    assert phone_problems(name, smallest, width) == []


@pytest.mark.unit
def test_zoom_js_knows_the_books_smallest_font():
    """zoom.js estimates a figure's smallest text as FONT_PX at the natural width: the book's
    FONT_PT at 80 dpi, the smallest dpi of its figures (a larger dpi has larger text)."""
    source = (STATICDIR / "zoom.js").read_text()
    font_px = float(re.search(r"var FONT_PX = ([\d.]+);", source).group(1))
    assert font_px == round(style.FONT_PT * 80 / 72, 2)
    assert float(re.search(r"var MIN_TEXT_PX = ([\d.]+);", source).group(1)) == MIN_PHONE_PX
    assert style.BOOK_RC["figure.dpi"] == 80 == diagrams.DPI


# -- in Chromium ------------------------------------------------------------------------------------

def _theme_css():
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
            / "styles" / "pydata-sphinx-theme.css").read_text()


def _figure_img(key, ident):
    style.use_book_style()
    fig = FIGURES[key]()
    shown = StaticFigure(fig)
    plt.close(fig)
    width, height = shown.css_size
    src = "data:image/png;base64," + base64.b64encode(shown.png).decode()
    # As Sphinx writes an image with width and height metadata: an inline style.
    return (f'<figure class="align-default"><img id="{ident}" alt="{key}" src="{src}" '
            f'style="width: {width}px; height: {height}px;"><figcaption><p>{key}</p></figcaption>'
            f'</figure>')


def _player():
    def setup(fig, a):
        ax = fig.add_subplot()
        (line,) = ax.plot([0, 1], [0, a])
        ax.set(xlabel="x", ylabel="y", ylim=(0, 2))
        return lambda a: line.set_ydata([0, a])

    html = explore(setup, a=[0.5, 1.0, 1.5], title="a slider figure").static_html(all_frames=True)
    return f'<figure class="align-default"><div class="output text_html">{html}</div></figure>'


def _page(mode="light"):
    css = "".join(f"<style>{(STATICDIR / name).read_text()}</style>"
                  for name in ("figures.css", "zoom.css"))
    return f"""<!DOCTYPE html><html data-theme="{mode}"><head>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_theme_css()}</style>{css}</head>
<body><main><div class="bd-content" style="max-width:688px;margin:0 auto;padding:0 16px">
{_figure_img("hadamard.jacobian_images", "wide")}
{_figure_img("minibatch.confusion", "narrow")}
{_player()}
</div></main><script>{(STATICDIR / "zoom.js").read_text()}</script></body></html>"""


@pytest.fixture(scope="module")
def page_html():
    return _page()


def _toc_pages():
    from tools import book

    return [f"{doc}.html" for doc, _ in book.toc_pages()]


@pytest.mark.site
@pytest.mark.parametrize("page", _toc_pages())
def test_every_figure_of_the_built_book_is_2x_and_legible_at_390_px(chromium, book_url, page):
    """On the built page at 390 px: every figure's image has 2 image pixels per CSS pixel of
    its 1x size, and its smallest text (zoom.js's estimate) is 8 px as shown, or it has the
    Enlarge button, whose view shows it at its 1x size."""
    view = chromium.new_page(viewport={"width": 390, "height": 844})
    view.goto(f"{book_url}/{page}", wait_until="load")
    view.wait_for_function("[...document.images].every(i => i.complete) && window.bpZoom")
    view.evaluate("window.bpZoom.mark()")
    found = view.evaluate("""() => [...document.querySelectorAll(
        '.bd-content figure img, .bd-content div.cell_output img, .bd-content img.bp-frame')].map(i => {
        const w = parseFloat(i.getAttribute('width')) || parseFloat(i.style.width) || 0;
        return {src: i.src.slice(-40), natural: i.naturalWidth, css: w, px: window.bpZoom.textPx(i),
                button: !!(i.nextElementSibling && i.nextElementSibling.matches('.bp-zoom-button'))};
        })""")
    view.close()
    problems = []
    for img in found:
        if img["src"].endswith(".svg"):
            continue                                       # vector: sharp at any scale
        if not img["css"] or abs(img["natural"] - PIXEL_RATIO * img["css"]) > 1:
            problems.append(f"{img['src']}: {img['natural']} px shown at {img['css']} CSS px")
        if img["px"] < MIN_PHONE_PX and not img["button"]:
            problems.append(f"{img['src']}: text {img['px']:.1f} px and no Enlarge button")
    assert problems == []


@pytest.mark.site(needs=("chromium",))
def test_wide_figures_enlarge_on_a_phone_to_legible_text(chromium, page_html):
    page = chromium.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.set_content(page_html)
    page.wait_for_function("[...document.images].every(i => i.complete)")
    page.evaluate("window.bpZoom.mark()")
    state = page.evaluate("""() => [...document.querySelectorAll('.bd-content img')].map(i => ({
        id: i.id, cls: i.className, px: window.bpZoom.textPx(i),
        button: !!(i.nextElementSibling && i.nextElementSibling.matches('.bp-zoom-button'))}))""")
    by_id = {s["id"] or s["cls"]: s for s in state}
    ratios = page.evaluate("""() => [...document.querySelectorAll('.bd-content img')].map(i => {
        const r = i.getBoundingClientRect(); return [(r.width - 2) / (r.height - 2),
                                                     i.naturalWidth / i.naturalHeight]; })""")
    for shown_ratio, image_ratio in ratios:                       # shrunk, not distorted
        assert shown_ratio == pytest.approx(image_ratio, rel=0.02)
    wide, narrow = by_id["wide"], by_id["narrow"]
    frame = next(s for s in state if "bp-frame" in s["cls"])
    assert wide["px"] < MIN_PHONE_PX and wide["button"]            # shrunk: offered enlarged
    assert frame["px"] < MIN_PHONE_PX and frame["button"]
    assert narrow["px"] >= MIN_PHONE_PX and not narrow["button"]    # legible as shown

    # The static figure: a tap opens it at its natural width; Escape closes it.
    page.click("#wide")
    shown = page.evaluate("""() => { const i = document.querySelector('.bp-zoom img');
        return {width: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height,
                natural: i.naturalWidth / 2, naturalHeight: i.naturalHeight / 2,
                scrolls: document.querySelector('.bp-zoom').scrollWidth > innerWidth}; }""")
    assert abs(shown["width"] - shown["natural"]) <= 1 and shown["scrolls"]
    assert abs(shown["height"] - shown["naturalHeight"]) <= 1
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('.bp-zoom')") is None

    # The slider figure: its Enlarge button moves it into the view, where its slider works.
    page.click(".bp-explorer + .bp-zoom-button, .bp-frame + .bp-zoom-button")
    inside = page.evaluate("""() => { const box = document.querySelector('.bp-zoom .bp-explorer');
        const img = box.querySelector('img.bp-frame'), before = img.src;
        const input = box.querySelector('input[type=range]');
        input.value = '2'; input.dispatchEvent(new Event('input'));
        return {width: img.getBoundingClientRect().width, natural: parseFloat(img.getAttribute('width')),
                changed: img.src !== before}; }""")
    assert abs(inside["width"] - inside["natural"]) < 1 and inside["changed"]
    page.click(".bp-zoom-close")
    assert page.evaluate("""() => !document.querySelector('.bp-zoom') &&
        !!document.querySelector('figure .bp-explorer img.bp-frame')""")
    page.close()


@pytest.mark.site(needs=("chromium",))
def test_no_enlarge_button_at_1280_px_and_frames_are_sharp(chromium, page_html):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=2)
    page.set_content(page_html)
    page.wait_for_function("[...document.images].every(i => i.complete)")
    page.evaluate("window.bpZoom.mark()")
    info = page.evaluate("""() => ({buttons: document.querySelectorAll('.bp-zoom-button').length,
        ratios: [...document.querySelectorAll('.bd-content img')].map(
            i => i.naturalWidth / i.getBoundingClientRect().width)})""")
    page.close()
    assert info["buttons"] == 0
    assert all(r >= PIXEL_RATIO * 0.98 for r in info["ratios"]), info["ratios"]
