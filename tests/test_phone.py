"""The built book on a phone (390 x 844) and a desktop (1280 x 800), measured in Chromium (issue 25).

On a phone, for every page of the book:
- every box that is cut (a display equation, a table or a block of code wider than its box
  and scrolled) shows a cue: its cut edge fades (``_ext/static/fit.css``, marked by
  ``fit.js``). Measured: the box's widths and the computed ``mask-image`` of the box;
- a numbered equation has the whole column, with its number under it at the right;
- every line of code or output that wraps keeps its indentation: each of its continuation rows
  starts right of the line's own indentation (measured from the rows' rectangles);
- the equations that read as false formulas when cut, (9.3) and the four rules of (9.7),
  fit the column.
The page-contents drawer closes after a tap on one of its entries, and the section the entry
names is at the top of the window.

On a desktop, with every solution opened: no line of code or output in a solution is wider
than its block, and no table is wider than the column.
"""

from __future__ import annotations

import pytest
from conftest import BOOK_HTML

pytestmark = pytest.mark.site

HTML = BOOK_HTML
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def book_pages():
    if not (HTML / "index.html").exists():
        return []
    return sorted(str(p.relative_to(HTML)) for p in (HTML / "chapters").glob("*.html"))


PAGES = book_pages()

#: Every box of the article that scrolls sideways and holds more than it shows, with its cue.
CUT_BOXES = """() => Array.from(document.querySelectorAll('main *')).filter(el => {
    if (el.offsetParent === null || el.clientWidth === 0) return false;
    const x = getComputedStyle(el).overflowX;
    return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
  }).map(el => {
    const cs = getComputedStyle(el);
    const mask = cs.maskImage || cs.webkitMaskImage || 'none';
    return {what: el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '').split(' ')[0],
            text: (el.querySelector('mjx-assistive-mml') || el).textContent.trim().slice(0, 50),
            hidden: el.scrollWidth - el.clientWidth, cue: /gradient/.test(mask),
            kind: el.matches('mjx-container, div.math') ? 'equation'
                  : el.matches('.pst-scrollable-table-container') ? 'table' : 'other'};
  })"""

#: Numbered equations: the width the equation has, and where its number stands.
NUMBERED = """() => Array.from(document.querySelectorAll('main div.math')).filter(d =>
    d.offsetParent !== null && d.querySelector(':scope > span.eqno') && d.querySelector(':scope > mjx-container'))
  .map(d => {
    const box = d.getBoundingClientRect(), m = d.querySelector(':scope > mjx-container').getBoundingClientRect();
    const n = d.querySelector(':scope > span.eqno').getBoundingClientRect();
    return {id: d.id, box: box.width, math: m.width, below: n.top >= m.bottom - 1,
            right: box.right - n.right};
  })"""

#: Every line of every visible block of code or output: does a line that wraps keep its
#: indentation? Rows of a line are told apart by their rectangles' tops; a continuation row
#: must start right of the line's own indentation (by at least one character).
WRAPPED = """() => {
  const out = {lines: 0, wrapped: 0, lost: []};
  for (const pre of document.querySelectorAll('main div.highlight pre, main div.cell_output pre')) {
    if (pre.offsetParent === null || pre.clientWidth === 0) continue;
    const cs = getComputedStyle(pre);
    const left = pre.getBoundingClientRect().left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
    const probe = document.createElement('span');
    probe.textContent = '0000000000';
    pre.appendChild(probe);
    const ch = probe.getBoundingClientRect().width / 10;
    probe.remove();
    const texts = [];
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode);
    let lineStart = null, lineText = '';
    const finish = (endNode, endOffset) => {
      if (lineStart === null || !lineText.trim()) return;
      out.lines++;
      const r = document.createRange();
      r.setStart(lineStart[0], lineStart[1]);
      r.setEnd(endNode, endOffset);
      const rects = Array.from(r.getClientRects()).filter(q => q.width > 0.5);
      const rows = new Map();
      for (const q of rects) {
        const top = Math.round(q.top);
        rows.set(top, Math.min(rows.has(top) ? rows.get(top) : Infinity, q.left));
      }
      if (rows.size < 2) return;
      out.wrapped++;
      const indent = lineText.match(/^[ \\t]*/)[0].length;
      const tops = Array.from(rows.keys()).sort((a, b) => a - b);
      for (const top of tops.slice(1)) {
        if (rows.get(top) < left + (indent + 1) * ch - 0.5) {
          out.lost.push(lineText.trim().slice(0, 60));
          break;
        }
      }
    };
    for (const t of texts) {
      let from = 0;
      for (;;) {
        if (lineStart === null) { lineStart = [t, from]; lineText = ''; }
        const nl = t.data.indexOf('\\n', from);
        if (nl < 0) { lineText += t.data.slice(from); break; }
        lineText += t.data.slice(from, nl);
        finish(t, nl);
        lineStart = null;
        from = nl + 1;
      }
    }
    if (texts.length) { const last = texts[texts.length - 1]; finish(last, last.data.length); }
  }
  return out;
}"""


def _pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def open_page(browser, server, page_path, viewport, mode="light"):
    context = browser.new_context(viewport=viewport, color_scheme=mode)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.goto(f"{server}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    if page.evaluate("() => !!(window.MathJax && MathJax.startup)"):
        page.evaluate("() => MathJax.startup.promise")
    page.wait_for_timeout(150)  # the ResizeObserver's marks follow MathJax's layout
    return context, page, errors


@pytest.mark.browser
@pytest.mark.parametrize("page_path", PAGES)
def test_a_phone_reader_sees_what_is_cut_and_code_keeps_its_indentation(chromium, book_url, page_path):
    context, page, errors = open_page(chromium, book_url, page_path, PHONE)
    try:
        cut = page.evaluate(CUT_BOXES)
        silent = [f"{c['kind']} {c['what']} hides {c['hidden']} px: {c['text']!r}" for c in cut if not c["cue"]]
        assert not silent, f"boxes cut without a cue at 390 px: {silent}"

        numbered = page.evaluate(NUMBERED)
        cramped = [n["id"] for n in numbered if not n["below"] or n["math"] < n["box"] - 1 or n["right"] > 1]
        assert not cramped, f"numbered equations whose number is not under them at the right: {cramped}"

        code = page.evaluate(WRAPPED)
        assert not code["lost"], f"wrapped lines of code that lose their indentation: {code['lost']}"

        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"the page is {wide} px wide in a {PHONE['width']} px window"
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()


@pytest.mark.browser
def test_the_measures_see_cut_boxes_and_wrapped_code(chromium, book_url):
    """The measures above are not vacuous: on softmax_ce a phone has cut equations (all with a
    cue) and wrapped lines of code (all indented); (9.3) and (9.7) fit, numbers under them."""
    context, page, _ = open_page(chromium, book_url, "chapters/softmax_ce.html", PHONE, "dark")
    try:
        cut = page.evaluate(CUT_BOXES)
        assert sum(c["kind"] == "equation" for c in cut) >= 3 and all(c["cue"] for c in cut), cut
        code = page.evaluate(WRAPPED)
        assert code["lines"] > 200 and code["wrapped"] > 20 and not code["lost"], code
        numbered = {n["id"]: n for n in page.evaluate(NUMBERED)}
        for name in ("equation-eq-softmax-jacobian-entries", "equation-eq-softmax-ce-backward"):
            width = page.evaluate(
                "id => { const m = document.querySelector('#' + id + ' > mjx-container');"
                " return [m.scrollWidth, m.clientWidth]; }", name)
            assert width[0] <= width[1] + 1, f"{name} is {width[0]} px in a {width[1]} px column"
            assert numbered[name]["below"]
        # The fade is drawn: the cut edge of a cut equation changes when the mask is taken
        # away, and the rest of it does not.
        box = page.locator("main mjx-container.bp-cut-right").first
        box.scroll_into_view_if_needed()
        with_cue = _pixels(box.screenshot())
        box.evaluate("m => { m.style.maskImage = 'none'; m.style.webkitMaskImage = 'none'; }")
        without = _pixels(box.screenshot())
        assert with_cue.shape == without.shape
        edge = abs(with_cue[:, -24:].astype(int) - without[:, -24:]).max()
        rest = abs(with_cue[:, : with_cue.shape[1] // 2].astype(int) - without[:, : without.shape[1] // 2]).max()
        assert edge > 60 and rest < 8, (edge, rest)
    finally:
        context.close()


@pytest.mark.browser
def test_tables_on_a_phone_fit_or_show_the_cue(chromium, book_url):
    """A table wider than the phone's column becomes one card per row and fits the column."""
    context, page, _ = open_page(chromium, book_url, "chapters/two_layer.html", PHONE)
    try:
        tables = page.evaluate("""() => Array.from(document.querySelectorAll('main .pst-scrollable-table-container'))
          .map(b => ({fits: b.scrollWidth <= b.clientWidth + 1,
                      stacked: b.querySelector('table').classList.contains('bp-stacked'),
                      cue: /gradient/.test(getComputedStyle(b).maskImage || '')}))""")
        assert tables and all(t["fits"] or t["cue"] for t in tables), tables
        assert sum(t["stacked"] and t["fits"] for t in tables) >= 3, tables
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_contents_drawer_closes_after_a_tap(chromium, book_url, mode):
    context, page, errors = open_page(chromium, book_url, "chapters/softmax_ce.html", PHONE, mode)
    try:
        toggles = page.locator(".secondary-toggle")
        button = next(toggles.nth(i) for i in range(toggles.count()) if toggles.nth(i).is_visible())
        button.click()
        page.wait_for_timeout(400)
        drawer = page.locator("#pst-secondary-sidebar-modal")
        assert drawer.evaluate("d => d.open"), "the page-contents drawer did not open"
        entry = drawer.locator("a", has_text="Computing the loss without overflow").first
        href = entry.get_attribute("href")
        entry.click()
        page.wait_for_timeout(600)
        assert not drawer.evaluate("d => d.open"), "the drawer stays open after a tap on an entry"
        assert page.url.endswith(href), page.url
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", href.lstrip("#"))
        assert 0 <= top < 200, f"the section is {top} px from the top of the window"
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()


OPEN_SOLUTIONS = """() => {
  document.querySelectorAll('main .solution.dropdown.toggle-hidden > .admonition-title').forEach(t => t.click());
  return document.querySelectorAll('main .solution').length;
}"""

DESKTOP_WIDTHS = """() => {
  const article = document.querySelector('main article.bd-article');
  const cs = getComputedStyle(article);
  const right = article.getBoundingClientRect().right - parseFloat(cs.paddingRight);
  const code = Array.from(document.querySelectorAll('main .solution pre'))
    .filter(p => p.offsetParent !== null && p.clientWidth > 0);
  return {
    blocks: code.length,
    wide: code.filter(p => p.scrollWidth > p.clientWidth + 1).map(p =>
      `${p.scrollWidth - p.clientWidth} px: `
      + p.innerText.split('\\n').reduce((a, b) => a.length >= b.length ? a : b, '').slice(0, 70)),
    tables: Array.from(document.querySelectorAll('main table')).filter(t => t.offsetParent !== null).map(t => ({
      over: Math.max(t.getBoundingClientRect().right - right,
                     t.parentElement.scrollWidth - t.parentElement.clientWidth),
      head: t.innerText.slice(0, 40)})).filter(t => t.over > 1),
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page_path", PAGES)
def test_on_a_desktop_solutions_and_tables_fit_the_column(chromium, book_url, page_path):
    context, page, _ = open_page(chromium, book_url, page_path, DESKTOP)
    try:
        solutions = page.evaluate(OPEN_SOLUTIONS)
        page.wait_for_timeout(300)
        found = page.evaluate(DESKTOP_WIDTHS)
        if solutions:
            assert found["blocks"] > 0, "solutions were not opened"
        assert not found["wide"], f"solution code wider than its block at 1280 px: {found['wide']}"
        assert not found["tables"], f"tables wider than the column at 1280 px: {found['tables']}"
    finally:
        context.close()
