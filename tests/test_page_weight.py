"""Page weight of the built book (issue 13, item 8): what a reader's browser downloads.

For every chapter and appendix page (the pages of ``_toc.yml``):
- the page's own HTML is at most 400 KB;
- a first visit (a fresh browser context, so nothing is cached) transfers at most 3.0 MB,
  the sum of the bodies of every response the page asks for, and every request goes
  to the local server;
- no page loads ``fontawesome.js`` (``_ext/pagesize.py`` drops it; the theme's CSS web
  fonts draw the icons).

The built book is ``_build/html`` (``make test`` builds it); ``BACKPROP_BOOK_HTML`` points
the tests at another built folder.
"""

from pathlib import Path

import pytest
from conftest import BOOK_HTML

from _ext import pagesize
from tools import book

ROOT = Path(__file__).resolve().parents[1]
HTML = BOOK_HTML

MAX_HTML = 400_000       # bytes of a page's own HTML
MAX_FIRST_VISIT = 3.0e6  # bytes of every response of a first visit


def toc_pages():
    """``chapters/NAME.html`` for every file of the table of contents, root included."""
    return [f"{doc}.html" for doc, _ in book.toc_pages()]


PAGES = toc_pages()


def test_drop_fontawesome_script_removes_only_that_tag():
    page = ('<head>\n  <!-- So that users can add custom icons -->\n'
            '  <script defer src="../_static/scripts/fontawesome.js?digest=55c2"></script>\n'
            '  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js" />\n</head>')
    out = pagesize.drop_fontawesome_script(page)
    assert "fontawesome" not in out and "custom icons" not in out
    assert 'href="../_static/scripts/bootstrap.js"' in out


@pytest.mark.site
@pytest.mark.parametrize("page", PAGES)
def test_page_html_is_at_most_400_kb(page):
    path = HTML / page
    assert path.exists(), f"{page} is not built in {HTML}: run `make book` first"
    size = path.stat().st_size
    assert size <= MAX_HTML, f"{page} is {size / 1e3:.0f} KB of HTML, over {MAX_HTML / 1e3:.0f} KB"


@pytest.mark.site
@pytest.mark.parametrize("page", PAGES)
def test_no_page_loads_fontawesome_js(page):
    path = HTML / page
    assert path.exists(), f"{page} is not built in {HTML}: run `make book` first"
    assert "fontawesome.js" not in path.read_text(encoding="utf-8")


def first_visit(browser, url):
    """``(total bytes, {url: bytes}, urls not on 127.0.0.1)`` of a visit with an empty cache."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses, outside = [], []
    page.on("response", lambda r: responses.append(r))
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else outside.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.wait_for_load_state("networkidle")
    sizes = {}
    for response in responses:
        if response.url.startswith("data:"):
            continue
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # a redirect has no body
            sizes[response.url] = 0
    context.close()
    return sum(sizes.values()), sizes, outside


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_first_visit_is_at_most_3_mb_and_stays_local(chromium, book_url, page):
    total, sizes, outside = first_visit(chromium, f"{book_url}/{page}")
    assert not outside, f"{page} asks for outside addresses: {outside}"
    heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    detail = ", ".join(f"{url.rsplit('/', 1)[-1][:40]} {size / 1e3:.0f} KB" for url, size in heaviest)
    assert total <= MAX_FIRST_VISIT, (
        f"a first visit to {page} transfers {total / 1e6:.2f} MB in {len(sizes)} requests "
        f"(limit {MAX_FIRST_VISIT / 1e6:.1f} MB); heaviest: {detail}")
