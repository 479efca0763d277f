"""The built site (``make book``): page sizes, launch links, offline assets. No browser needed."""

import re
from pathlib import Path

import pytest

from tools import book

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
MAX_PAGE_BYTES = 3 * 1024 * 1024


def pages():
    assert (HTML / "index.html").exists(), "the book is not built: run `make book` first"
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


def chapter_pages():
    return sorted((HTML / "chapters").glob("*.html"))


def test_every_chapter_has_a_page():
    built = {p.stem for p in chapter_pages()}
    sources = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert sources <= built, f"chapters without a page: {sorted(sources - built)}"


def test_every_page_is_within_the_size_budget():
    sizes = {str(p.relative_to(HTML)): p.stat().st_size for p in pages()}
    biggest = max(sizes, key=sizes.get)
    print(f"biggest page: {biggest}, {sizes[biggest] / 1e6:.2f} MB")
    over = {k: v for k, v in sizes.items() if v > MAX_PAGE_BYTES}
    assert not over, f"pages over 3 MB: {over}"


def test_colab_and_download_links_point_to_files_that_exist():
    """Colab opens the reader notebook at the release tag; the download offers the same notebook."""
    owner_repo = book.repository_url().removeprefix("https://github.com/")
    tag = book.release_tag()
    for page in chapter_pages():
        html = page.read_text()
        colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', html)
        code_cells = '<div class="cell docutils container">' in html
        if not code_cells:
            continue
        assert colab, f"{page.name}: no Colab button"
        prefix = f"https://colab.research.google.com/github/{owner_repo}/blob/{tag}/"
        assert colab[0].startswith(prefix), colab[0]
        target = colab[0].removeprefix(prefix)
        assert target == f"notebooks/{page.stem}.ipynb"
        assert (ROOT / target).exists(), f"Colab link to a missing file: {target}"
        downloads = re.findall(r'href="([^"]+\.ipynb)"[^>]*download', html) or \
            re.findall(r'href="(\.\./_sources/[^"]+\.ipynb)"', html)
        assert downloads, f"{page.name}: no .ipynb download button"
        assert downloads[0].endswith(f"_sources/notebooks/{page.stem}.ipynb"), downloads[0]
        downloaded = (page.parent / downloads[0]).resolve()
        assert downloaded.read_text() == (ROOT / target).read_text(), "the download is not the reader notebook"


def test_no_page_references_an_outside_script_or_stylesheet():
    """Scripts, styles, fonts and images are served by the site itself."""
    pattern = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//[^"]*"', re.I)
    outside = {str(p.relative_to(HTML)): pattern.findall(p.read_text()) for p in pages()}
    outside = {k: v for k, v in outside.items() if v}
    assert not outside, f"pages that load from other hosts: {outside}"


def test_mathjax_is_served_locally():
    page = (HTML / "chapters" / "notation.html").read_text()
    assert re.search(r'<script[^>]+src="\.\./_static/mathjax/tex-chtml\.js', page)
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (HTML / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_no_widget_state_or_thebe_in_pages():
    for page in pages():
        html = page.read_text()
        assert "application/vnd.jupyter.widget-state+json" not in html, page.name
        assert "THEBE_JS_URL" not in html and "sphinx-thebe.js" not in html, page.name


def test_sympy_output_is_typeset_math_not_png():
    html = (HTML / "chapters" / "notation.html").read_text()
    assert "\\displaystyle" in html
    assert 'class="math notranslate nohighlight"' in html


def test_slider_frames_are_files_that_exist():
    """The static players name their frames as files under _frames/ (none inline), and each exists."""
    named = 0
    for page in chapter_pages():
        html = page.read_text()
        if 'class="bp-explorer"' not in html:
            continue
        assert "data:image/png;base64" not in html, f"{page.name}: a slider frame is inline"
        sources = set(re.findall(r'"(\.\./_frames/[0-9a-f]{40}\.png)"', html))
        assert sources, f"{page.name}: an explorer names no frame files"
        missing = [s for s in sources if not (page.parent / s).resolve().exists()]
        assert not missing, f"{page.name}: frames missing from the site: {missing[:3]}"
        named += len(sources)
    assert named > 0, "no page has slider frames"


# -- what the pages print (issue 25, item 4) ------------------------------------------------

ERRATA_BOX = re.compile(r'<div class="([^"]*)">\s*<p class="admonition-title">Related errata</p>')


def test_related_errata_is_the_same_collapsed_box_on_every_chapter():
    """Every chapter's "Related errata" box is a collapsed dropdown (``seealso dropdown``), one per page."""
    kinds = {}
    for page in chapter_pages():
        boxes = ERRATA_BOX.findall(page.read_text())
        assert len(boxes) <= 1, f"{page.name}: {len(boxes)} Related errata boxes"
        if boxes:
            kinds[page.stem] = frozenset(boxes[0].split())
    assert len(kinds) >= 12, f"only {len(kinds)} chapters have a Related errata box"
    assert all({"dropdown", "seealso", "admonition"} <= k for k in kinds.values()), kinds
    assert len(set(kinds.values())) == 1, {k: sorted(v) for k, v in kinds.items()}


def test_no_page_prints_that_a_tool_is_missing():
    """No cell output says that a tool is missing or that a check was skipped."""
    bad, n_outputs = [], 0
    for page in pages():
        for output in re.findall(r'<div class="cell_output[^"]*">(.*?)</div>\s*</div>', page.read_text(), re.S):
            text = re.sub(r"<[^>]+>", "", output)
            n_outputs += 1
            if re.search(r"not installed|skipped", text, re.I):
                bad.append(f"{page.relative_to(HTML)}: {text.strip()[:100]!r}")
    assert n_outputs > 100, f"only {n_outputs} cell outputs found: has the theme's markup changed?"
    assert not bad, "\n".join(bad)
