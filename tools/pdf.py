"""Print the single-page HTML build of the book to ``_build/pdf/book.pdf`` (``make pdf``).

    python -m tools.pdf [--html _build/singlehtml] [--out _build/pdf/book.pdf]

The single-page build (``jupyter-book build . --builder singlehtml``) is served on
127.0.0.1 and printed by Debian's Chromium through Playwright, which never downloads a
browser (Jupyter Book's own ``pdfhtml`` builder would). Before printing:

- MathJax has typeset every formula (``MathJax.startup.promise``, then no raw ``\\(``,
  ``\\[`` or ``$$`` left in the text outside code);
- the theme is in its light mode, and the print style sheet below hides the web page's
  furniture (header, sidebars, buttons, toggles of hidden code);
- every slider figure of ``backprop.explorer`` shows its default frame, and its controls
  become one line of text, "Shown at η = 0.15, ..."; a figure without a numbered caption
  gets its alt text as caption;
- exercise solutions, which are drop-downs on the site, are opened.

The PDF has page numbers in the footer and a clickable outline: Chromium's, from the tagged
PDF, rewritten by ``fix_outline`` (chapters at the top level, titles as their headings read).
The site's download button offers it: ``_ext/pdflink.py`` copies it into the HTML build.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from _ext.mathlinks import tex_to_text
from tools import browser

ROOT = Path(__file__).resolve().parents[1]

PRINT_CSS = """
@page { size: A4; }
html, body { background: #fff !important; color: #000 !important; }
.bd-header, .bd-header-article, .header-article, .bd-sidebar-primary, .bd-sidebar-secondary,
.bd-footer, .bd-footer-article, .bd-footer-content, .prev-next-area, .footer-article,
.headerlink, .copybtn, .toggle-details__summary, .bd-search, .search-button, .theme-switch-button,
.primary-toggle, .secondary-toggle, .article-header-buttons, .dropdown-toggle, #pst-back-to-top,
.skip-link, .cell.tag_hide-input > .cell_input, details.hide.above-input, button:not(.bp-quiz-option),
#jb-print-docs-body { display: none !important; }
.bd-page-width, .bd-container, .bd-container__inner, .bd-main, .bd-article-container, .bd-content,
.bd-article { display: block !important; max-width: none !important; min-width: 0 !important;
  width: auto !important; margin: 0 !important; padding: 0 !important; overflow: visible !important; }
body { font-size: 10.5pt; }
main h1 { display: block !important; }                    /* the theme hides it in print */
div.toctree-wrapper > section { break-before: page; }      /* each chapter starts a page */
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
pre, div.highlight, .cell_output, .output { overflow: visible !important; }
pre { white-space: pre-wrap !important; word-break: break-word; font-size: 8.5pt;
      background: #f6f6f6 !important; color: #000 !important; border: 1px solid #ddd; }
img, figure, .bp-explorer, .cell_output img, mjx-container[display="true"], table, .admonition {
  break-inside: avoid; }
div.cell_input { break-inside: avoid; }   /* else its frame stays behind, empty, on the page before */
img { max-width: 100% !important; max-height: 23cm; height: auto !important; }
mjx-container[display="true"] { overflow: visible !important; }
.bp-explorer .bp-controls input { display: none !important; }
.bp-print-caption { font-size: 0.9em; font-style: italic; margin-top: 0.2em; }
/* the site's light grey caption is faint on paper */
figcaption, figcaption * { color: #222 !important; font-weight: 400 !important; }
a { color: inherit !important; text-decoration: none !important; }
"""

# Runs in the page before printing: light theme, default frames, open solutions, captions.
PREPARE_JS = """() => {
  document.documentElement.dataset.theme = "light";
  document.documentElement.dataset.mode = "light";
  for (const d of document.querySelectorAll("details")) {
    if (!d.closest(".tag_hide-input")) d.open = true;
  }
  for (const box of document.querySelectorAll(".bp-explorer")) {
    const controls = box.querySelector(".bp-controls");
    const img = box.querySelector("img");
    if (controls) {
      const parts = [...controls.querySelectorAll("label")].map(
        l => `${l.querySelector("span").textContent} = ${l.querySelector("output").textContent}`);
      controls.textContent = "Shown at " + parts.join(", ") + ".";
      controls.style.fontSize = "0.85em";
    }
    const captioned = box.closest("figure") && box.closest("figure").querySelector("figcaption");
    if (img && img.alt && !captioned && !box.querySelector(".bp-print-caption")) {
      const cap = document.createElement("div");
      cap.className = "bp-print-caption";
      cap.textContent = img.alt;
      box.appendChild(cap);
    }
  }
}"""

# Raw TeX left in the text (outside code) once MathJax is done; an empty list is the goal.
RAW_TEX_JS = r"""() => {
  const walker = document.createTreeWalker(document.querySelector("main") || document.body,
                                           NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest("pre, code, script, style, mjx-container, .highlight")) continue;
    const t = n.textContent;
    if (/\\\(|\\\[|\$\$|\\frac|\\begin\{/.test(t)) raw.push(t.trim().slice(0, 80));
  }
  return raw;
}"""


# A4 less the side margins (210 - 2 x 16 mm) in CSS pixels: the width the text is laid out in.
PRINT_WIDTH_PX = round((210 - 32) / 25.4 * 96)

# A display formula wider than the text would be cut at the page's edge: scale it down to fit.
FIT_MATH_JS = """() => {
  for (const box of document.querySelectorAll('mjx-container[display="true"]')) {
    const math = box.querySelector("mjx-math");
    const room = box.parentElement.getBoundingClientRect().width;
    const need = math ? math.getBoundingClientRect().width : 0;
    if (need > room && room > 0) box.style.fontSize = `${Math.floor(100 * room / need) - 1}%`;
  }
}"""


# The headings as printed, in order: [level, number, text]. A formula's text is its TeX,
# from MathJax's list of typeset formulas, between the marks \u27ea and \u27eb. In the
# single page the preface is the <h1> and the chapters are <h2> inside its toctree; the
# outline puts the chapters at the top level.
HEADINGS_JS = """() => {
  const tex = new Map(Array.from(MathJax.startup.document.math, m => [m.typesetRoot, m.math]));
  const text = node => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches(".headerlink, .section-number")) return "";
    if (tex.has(node)) return "\u27ea" + tex.get(node) + "\u27eb";
    return [...node.childNodes].map(text).join("");
  };
  return [...document.querySelectorAll("main h1, main h2, main h3, main h4")]
    .filter(h => h.offsetParent !== null)
    .map(h => {
      const level = Number(h.tagName[1]) - (h.closest("div.toctree-wrapper") ? 1 : 0);
      const number = h.querySelector(".section-number");
      return [Math.max(level, 1), number ? number.textContent.trim() : "",
              text(h).replace(/\\s+/g, " ").trim()];
    });
}"""


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _heading_title(number: str, text: str) -> str:
    """The outline's title of a heading: its number, then its text with TeX as plain text."""
    text = re.sub("\u27ea(.*?)\u27eb", lambda m: tex_to_text(m.group(1)), text)
    return f"{number} {text}".strip()


def _is_item_of(title: str, number: str, text: str) -> bool:
    """Whether Chromium's outline title is its version of the heading. Chromium drops the
    space where a heading wraps, may repeat the number and the text ("1.1. 1.1. The
    conventionThe convention") and leaves a formula out, so a numbered heading is known by
    its number ("B.3.1." is not "B.3.13.") and another by its first ten characters."""
    key = _squeeze(number) if number else _squeeze(text)[:10]
    return _squeeze(title).startswith(key)


def fix_outline(pdf: Path, headings: list) -> int:
    """Rewrite the outline Chromium made from the tagged PDF: each title as the heading reads
    (Chromium drops the space where a heading wraps, "Jacobian-vectorproducts", and can
    repeat a title) and chapters at the top level, not under the preface. Every item of
    Chromium's outline is matched, in order, to a printed heading; one that matches none
    stops the build. Returns the number of items."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's trailer size is one quirk
    reader = PdfReader(pdf)
    items = []

    def flatten(outline):
        for item in outline:
            if isinstance(item, list):
                flatten(item)
            else:
                items.append(item)

    flatten(reader.outline)
    matched, j = [], 0
    for item in items:
        while j < len(headings) and not _is_item_of(item.title, *headings[j][1:]):
            j += 1
        if j == len(headings):
            raise SystemExit(f"tools/pdf.py: the outline item {item.title!r} is no printed heading")
        matched.append((headings[j], item))
        j += 1
    writer = PdfWriter(clone_from=reader)
    del writer.root_object[NameObject("/Outlines")]
    parents = {}
    for (level, number, text), item in matched:
        page = reader.get_destination_page_number(item)
        fit = Fit.xyz(item.left, item.top, None) if item.typ == "/XYZ" else Fit.fit()
        parent = next((parents[k] for k in range(level - 1, 0, -1) if k in parents), None)
        parents[level] = writer.add_outline_item(title=_heading_title(number, text),
                                                 page_number=page, parent=parent, fit=fit)
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]
    writer.page_mode = "/UseOutlines"
    with open(pdf, "wb") as f:
        writer.write(f)
    return len(matched)


def _page_of(html: Path) -> str:
    """The single page of a singlehtml build: its root document, by far its largest page."""
    pages = [p for p in html.rglob("*.html") if "_static" not in p.parts
             and p.name not in {"genindex.html", "search.html", "book-print.html"}]
    if not pages:
        raise SystemExit(f"no HTML in {html}: run `jupyter-book build . --builder singlehtml` first")
    return max(pages, key=lambda p: p.stat().st_size).relative_to(html).as_posix()


def print_pdf(html: Path, out: Path) -> Path:
    from playwright.sync_api import sync_playwright

    # Sphinx writes the single page as its root document (chapters/preface.html) but with
    # links relative to the build's root: it is printed from a copy at the root.
    page_file = html / "book-print.html"
    page_file.write_bytes((html / _page_of(html)).read_bytes())
    out.parent.mkdir(parents=True, exist_ok=True)
    with browser.serve(html) as site, sync_playwright() as p:
        chromium = browser.launch(p)
        page = chromium.new_page(color_scheme="light", viewport={"width": 1100, "height": 1400})
        page.goto(f"{site}/{page_file.name}", wait_until="load", timeout=300_000)
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=120_000)
        page.evaluate("() => MathJax.startup.promise")
        page.evaluate(PREPARE_JS)
        page.add_style_tag(content=PRINT_CSS)
        page.evaluate("() => document.fonts.ready")
        raw = page.evaluate(RAW_TEX_JS)
        if raw:
            raise SystemExit(f"MathJax left raw TeX on the page: {raw[:5]}")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 1000})
        page.evaluate(FIT_MATH_JS)
        headings = page.evaluate(HEADINGS_JS)
        page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                 margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                 display_header_footer=True, header_template="<div></div>",
                 footer_template='<div style="font-size:8pt;width:100%;text-align:center;color:#444">'
                                 '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
        chromium.close()
    fix_outline(out, headings)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "singlehtml")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    args = parser.parse_args(argv)
    out = print_pdf(args.html, args.out)
    print(f"tools/pdf.py: wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
