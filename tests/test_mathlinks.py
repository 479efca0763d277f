"""Math in link texts and in search (issue 13, item 7), made by ``_ext/mathlinks.py``.

- ``tex_to_text`` turns TeX into readable text, and the search page's script does the same;
- in the built book no link text shows raw TeX: math in a link is left to MathJax (it sits
  in a ``math`` element), and nothing else in a link has a TeX command or a ``$``;
- the search index's titles have no TeX, and the search page's snippets have none either.

The built book is ``_build/html`` (``make test`` builds it). ``BACKPROP_BOOK_HTML`` points
the built-book tests at another folder, e.g. a tiny book built to check the extension.
"""

import html.parser
import json
import re
from pathlib import Path

import pytest
from conftest import BOOK_HTML

from _ext import mathlinks

ROOT = Path(__file__).resolve().parents[1]
HTML = BOOK_HTML

TEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$")

CASES = {
    r"\partial W / \partial a": "∂W / ∂a",
    r"\(b^l \mathbf{1}^\top\)": "bˡ 1ᵀ",
    r"\sum_i t_i = 1": "∑ᵢ tᵢ = 1",
    r"a\,w": "a w",
    r"a^{L-2}": "aᴸ⁻²",
    r"\delta = (a - y) \odot \sigma'(z)": "δ = (a - y) ⊙ σ'(z)",
    r"\nabla_{z^l} \ell": "∇_(zˡ) ℓ",
    r"W^l_{jk}": "Wˡⱼₖ",
    r"\tfrac12 (a - y)^2": "1/2 (a - y)²",
    r"\log_b": "log_b",
    r"\mathbb{R}^{n \times m}": "ℝ^(n × m)",
    r"\left( \frac{1}{m} \right) \Delta^l (A^{l-1})^\top": "( 1/m ) Δˡ (Aˡ⁻¹)ᵀ",
    r"\{x\}": "{x}",
    r"x^{(i)}": "x⁽ⁱ⁾",
    r"\operatorname{diag}(\sigma'(z))": "diag(σ'(z))",
    r"\unknowncommand{x}": "x",
}


@pytest.mark.parametrize("tex", list(CASES))
def test_tex_to_text(tex):
    text = mathlinks.tex_to_text(tex)
    assert text == CASES[tex]
    assert not TEX_COMMAND.search(text)


def test_tex_to_text_rejects_a_non_string():
    with pytest.raises(TypeError, match="string"):
        mathlinks.tex_to_text(3)


def built_pages():
    if not (HTML / "index.html").exists():
        return []
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.relative_to(HTML).parts)


class LinkTexts(html.parser.HTMLParser):
    """The text of every ``<a>``, less what sits in a ``math`` element (MathJax typesets it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self._stack = [], []  # open elements: (tag, is_math, is_link)

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        self._stack.append((tag, "math" in classes, tag == "a"))
        if tag == "a":
            self.links.append("")

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        in_link = any(link for _, _, link in self._stack)
        in_math = any(math for _, math, _ in self._stack)
        if in_link and not in_math:
            self.links[-1] += data


@pytest.mark.site
def test_no_link_text_shows_raw_tex():
    pages = built_pages()
    assert pages, f"the book is not built at {HTML}: run `make book` first"
    bad = []
    for page in pages:
        parser = LinkTexts()
        parser.feed(page.read_text(encoding="utf-8"))
        bad += [f"{page.relative_to(HTML)}: {t.strip()!r}" for t in parser.links if TEX_COMMAND.search(t)]
    assert not bad, "links with raw TeX:\n" + "\n".join(bad)


@pytest.mark.site
def test_links_to_titles_with_math_carry_the_math():
    """A {ref} to a title with math shows that math, typeset: a math element inside the link."""
    pages = built_pages()
    assert pages, f"the book is not built at {HTML}: run `make book` first"
    refs = 0
    for page in pages:
        for link in re.findall(r'<span class="std std-ref">(.*?)</span></a>', page.read_text(), re.S):
            if 'class="math' in link:
                refs += 1
                assert re.search(r'<span class="math notranslate nohighlight">\\\(.+?\\\)</span>', link)
    assert refs > 0, "no {ref} link to a title with math: the test has nothing to check"


def search_index():
    path = HTML / "searchindex.js"
    assert path.exists(), f"the book is not built at {HTML}: run `make book` first"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return text, json.loads(text[len("Search.setIndex("):-1])


@pytest.mark.site
def test_search_index_titles_have_no_tex():
    text, index = search_index()
    assert "\\(" not in text
    titles = list(index["titles"]) + list(index["alltitles"])
    assert titles
    bad = [t for t in titles if TEX_COMMAND.search(t)]
    assert not bad, f"search titles with TeX: {bad}"
    # The converted titles are still there: math titles were rewritten, not dropped.
    assert any("∂" in t or "ᵀ" in t or "∑" in t for t in index["alltitles"])


# -- in a browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_search_script_converts_like_tex_to_text(chromium):
    """The search page's script and ``tex_to_text`` give the same text for every case."""
    page = chromium.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=mathlinks.search_script())
    got = page.evaluate("(cases) => cases.map((c) => window.bookTexToText(c))", list(CASES))
    page.close()
    assert got == [mathlinks.tex_to_text(c) for c in CASES]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["bias", "gradient"])
def test_search_snippets_show_no_raw_tex(chromium, book_url, query):
    page = chromium.new_page()
    page.goto(f"{book_url}/search.html?q={query}", wait_until="load")
    # The status line says "Search finished" once every hit is listed; snippets follow.
    page.wait_for_function("() => /finished|did not match/.test("
                           "document.querySelector('#search-results .search-summary')?.innerText || '')")
    page.wait_for_load_state("networkidle")
    snippets = page.eval_on_selector_all("#search-results p.context", "els => els.map(e => e.textContent)")
    titles = page.eval_on_selector_all("#search-results li > a", "els => els.map(e => e.textContent)")
    page.close()
    assert snippets, f"no search snippet for {query!r}"
    bad = [s for s in snippets + titles if TEX_COMMAND.search(s)]
    assert not bad, f"search results with raw TeX: {bad}"
