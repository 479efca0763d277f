"""Every page of the built book in a real browser (Debian's Chromium, driven by Playwright).

For every page, in the theme's light and dark modes, at a desktop's 1280 px and a phone's 390 px:
- no request leaves 127.0.0.1, and none fails;
- no console error and no uncaught exception;
- math is typeset by MathJax, with no raw ``\\(``, ``\\[`` or ``$$`` left in the text;
- every image loads, and every figure is opaque (no text on a transparent background);
- every image has alt text that is not a path, at least 90 % of figures have a numbered
  caption, a page with display equations numbers them, and no link shows raw TeX;
- at most 5 % of the visible code blocks (cell inputs and outputs) scroll sideways, the page
  itself never does, and at 1280 px no display equation (the text's or SymPy's) does;
- every static slider changes the figure beside it, and its label shows the value.

Screenshots of every page in both modes and at both widths are written to ``_build/screenshots``.
The browser is never downloaded: ``make test`` installs Debian's ``chromium``.
"""

import json
import re

import pytest
from conftest import BOOK_HTML

pytestmark = pytest.mark.site

HTML = BOOK_HTML                    # served by conftest's book_url
SHOTS = BOOK_HTML.parent / "screenshots"


def book_pages():
    if not (HTML / "index.html").exists():
        return []
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html") if "_static" not in p.parts)


PAGES = book_pages()


@pytest.fixture(scope="module")
def server(book_url):
    """The built book on a local server (conftest's ``book_url``)."""
    return book_url


@pytest.fixture(scope="module")
def browser(chromium):
    """Debian's Chromium (conftest's ``chromium``)."""
    return chromium


VISIBLE_TEXT = """() => {
  const clone = document.querySelector('main').cloneNode(true);
  clone.querySelectorAll('pre, code, .highlight, mjx-container, script, style').forEach(e => e.remove());
  return clone.innerText;
}"""

IMAGES = """() => Array.from(document.querySelectorAll('main img')).map(img => {
  const r = {src: img.src.slice(0, 60), ok: img.complete && img.naturalWidth > 0, opaque: null};
  if (r.ok && (img.src.startsWith('data:image/png') || /[/](_frames|_images)[/][^/]+[.]png$/.test(img.src))) {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let transparent = 0;
    for (let i = 3; i < d.length; i += 4 * 97) if (d[i] < 250) transparent++;
    r.opaque = transparent === 0;
  }
  return r;
})"""


#: Visible code blocks: cell inputs, cell outputs and code in the text. A block in a closed
#: dropdown (hide-input, hide-output) has no layout box and is not counted.
CODE_BLOCKS = """() => Array.from(document.querySelectorAll('main div.highlight pre, main div.cell_output pre'))
  .filter(pre => pre.offsetParent !== null && pre.clientWidth > 0)
  .map(pre => ({scrolls: pre.scrollWidth > pre.clientWidth + 1, width: pre.scrollWidth,
                column: pre.clientWidth, line: pre.innerText.split('\\n')[0].slice(0, 60)}))"""

#: Display equations that scroll sideways: the text's, and SymPy's displays in cell outputs.
EQUATIONS = """() => Array.from(document.querySelectorAll('main mjx-container[display="true"]'))
  .filter(m => m.offsetParent !== null)
  .filter(m => m.scrollWidth > m.clientWidth + 1)
  .map(m => (m.querySelector('mjx-assistive-mml') || m).textContent.slice(0, 60))"""

#: What a reader (or a screen reader) meets in the rendered page: images and their alt text,
#: figures and their numbered captions, numbered equations, and the text of every link.
READER = r"""() => {
  const main = document.querySelector('main');
  const alts = Array.from(main.querySelectorAll('img')).map(img => img.getAttribute('alt') || '');
  const figures = Array.from(main.querySelectorAll('figure'));
  return {
    badAlt: alts.filter(a => a.trim() === '' || /^\S*[/\\]\S*$|[.](png|jpe?g|svg|gif)$/i.test(a.trim())),
    figures: figures.length,
    captioned: figures.filter(f => f.querySelector('figcaption .caption-number')).length,
    equations: main.querySelectorAll('.math-wrapper, div.math').length,
    numbered: main.querySelectorAll('span.eqno').length,
    rawLinks: Array.from(main.querySelectorAll('a')).map(a => {
      const c = a.cloneNode(true); c.querySelectorAll('mjx-container').forEach(m => m.remove());
      return c.innerText; }).filter(t => /\\[a-zA-Z(\[]|[$]/.test(t)),
  };
}"""

#: The page's own sideways scroll: something wider than the window.
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

SCROLLING_SHARE = 0.05   # at most 5 % of a page's code blocks may scroll sideways


def open_page(browser, server, page_path, mode, width=1280):
    height = 900 if width >= 992 else 844
    context = browser.new_context(color_scheme=mode, viewport={"width": width, "height": height})
    page = context.new_page()
    requests, failures, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    # A request cancelled because the page navigated on (the root redirect) is not a failure.
    page.on("requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else failures.append(f"{r.failure} {r.url}"))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.goto(f"{server}/{page_path}", wait_until="load")
    if page_path == "index.html":  # a redirect to the preface: check where it lands
        page.wait_for_url("**/chapters/preface.html")
    page.wait_for_load_state("networkidle")
    has_mathjax = page.evaluate("() => !!(window.MathJax && MathJax.startup)")
    if has_mathjax:
        page.evaluate("() => MathJax.startup.promise")
    return context, page, requests, failures, errors, has_mathjax


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_path", PAGES)
def test_page(browser, server, page_path, mode, width):
    context, page, requests, failures, errors, has_mathjax = open_page(
        browser, server, page_path, mode, width)
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == mode, f"the theme shows {theme!r} for a reader who prefers {mode}"

        text = page.evaluate(VISIBLE_TEXT)
        for raw in ("\\(", "\\[", "$$"):
            assert raw not in text, f"raw {raw!r} left in the text: math was not typeset"
        if re.search(r'class="math', page.content()):
            assert has_mathjax and page.locator("mjx-container").count() > 0, "math not typeset"

        images = page.evaluate(IMAGES)
        broken = [i["src"] for i in images if not i["ok"]]
        assert not broken, f"images that did not load: {broken}"
        see_through = [i["src"] for i in images if i["opaque"] is False]
        assert not see_through, f"figures with a transparent background: {see_through}"

        reader = page.evaluate(READER)
        assert not reader["badAlt"], f"images whose alt text is empty or a path: {reader['badAlt']}"
        assert reader["captioned"] >= 0.9 * reader["figures"], (
            f"{reader['captioned']} of {reader['figures']} figures have a numbered caption")
        if reader["equations"] and page_path.startswith("chapters/") and "preface" not in page_path:
            assert reader["numbered"] > 0, "a page with display equations numbers none of them"
        assert not reader["rawLinks"], f"links that show raw TeX: {reader['rawLinks']}"

        blocks = page.evaluate(CODE_BLOCKS)
        scrolling = [f"{b['width']} px in {b['column']} px: {b['line']!r}" for b in blocks if b["scrolls"]]
        assert len(scrolling) <= SCROLLING_SHARE * len(blocks), (
            f"{len(scrolling)} of {len(blocks)} code blocks scroll sideways at {width} px: {scrolling}")
        if width >= 992:  # on a phone a long equation scrolls, as in every book's web edition
            wide = page.evaluate(EQUATIONS)
            assert not wide, f"display equations that scroll sideways at {width} px: {wide}"
        overflow = page.evaluate(PAGE_OVERFLOW)
        assert overflow <= 0, f"the page is {overflow} px wider than a {width} px window"

        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{page_path.replace('/', '_')}-{mode}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)

        outside = [u for u in requests
                   if not u.startswith(server) and not u.startswith(("data:", "blob:", "about:"))]
        assert not outside, f"requests to other hosts: {outside}"
        assert not failures, f"failed requests: {failures}"
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()


SLIDER_PAGES = [p for p in PAGES if 'class="bp-explorer"' in (HTML / p).read_text()
                and 'type="range"' in (HTML / p).read_text()]


@pytest.mark.browser
@pytest.mark.parametrize("page_path", SLIDER_PAGES)
def test_static_sliders_change_their_figure(browser, server, page_path):
    context, page, *_ = open_page(browser, server, page_path, "light")
    try:
        explorers = page.locator(".bp-explorer")
        assert explorers.count() > 0
        for e in range(explorers.count()):
            explorer = explorers.nth(e)
            image = explorer.locator("img.bp-frame")
            inputs = explorer.locator("input[type=range]")
            assert inputs.count() >= 1
            for k in range(inputs.count()):
                slider = inputs.nth(k)
                labels = json.loads(slider.get_attribute("data-labels"))
                start = slider.input_value()
                changed = False
                for target in range(len(labels)):
                    if str(target) == start:
                        continue
                    before = image.get_attribute("src")
                    slider.fill(str(target))
                    output = slider.locator("xpath=following-sibling::output[1]").inner_text()
                    assert output == labels[target], f"label {output!r} for value {labels[target]!r}"
                    if image.get_attribute("src") != before:
                        changed = True
                        break
                slider.fill(start)
                assert changed, f"explorer {e}, slider {k} on {page_path} never changes the figure"
    finally:
        context.close()


NAV_PAGE = "chapters/gradient.html"


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_navigation_toggles_work(browser, server, width, mode):
    """The visible chapter-list button opens the chapter list on a phone and hides it on a desktop;
    the page-contents button opens the page's contents on a phone; one search box is shown."""
    assert (HTML / NAV_PAGE).exists(), f"{NAV_PAGE} is not built"
    context = browser.new_context(color_scheme=mode, viewport={"width": width, "height": 844})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    try:
        page.goto(f"{server}/{NAV_PAGE}", wait_until="load")
        page.wait_for_load_state("networkidle")
        search = page.locator(".search-button-field, .search-button")
        shown = [i for i in range(search.count()) if search.nth(i).is_visible()]
        assert len(shown) == 1, f"{len(shown)} search boxes or buttons visible at {width} px"

        toggles = page.locator(".primary-toggle")
        visible = [toggles.nth(i) for i in range(toggles.count()) if toggles.nth(i).is_visible()]
        assert len(visible) == 1, f"{len(visible)} visible chapter-list buttons at {width} px"
        chapter_link = page.locator("nav.bd-links a", has_text="The two-layer network").first
        if width < 992:  # a phone: the chapter list is hidden until the button opens it
            assert not chapter_link.is_visible(), "the chapter list shows before the button is pressed"
            visible[0].click()
            page.wait_for_timeout(400)
            assert page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open"), "no dialog opened"
            assert chapter_link.is_visible(), "the chapter list did not open"
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            toc_buttons = page.locator(".secondary-toggle")
            contents = [toc_buttons.nth(i) for i in range(toc_buttons.count()) if toc_buttons.nth(i).is_visible()]
            assert len(contents) == 1, "no single visible page-contents button"
            contents[0].click()
            page.wait_for_timeout(400)
            assert page.locator("#pst-secondary-sidebar-modal").evaluate("d => d.open"), "page contents did not open"
            assert page.locator("#pst-secondary-sidebar-modal a", has_text="Definition").first.is_visible()
        else:  # a desktop: the chapter list shows, and the button hides it and shows it again
            assert chapter_link.is_visible(), "the chapter list is not shown on a desktop"
            visible[0].click()
            page.wait_for_timeout(400)
            assert not chapter_link.is_visible(), "the chapter-list button did not hide the list"
            visible[0].click()
            page.wait_for_timeout(400)
            assert chapter_link.is_visible(), "the chapter-list button did not bring the list back"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"navigation-{width}-{mode}.png"))
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()


def _moved_labels():
    """``(label, anchor, page)`` of every label on the pages of a chapter's ``sections:``."""
    from tools import reader_notebooks
    from tools.book import toc_sections

    book = reader_notebooks.Book()
    moved = [(name, e["anchor"], e["doc"]) for name, e in book.labels.items() if book.parent.get(e["doc"])]
    return moved, book, toc_sections("chapters/app_errata")


@pytest.mark.browser
def test_old_anchors_of_a_split_page_follow_their_content(browser, server):
    """Bookmarks and older reader notebooks name chapters/app_errata.html#errata-...: every label
    now on one of its pages (entries, equations, the figure, exercises) sends the reader there;
    an anchor the appendix page still has stays; a change of the hash is followed too."""
    moved, book, errata_pages = _moved_labels()
    assert len(moved) > 40 and {doc for _, _, doc in moved} == set(errata_pages)
    kinds = {book.labels[name]["kind"] for name, _, _ in moved}
    assert {"section", "equation", "figure", "exercise"} <= kinds, kinds
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    try:
        for name, anchor, doc in moved:
            parent = book.parent[doc]
            page.goto(f"{server}/{parent}.html#{anchor}", wait_until="commit")
            page.wait_for_url(f"**/{doc}.html#{anchor}", timeout=10_000)
            page.wait_for_load_state("domcontentloaded")
            assert page.evaluate("a => !!document.getElementById(a)", anchor), f"{name}: no #{anchor} on {doc}"
        page.goto(f"{server}/chapters/app_errata.html#app-errata-conventions", wait_until="load")
        page.wait_for_timeout(300)
        assert page.url.endswith("/chapters/app_errata.html#app-errata-conventions"), page.url
        page.evaluate("() => { window.location.hash = 'errata-notes-layout'; }")
        page.wait_for_url("**/chapters/app_errata_notes.html#errata-notes-layout", timeout=10_000)
        page.wait_for_load_state("load")
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()
