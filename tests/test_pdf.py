"""The book as a PDF typeset as a book (``make pdf``, which ``make test`` runs first).

``_build/pdf/book.pdf`` is made by Sphinx's LaTeX builder and XeLaTeX (``_ext/latexbook.py``,
``_ext/latex/backpropbook.sty``). Read from its text, its page labels and its outline:

- a title page with the book's title, version and address (``tools.book``);
- a contents that lists every chapter with the page it starts on, and a page for every part;
- the outline: the preface, the parts and, under them, the chapters, in reading order;
- cross-references print the number and the page of what they point to, and the page is right;
- an index that lists every term of ``tools.book.INDEX_TERMS`` with its page numbers;
- each exercise says on which page its solution is, and that page has it, at the chapter's end;
- no empty page except before a part or a chapter; no equation number on a page without its
  equation; no web wording ("rocket", "click", "move the slider"); no raw TeX;
- the page: a serif body at 60-75 characters a line, margins of at least 20 mm, code that
  fits (no continuation marks, no line of the log's overfull boxes in code);
- every figure embedded, every slider figure at its defaults ("Shown at ..."), every
  self-check with its options and each chapter's answer key.

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
LOG = ROOT / "_build" / "pdf" / "book.log"      # XeLaTeX's log, copied by make pdf
MM = 72 / 25.4                                   # points in a millimetre


def title_of(doc):
    for cell in json.loads((ROOT / f"{doc}.ipynb").read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            found = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
            if found:
                return found.group(1).strip()
    raise AssertionError(f"{doc} has no '# Title' heading")


ENTRIES = book.toc_entries()
CHAPTERS = [e for e in ENTRIES if e["number"] and not e["parent"]]     # numbered or lettered
PARTS = list(dict.fromkeys(e["part"] for e in ENTRIES if e["part"]))


def normalize(text):
    """Text as a reader sees it: ligatures split and mathematical italics plain (NFKC), soft
    hyphens dropped, one space between words."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.replace("\u2019", "'").replace("\u2018", "'")       # Sphinx's smart quotes
    return re.sub(r"\s+", " ", text).strip()


def squash(text):
    """Without any space: a title wrapped over two lines may lose the space at the break."""
    return re.sub(r"\s+", "", normalize(text))


@pytest.fixture(scope="module")
def reader():
    assert PDF.exists(), f"{PDF.relative_to(ROOT)} is missing: run `make pdf` (`make test` builds it first)"
    from pypdf import PdfReader

    return PdfReader(PDF)


@pytest.fixture(scope="module")
def raw_pages(reader):
    return [page.extract_text() or "" for page in reader.pages]


@pytest.fixture(scope="module")
def pages(raw_pages):
    return [normalize(text) for text in raw_pages]


@pytest.fixture(scope="module")
def labels(reader):
    """The printed page number of each page ("iii" in the front matter, then 1, 2, ...)."""
    return list(reader.page_labels)


def page_of(labels, label):
    """Index of the body page printed ``label`` (the front matter's labels are roman)."""
    hits = [k for k, name in enumerate(labels) if name == str(label)]
    assert hits, f"no page is numbered {label}"
    return hits[-1]


def starts(pages, title):
    """Pages whose text begins with ``title`` (after "CHAPTER n" or "APPENDIX A")."""
    key = squash(title)
    return [k for k, text in enumerate(pages)
            if re.sub(r"^(CHAPTER\d+|APPENDIX[A-Z])", "", squash(text)).startswith(key)]


# -- the book's parts --------------------------------------------------------------------------

def test_the_title_page_names_the_book_its_version_and_address(pages):
    first = pages[0]
    for fact in (book.title(), f"Version {book.package_version()}", book.repository_url()):
        assert squash(fact) in squash(first), f"the title page lacks {fact!r}: {first[:300]!r}"


def test_the_contents_list_every_chapter_with_the_page_it_starts_on(pages, labels):
    contents = " ".join(text for text, label in zip(pages[1:12], labels[1:12])
                        if not label.isdigit())         # the front matter: roman numbers
    assert squash("Contents") in squash(contents)
    for entry in CHAPTERS:
        title = title_of(entry["doc"])
        words = r"\s*".join(map(re.escape, f"{entry['number']} {title}".split()))
        found = re.search(words + r"[\s.]*(\d+)(?=\s|$)", contents)
        assert found, f"the contents lack {entry['number']} {title!r}"
        at = page_of(labels, found.group(1))
        assert at in starts(pages, title), f"{title!r}: the contents say page {found.group(1)}"


def test_every_part_has_a_page_of_its_own(pages):
    for caption in PARTS:
        alone = [k for k, text in enumerate(pages)
                 if re.fullmatch(rf"{re.escape(normalize(caption))}( [ivxlc\d]+)?", text)]
        assert alone, f"no page for the part {caption!r}"


def test_the_outline_holds_the_parts_and_under_them_the_chapters_in_reading_order(reader):
    top = [normalize(item.title) for item in reader.outline if not isinstance(item, list)]
    assert top[0] == title_of(ENTRIES[0]["doc"]), f"the outline starts {top[:2]}"
    assert [t for t in top if t in PARTS] == PARTS, f"the parts in the outline: {top}"
    titles, order = [], []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(squash(item.title))
                order.append(reader.get_destination_page_number(item))

    walk(reader.outline)
    positions = []
    for entry in CHAPTERS:
        key = squash(title_of(entry["doc"]))
        hits = [k for k, t in enumerate(titles) if t.endswith(key)]
        assert hits, f"no outline entry for {key!r}"
        positions.append(order[hits[0]])
    assert positions == sorted(positions), "chapters out of reading order in the outline"


def test_cross_references_print_the_number_and_the_right_page(pages, labels):
    """"Chapter 8, The two-layer network (page 187)" and "§8.3 Title (page 190)": the page
    printed is the page where that chapter or section begins."""
    text = " ".join(pages)
    by_number = {e["number"]: title_of(e["doc"]) for e in CHAPTERS}
    title = r"((?:(?!\(page|Chapter|Appendix).){3,90}?)"      # text extraction may drop a space
    chapters = re.findall(rf"(Chapter|Appendix) ?([0-9A-Z]+), ?{title} ?\(page ?(\d+)\)", text)
    assert len(chapters) >= 50, f"only {len(chapters)} numbered references to chapters"
    wrong = []
    for _, number, text_, page in chapters:     # the title, or the text the reference gives
        expected = by_number.get(number)
        if expected is None or page_of(labels, page) not in starts(pages, expected):
            wrong.append((number, text_, f"page {page}"))
    assert not wrong, f"references to chapters that are wrong: {wrong[:5]}"
    sections = re.findall(rf"§ ?([0-9A-Z]+(?:\.\d+)+) ?{title} ?\(page ?(\d+)\)", text)
    assert len(sections) >= 50, f"only {len(sections)} numbered references to sections"
    misplaced = [(n, page) for n, _, page in sections
                 if not re.search(rf"(^|\s){re.escape(n)} ?[^\d.\s]", pages[page_of(labels, page)])]
    assert not misplaced, f"section references whose page lacks the section: {misplaced[:5]}"


def index_text(pages, reader):
    start = [k for k, text in enumerate(pages) if k > 12 and text.startswith("Index")]
    assert start, "the PDF has no index"
    return "\n".join(reader.pages[k].extract_text() for k in range(start[0], len(pages)))


def test_the_index_lists_the_books_terms_with_their_pages(pages, reader):
    index = squash(index_text(pages, reader))
    missing = []
    for term, subs in book.INDEX_TERMS.items():
        # a term is listed with its pages, or (when it has sub-entries) above theirs
        if not re.search(re.escape(squash(term)) + (r"" if subs else r"[a-z]{0,40},?[^A-Za-z]*\d"), index):
            missing.append(term)
        missing += [f"{term}; {sub}" for sub in subs if squash(sub) not in index]
    assert not missing, f"terms missing from the PDF's index (or without a page): {missing}"


def test_each_exercise_says_where_its_solution_is_at_the_chapters_end(pages, labels):
    text = " ".join(pages)
    pointers = re.findall(r"Exercise ([0-9A-Z]+\.\d+) (?:(?!Exercise [0-9A-Z]+\.\d).){0,2500}?"
                          r"Solution on page (\d+)\.", text)
    exercises = set(re.findall(r"Solution to Exercise ([0-9A-Z]+\.\d+)", text))
    assert len(exercises) >= 3 * len(CHAPTERS) - 10, f"only {len(exercises)} solutions printed"
    assert {n for n, _ in pointers} == exercises, "exercises without a 'Solution on page' line"
    body = " ".join(pages[12:])                  # after the contents
    for number, page in pointers:
        at = page_of(labels, page)
        assert f"Solution to Exercise {number}" in pages[at], f"Exercise {number}: not on page {page}"
        solution = body.find(f"Solution to Exercise {number} ")
        heading = body.rfind("Solutions to the exercises", 0, solution)
        assert -1 < body.find(f"Exercise {number} ") < heading < solution, \
            f"the solution to Exercise {number} is not in its chapter's solutions"


# -- the page ---------------------------------------------------------------------------------

def test_no_page_is_empty_except_before_a_part_or_a_chapter(pages, reader):
    heads = {squash(c) for c in PARTS} | {squash(title_of(e["doc"])) for e in CHAPTERS}
    for k, text in enumerate(pages[:-1]):
        words = re.findall(r"[A-Za-z]{3,}", text)
        if words or (reader.pages[k].get("/Resources") or {}).get("/XObject"):
            continue
        following = re.sub(r"^(CHAPTER\d+|APPENDIX[A-Z])", "", squash(pages[k + 1]))
        assert any(following.startswith(h) for h in heads), f"page {k + 1} is empty"


EQUATION_NUMBER = re.compile(r"\(([0-9]+|[A-Z])\.\d+\)")


def test_no_equation_number_stands_on_a_page_without_its_equation(raw_pages):
    """An equation and its number are one box in LaTeX; the check is that no page opens (below
    its running head) with a line that is only an equation number."""
    stranded = []
    for k, text in enumerate(raw_pages):
        lines = [normalize(line) for line in text.split("\n") if normalize(line)]
        body = lines[1:3] if lines and lines[0].startswith(("Chapter", "Appendix", "Preface")) else lines[:2]
        stranded += [(k + 1, line) for line in body if EQUATION_NUMBER.fullmatch(line)]
    assert not stranded, f"pages that open with an equation number alone: {stranded}"
    assert sum(len(EQUATION_NUMBER.findall(t)) for t in raw_pages) > 100, "the equations lost their numbers"


WEB_WORDING = ["rocket", "click", "move the slider", "move the learning rate", "drag the",
               "tap the", "hover", "toggle"]


def test_no_web_wording(pages):
    text = " ".join(pages).lower()
    found = [(w, text[hit.start() - 60:hit.end() + 40]) for w in WEB_WORDING
             for hit in re.finditer(rf"\b{w}\b", text)]
    assert not found, f"web wording in the PDF: {found[:5]}"


RAW_TEX = [r"\frac", r"\(", r"\)", r"\[", r"\]", "$$", r"\begin{", r"\end{", r"\mathbf", r"\partial",
           r"\nabla", r"\top", r"\sigma", r"\odot", r"\sum", r"\ell", r"\displaystyle"]


def code_of_the_book():
    sources = []
    for entry in ENTRIES:
        for cell in json.loads((ROOT / f"{entry['doc']}.ipynb").read_text())["cells"]:
            if cell["cell_type"] == "code":
                sources.append("".join(cell["source"]))
    return normalize("\n".join(sources))


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


def prose_lines(raw_pages):
    """Full lines of running text: words and punctuation only, no formula and no code."""
    return [line for text in raw_pages for line in text.split("\n")
            if re.fullmatch(r"[A-Za-z ,.;:'’“”()\-]{40,}", line)]


def test_the_body_is_a_serif_at_60_to_75_characters_a_line(reader, raw_pages):
    lengths = sorted(len(line) for line in prose_lines(raw_pages))
    assert len(lengths) > 500
    median, longest = lengths[len(lengths) // 2], lengths[int(0.95 * len(lengths))]
    assert 60 <= median <= 75 and longest <= 80, f"characters a line: median {median}, 95th {longest}"
    fonts = set()
    for page in reader.pages[10:20]:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("FreeSerif" in f for f in fonts), f"the body font is not the book's serif: {fonts}"


def test_margins_are_at_least_20_mm(reader):
    xs = []

    def visit(text, cm, tm, font, size):
        # the book's text and code (a figure's own text is placed inside its drawing)
        name = str((font or {}).get("/BaseFont", ""))
        if text.strip() and ("FreeSerif" in name or "DejaVuSansMono" in name):
            xs.append(cm[4] + tm[4] * cm[0])

    for page in reader.pages[10::25]:
        page.extract_text(visitor_text=visit)
    width = float(reader.pages[10].mediabox.width)
    assert xs and min(xs) >= 20 * MM, f"text {min(xs) / MM:.1f} mm from the left edge"
    assert max(xs) <= width - 20 * MM, f"text starts {(width - max(xs)) / MM:.1f} mm from the right edge"


def test_code_fits_the_page(pages):
    """Sphinx breaks a code line too long for the measure and marks the break with ↪."""
    broken = [(k + 1, text[text.find("↪") - 60:text.find("↪") + 10]) for k, text in enumerate(pages)
              if "↪" in text]
    assert not broken, f"code lines broken to fit the page: {broken[:5]}"
    assert LOG.exists(), "make pdf copies XeLaTeX's log to _build/pdf/book.log"
    wide = re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)[^\n]*\n[^\n]*DejaVuSansMono", LOG.read_text())
    assert not [w for w in wide if float(w) > 20 * MM], f"code wider than the page by {max(map(float, wide))} pt"


# -- what the chapters show -------------------------------------------------------------------

def explore_calls(doc):
    return sum("".join(cell["source"]).count("explore(")
               for cell in json.loads((ROOT / f"{doc}.ipynb").read_text())["cells"]
               if cell["cell_type"] == "code")


def images_on(page):
    count = 0
    for obj in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
        obj = obj.get_object()
        count += 1 if obj.get("/Subtype") in ("/Image", "/Form") else 0
    return count


def test_every_chapter_that_draws_prints_its_figures(reader, pages):
    drawing = [e for e in CHAPTERS if explore_calls(e["doc"])]
    assert drawing
    firsts = sorted((starts(pages, title_of(e["doc"]))[0], e["doc"]) for e in CHAPTERS)
    bounds = dict(zip([d for _, d in firsts], zip([s for s, _ in firsts], [s for s, _ in firsts[1:]] + [len(pages)])))
    without = [e["doc"] for e in drawing
               if not sum(images_on(reader.pages[k]) for k in range(*bounds[e["doc"]]))]
    assert not without, f"chapters whose figures are not in the PDF: {without}"


def test_slider_figures_are_printed_at_their_defaults(pages):
    text = " ".join(pages)
    n_figures = sum(explore_calls(e["doc"]) for e in ENTRIES)
    # the line drawn under a printed frame names its values ("Shown at learning rate η = 0.15");
    # the print wording that refers to it ('its line “Shown at” names') does not count
    drawn = re.findall(r"Shown at [^.”\"]{0,80}=", text)
    assert len(drawn) >= n_figures, f"{n_figures} slider figures, {len(drawn)} 'Shown at ...' lines"
    assert "<Explorer" not in text, "a slider figure printed as its repr"


def test_self_checks_print_with_their_options_and_each_chapter_its_answers(pages):
    from backprop.practice import selfcheck

    text = squash(" ".join(pages))
    for chapter in selfcheck.chapters():
        for q in selfcheck.load(chapter)["questions"]:
            if q["kind"] == "numeric":
                continue
            plain = [o["text"] for o in q["options"] if not re.search(r"[$`*]", o["text"])]
            for option in plain:
                assert squash(option)[:40] in text, f"{chapter}/{q['id']}: {option!r} not printed"
    assert text.count(squash("Answers to this chapter's self-checks")) == len(selfcheck.chapters())


@pytest.mark.pdf(needs=("pdf", "book"))
def test_the_site_offers_the_pdf_on_its_download_button():
    """_ext/pdflink.py: an HTML build made after `make pdf` (as `make test` and the workflow do)."""
    html = ROOT / "_build" / "html"
    assert (html / "book.pdf").exists(), "_build/html/book.pdf is missing: build the site after `make pdf`"
    for entry in ENTRIES:
        page = html / f"{entry['doc']}.html"
        assert re.search(r'href="(\.\./)*book\.pdf"', page.read_text()), f"{page.name}: no link to book.pdf"
