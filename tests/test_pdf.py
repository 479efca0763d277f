"""The book as a PDF (``make pdf``, which ``make test`` runs first): ``_build/pdf/book.pdf``.

- every page's title (chapters, and the errata's pages per source document) is in the text,
  and in the outline, in reading order;
- no raw TeX shows (MathJax typeset everything before printing);
- the figures are embedded as images, in every chapter that draws one;
- every slider figure is printed at its default values, with a line that says so;
- the pages are numbered, and their number is plausible for the book's length.

A missing PDF fails every test here under ``make test``; elsewhere they skip and say to run ``make pdf``.
"""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from tools import book

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "_build" / "pdf" / "book.pdf"


def toc_chapters():
    """Every page of ``_toc.yml`` in reading order, the ``sections:`` of a chapter included."""
    return [ROOT / f"{doc}.ipynb" for doc, _ in book.toc_pages()]


def title_of(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            found = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
            if found:
                return found.group(1).strip()
    raise AssertionError(f"{path.name} has no '# Title' heading")


CHAPTERS = toc_chapters()
TITLES = [title_of(p) for p in CHAPTERS]


def normalize(text):
    """Text as a reader sees it: ligatures split (NFKC), soft hyphens dropped, one space between words."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def squash(text):
    """Without any space: a title wrapped over two lines may lose the space at the break."""
    return re.sub(r"\s+", "", normalize(text))


def code_of_the_book():
    """Every code cell's source (normalized): TeX written in code may show in the PDF as code."""
    sources = []
    for path in CHAPTERS:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                sources.append("".join(cell["source"]))
    return normalize("\n".join(sources))


@pytest.fixture(scope="module")
def reader():
    assert PDF.exists(), f"{PDF.relative_to(ROOT)} is missing: run `make pdf` (`make test` builds it first)"
    from pypdf import PdfReader

    return PdfReader(PDF)


@pytest.fixture(scope="module")
def pages(reader):
    return [normalize(page.extract_text() or "") for page in reader.pages]


@pytest.fixture(scope="module")
def outline(reader):
    """``(title, page index)`` of every outline entry, depth first (reading order)."""
    entries = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append((normalize(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline)
    return entries


def chapter_pages(outline, n_pages):
    """Page range of each chapter, from the outline entry of its title to the next chapter's."""
    starts = []
    for title in TITLES:
        hits = [page for name, page in outline if squash(name).endswith(squash(title))]
        assert hits, f"no outline entry for {title!r}"
        starts.append(hits[0])
    return [range(s, e if e > s else s + 1) for s, e in zip(starts, starts[1:] + [n_pages])]


def test_every_chapter_title_is_in_the_text(pages):
    text = squash(" ".join(pages))
    missing = [t for t in TITLES if squash(t) not in text]
    assert not missing, f"chapter titles missing from the PDF's text: {missing}"


def test_the_outline_is_clickable_and_in_reading_order(outline, pages):
    assert len(outline) > len(TITLES), "the outline should list the chapters and their sections"
    ranges = chapter_pages(outline, len(pages))
    starts = [r.start for r in ranges]
    assert starts == sorted(starts), f"chapters out of reading order: {list(zip(TITLES, starts))}"
    for title, r in zip(TITLES, ranges):
        assert squash(title) in squash(" ".join(pages[r.start:r.start + 2])), f"{title!r} is not on its page"


def test_the_outline_has_the_chapters_at_its_top_and_every_title_as_it_reads(reader, outline):
    """tools/pdf.py rewrites Chromium's outline: the chapters and appendices at the top level,
    not under the preface, numbered as on the site ("7.", "B."), and every title as its
    heading reads. Chromium glues words where a heading wraps, repeats short titles
    ("Checked three waysChecked three ways") and drops formulas."""
    top = [normalize(item.title) for item in reader.outline if not isinstance(item, list)]
    expected = [f"{e['number']}. {title_of(ROOT / (e['doc'] + '.ipynb'))}" if e["number"]
                else title_of(ROOT / (e["doc"] + ".ipynb"))
                for e in book.toc_entries() if not e["parent"]]
    assert top == expected, f"the outline's top level: {top}"
    titles = [title for title, _ in outline]
    repeated = [t for t in titles if re.search(r"(.{6,})\1", squash(t))]
    assert not repeated, f"outline titles that repeat themselves: {repeated[:5]}"
    raw = [t for t in titles if any(token in t for token in RAW_TEX)]
    assert not raw, f"outline titles with raw TeX: {raw[:5]}"
    # a title that wraps in print keeps its spaces: each word is a word of some heading
    glued = [t for t in titles if any(len(word) > 24 for word in t.split())]
    assert not glued, f"outline titles with words glued together: {glued[:5]}"


RAW_TEX = [r"\frac", r"\(", r"\)", r"\[", r"\]", "$$", r"\begin{", r"\end{", r"\mathbf", r"\partial",
           r"\nabla", r"\top", r"\sigma", r"\odot", r"\sum", r"\ell"]


def test_no_raw_tex_shows(pages):
    code = code_of_the_book()
    shown = []
    for k, text in enumerate(pages):
        for token in RAW_TEX:
            for hit in re.finditer(re.escape(token), text):
                context = text[max(0, hit.start() - 12):hit.end() + 12]
                # TeX inside a code cell is code (a SymPy or Matplotlib string), shown as written
                if not any(context[i:i + 16] in code for i in range(0, max(1, len(context) - 15))):
                    shown.append((k + 1, context))
    assert not shown, f"raw TeX in the PDF (page, text): {shown[:10]}"


def images_on(page):
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    count = 0
    for obj in xobjects.values():
        obj = obj.get_object()
        if obj.get("/Subtype") == "/Image":
            count += 1
        elif obj.get("/Subtype") == "/Form":          # Chromium wraps some images in a form
            count += images_on(obj)
    return count


def test_figures_are_embedded_as_images(reader, outline, pages):
    ranges = chapter_pages(outline, len(pages))
    per_chapter = {}
    for path, r in zip(CHAPTERS, ranges):
        per_chapter[path.stem] = sum(images_on(reader.pages[k]) for k in r)
    drawing = [p.stem for p in CHAPTERS if explore_calls(p)]
    assert drawing, "no chapter draws a figure"
    without = [name for name in drawing if per_chapter[name] == 0]
    assert not without, f"chapters whose figures are not in the PDF: {without} ({per_chapter})"


def explore_calls(path):
    return sum("".join(cell["source"]).count("explore(") for cell in json.loads(path.read_text())["cells"]
               if cell["cell_type"] == "code")


def test_slider_figures_are_printed_at_their_defaults(pages):
    text = " ".join(pages)
    n_figures = sum(explore_calls(p) for p in CHAPTERS)
    assert text.count("Shown at ") >= n_figures, "a slider figure without its 'Shown at ...' line"
    assert "Run the notebook to move the sliders" not in text


def test_pages_are_numbered(pages):
    n = len(pages)
    unnumbered = [k + 1 for k, text in enumerate(pages) if not re.search(rf"(^|\s){k + 1} / {n}($|\s)", text)]
    assert not unnumbered, f"pages without 'k / {n}' in the footer: {unnumbered[:10]}"


def test_page_count_is_plausible(pages):
    # At least a page for each chapter; at most about 40 (a long chapter with its figures,
    # exercises and solutions runs to about 25 A4 pages).
    assert len(TITLES) <= len(pages) <= 40 * len(TITLES), f"{len(pages)} pages for {len(TITLES)} chapters"


def test_no_web_page_furniture(pages):
    """Toggles, search and navigation belong to the site; the PDF shows the content."""
    text = " ".join(pages)
    for furniture in ["Show code cell", "Hide code cell", "Search Ctrl", "Skip to main content",
                      "previous next"]:
        assert furniture not in text, f"{furniture!r} is printed"


@pytest.mark.pdf(needs=("pdf", "book"))
def test_the_site_offers_the_pdf_on_its_download_button():
    """_ext/pdflink.py: an HTML build made after `make pdf` (as `make test` and the workflow do)."""
    html = ROOT / "_build" / "html"
    assert PDF.exists(), f"{PDF.relative_to(ROOT)} is missing: run `make pdf`"
    assert (html / "book.pdf").exists(), "_build/html/book.pdf is missing: build the site after `make pdf`"
    for path in CHAPTERS:
        page = html / path.relative_to(ROOT).with_suffix(".html")
        assert re.search(r'href="(\.\./)*book\.pdf"', page.read_text()), f"{page.name}: no link to book.pdf"


def test_self_checks_print_with_their_options_and_each_chapter_its_answers(pages):
    """Every self-check prints its options (the site's buttons), and each chapter its answer key."""
    from backprop.practice import selfcheck

    text = squash(" ".join(pages))
    for chapter in selfcheck.chapters():
        for q in selfcheck.load(chapter)["questions"]:
            if q["kind"] == "numeric":
                continue
            plain = [o["text"] for o in q["options"] if not re.search(r"[$`*]", o["text"])]
            for option in plain:
                assert squash(normalize(option))[:40] in text, f"{chapter}/{q['id']}: {option!r} not printed"
    assert text.count(squash("Answers to this chapter's self-checks")) == len(selfcheck.chapters())
