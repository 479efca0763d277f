"""The built site (``make book``): numbered chapters, lettered appendices, numbered figures,
equations and exercises, and alt text on every image (issue 13). No browser needed.

Numbers are Sphinx's (``numfig``): per chapter, "Fig. 7.2", "(7.3)", "Exercise 7.1";
``_ext/numbering.py`` turns the appendices' numbers into letters, "A.1", "Exercise B.2".
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from string import ascii_uppercase

import pytest

from tools import book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
#: Every page of the book in reading order, numbered by tools/book.py (the numbering the site uses).
TOC = book.toc_entries()
CHAPTERS = [e["doc"] for e in TOC if e["part"] and not e["parent"]]
APPENDICES = [e["doc"] for e in TOC if e["part"] == book.APPENDICES and not e["parent"]]
#: Every numbered page, the sections of a chapter included: {docname: toc entry}.
ENTRIES = {e["doc"]: e for e in TOC if e["number"]}
#: The pages of the chapters' ``sections:`` (the errata's one page per source document).
SECTION_PAGES = [doc for doc, e in ENTRIES.items() if e["parent"]]
PAGES = [doc for doc in ENTRIES]


def test_the_book_numbers_chapters_on_through_the_parts_and_letters_the_appendices(tmp_path):
    """tools/book.py's numbering, on a small table of contents (no build needed)."""
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n"
        "  - caption: Conventions\n    numbered: true\n    chapters:\n      - file: a\n"
        "  - caption: Unnumbered\n    chapters:\n      - file: x\n"
        "  - caption: Tools\n    numbered: true\n    chapters:\n      - file: b\n      - file: c\n"
        "  - caption: Appendices\n    numbered: true\n    chapters:\n      - file: d\n      - file: e\n"
        "        sections:\n          - file: e1\n          - file: e2\n")
    got = [(e["doc"], e["number"], e["chapter"], e["parent"]) for e in book.toc_entries(tmp_path)]
    assert got == [("intro", None, None, None), ("a", "1", "1", None), ("x", None, None, None),
                   ("b", "2", "2", None), ("c", "3", "3", None), ("d", "A", "A", None),
                   ("e", "B", "B", None), ("e1", "B.1", "B", "e"), ("e2", "B.2", "B", "e")]
    assert book.toc_sections("e", tmp_path) == ["e1", "e2"]
    assert book.toc_pages(tmp_path)[-1] == ("e2", "B.2")


def page(docname):
    path = HTML / f"{docname}.html"
    assert path.exists(), f"the book is not built ({path} is missing): run `make book` first"
    return path.read_text(encoding="utf-8")


def main_part(html):
    """The page's article: its text and figures, without the header's buttons and logos."""
    start, end = html.find('<article class="bd-article"'), html.rfind("</article>")
    assert start >= 0 and end > start, "page without its article"
    return html[start:end]


def section_number(html):
    """The page's number as shown before its title: "7" or "A"."""
    m = re.search(r'<h1><span class="section-number">([^<]*?)\.?\s*</span>', html)
    return m.group(1) if m else None


class Figures(HTMLParser):
    """Images and explorers of a page's main part, and whether each sits in a numbered figure."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_in_figure = 0
        self.items = []          # [kind, attrs, index of the figure or None]
        self.figures = []        # per figure: has a caption number
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "figure":
            self.figures.append(False)
            self.stack.append(len(self.figures) - 1)
        figure = self.stack[-1] if self.stack else None
        if tag == "div" and "bp-explorer" in classes:
            self.items.append(["explorer", attrs, figure])
        elif tag == "img" and "bp-frame" not in classes:
            self.items.append(["img", attrs, figure])
        elif tag == "img":
            self.items.append(["frame", attrs, figure])
        if tag == "span" and "caption-number" in classes and figure is not None:
            self.figures[figure] = True

    def handle_endtag(self, tag):
        if tag == "figure" and self.stack:
            self.stack.pop()


def parsed(docname):
    parser = Figures()
    parser.feed(main_part(page(docname)))
    return parser


def has_derivation(docname):
    """A chapter derives something when its notebook, or one of its section pages', runs SymPy."""
    for doc in [docname, *book.toc_sections(docname)]:
        path = ROOT / f"{doc}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"cells": []}
        if any("sympy" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"):
            return True
    return False


@pytest.mark.site
@pytest.mark.parametrize("docname", APPENDICES)
def test_appendix_titles_are_lettered(docname):
    letter = ascii_uppercase[APPENDICES.index(docname)]
    html = page(docname)
    assert section_number(html) == letter, f"{docname}: title numbered {section_number(html)!r}"
    sub = re.findall(r'<h2><span class="section-number">([^<]*)</span>', html)
    assert all(s.startswith(f"{letter}.") for s in sub), f"{docname}: sections {sub}"


@pytest.mark.site
def test_chapters_are_numbered_and_appendices_follow_in_the_sidebar():
    html = page(CHAPTERS[1])
    for k, doc in enumerate(APPENDICES):
        href = f'{Path(doc).name}.html"'
        m = re.search(re.escape(href) + r'[^>]*>\s*([A-Z0-9]+)\.\s', html)
        assert m and m.group(1) == ascii_uppercase[k], f"sidebar entry of {doc}: {m and m.group(1)}"


@pytest.mark.site
def test_section_pages_are_numbered_within_their_appendix():
    """Appendix B's pages read B.1, B.2, B.3 (title, headings, sidebar), not 13.5; the appendix
    page's own headings below its title are unnumbered, since its sections are those pages."""
    assert SECTION_PAGES, "no chapter has sections"
    for doc in SECTION_PAGES:
        number, html = ENTRIES[doc]["number"], page(doc)
        assert number[0] in ascii_uppercase and number.count(".") == 1, number
        assert section_number(html) == number, f"{doc}: title numbered {section_number(html)!r}"
        sub = re.findall(r'<h2><span class="section-number">([^<]*)</span>', html)
        assert sub and all(s.startswith(f"{number}.") for s in sub), f"{doc}: sections {sub}"
        href = f'{Path(doc).name}.html"'
        entry = re.search(re.escape(href) + r'[^>]*>\s*([A-Z0-9.]+)\.\s', page(CHAPTERS[1]))
        assert entry and entry.group(1) == number, f"sidebar entry of {doc}: {entry and entry.group(1)}"
        parent = page(ENTRIES[doc]["parent"])
        assert not re.findall(r'<h[2-6]><span class="section-number">', main_part(parent)), \
            f"{ENTRIES[doc]['parent']}: its own headings are numbered"


@pytest.mark.site
@pytest.mark.parametrize("docname", PAGES)
def test_exercise_numbers_start_with_the_page_number(docname):
    """Exercises are numbered per chapter, on through its section pages: "Exercise B.3" on page B.2."""
    html = main_part(page(docname))
    number = ENTRIES[docname]["chapter"]
    assert section_number(page(docname)) == ENTRIES[docname]["number"], docname
    exercises = re.findall(r'<span class="caption-number">Exercise ([^<\s]+)\s*</span>', html)
    if not exercises:
        return
    assert number, f"{docname} has exercises but no number"
    wrong = [e for e in exercises if not e.startswith(f"{number}.")]
    assert not wrong, f"{docname} (number {number}): exercises numbered {wrong}"
    assert len(set(exercises)) == len(exercises), f"{docname}: repeated numbers {exercises}"


@pytest.mark.site
@pytest.mark.parametrize("docname", PAGES)
def test_numbered_references_do_not_repeat_their_kind(docname):
    """A reference to an exercise or figure already reads "Exercise 8.1" or "Fig. 7.2": the
    text before it must not say "exercise" or "figure" again ("exercise Exercise 8.1")."""
    html = main_part(page(docname))
    doubled = re.findall(r'\b(exercises?|figures?|fig\.|equations?|eq\.)\s*<a class="reference internal"'
                         r'[^>]*>\s*<span class="std std-numref">([^<]*)', html, flags=re.IGNORECASE)
    assert not doubled, f"{docname}: {[' '.join(d) for d in doubled]}"


@pytest.mark.site
@pytest.mark.parametrize("docname", [d for d in CHAPTERS if has_derivation(d)])
def test_every_chapter_with_a_derivation_has_numbered_equations(docname):
    """A chapter and its section pages: equations "(B.1)", on through the pages."""
    number = section_number(page(docname))
    numbers = [n for doc in [docname, *book.toc_sections(docname)]
               for n in re.findall(r'<span class="eqno">\(([^)]+)\)', main_part(page(doc)))]
    assert numbers, f"{docname}: no numbered equation"
    assert all(n.startswith(f"{number}.") for n in numbers), f"{docname}: {numbers}"
    assert len(set(numbers)) == len(numbers), f"{docname}: repeated numbers {numbers}"


@pytest.mark.site
def test_previous_and_next_links_show_the_pages_numbers():
    """The footer's "previous"/"next" and the head's rel links name a page by its number: "B.1.", not "13.5."."""
    known = {e["number"] for e in ENTRIES.values()}
    for doc in ENTRIES:
        html = page(doc)
        numbers = re.findall(r'prev-next-title"><span class="section-number">([^<]*?)\.\s*</span>', html)
        numbers += re.findall(r'<link rel="(?:prev|next)" title="([0-9A-Z.]+?)\. ', html)
        assert numbers and set(numbers) <= known, f"{doc}: links numbered {numbers}"


@pytest.mark.site
def test_exercises_run_on_through_the_section_pages():
    """One sequence per chapter: B.1, B.2, B.3 over the appendix page and its pages, in order."""
    for doc in {ENTRIES[d]["parent"] for d in SECTION_PAGES}:
        letter = ENTRIES[doc]["chapter"]
        found = [e for d in [doc, *book.toc_sections(doc)] for e in re.findall(
            r'<span class="caption-number">Exercise ([^<\s]+)\s*</span>', main_part(page(d)))]
        assert found == [f"{letter}.{k}" for k in range(1, len(found) + 1)], f"{doc}: {found}"


@pytest.mark.site
def test_figures_of_section_pages_carry_their_appendix_letter():
    for doc in SECTION_PAGES:
        letter = ENTRIES[doc]["chapter"]
        figures = re.findall(r'<span class="caption-number">Fig\. ([^<\s]+)\s*</span>', main_part(page(doc)))
        assert all(f.startswith(f"{letter}.") for f in figures), f"{doc}: figures {figures}"


@pytest.mark.site
def test_at_least_90_percent_of_figures_are_numbered_and_captioned():
    total, captioned, bare = 0, 0, []
    for doc in PAGES:
        p = parsed(doc)
        for kind, attrs, figure in p.items:
            if kind == "frame":
                continue                       # the explorer's own image, counted with it
            total += 1
            if figure is not None and p.figures[figure]:
                captioned += 1
            else:
                bare.append(f"{doc}: {kind} {attrs.get('alt') or attrs.get('id')}"[:120])
    print(f"{captioned} of {total} figures numbered and captioned")
    assert total > 0
    assert captioned >= 0.9 * total, "figures without a numbered caption:\n  " + "\n  ".join(bare)


PATH_LIKE = re.compile(r"^\S*\.(png|svg|jpe?g|gif|webp)$|_images/|^\.\./", re.I)


@pytest.mark.site
@pytest.mark.parametrize("docname", PAGES)
def test_every_image_has_alt_text_that_describes_it(docname):
    for kind, attrs, _ in parsed(docname).items:
        if kind == "explorer":
            continue
        alt = (attrs.get("alt") or "").strip()
        assert alt, f"{docname}: an image without alt text ({attrs.get('src', '')[:60]})"
        assert not PATH_LIKE.search(alt), f"{docname}: alt text is a file path: {alt!r}"
        assert len(alt.split()) >= 3, f"{docname}: alt text too short to describe: {alt!r}"


# ---- The pattern in the notebooks' source (no build needed) -------------------------------

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
SHOWN = re.compile(r'figures\.show\(\s*"(fig-[a-z0-9-]+)"')
CAPTIONED = re.compile(r"^:::\{glue:figure\} (fig-[a-z0-9-]+)\n:name: (fig-[a-z0-9-]+)\n:alt: (.+)$", re.M)


def cells(path, kind):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_shown_figure_has_its_caption_and_is_referred_to(path):
    shown = [m for src in cells(path, "code") for m in SHOWN.findall(src)]
    markdown = "\n".join(cells(path, "markdown"))
    captioned = CAPTIONED.findall(markdown)
    assert len(shown) == len(set(shown)), f"{path.name}: a figure name used twice: {shown}"
    assert sorted(shown) == sorted(c[0] for c in captioned), \
        f"{path.name}: shown {sorted(shown)}, captioned {sorted(c[0] for c in captioned)}"
    for key, name, alt in captioned:
        assert key == name, f"{path.name}: glue key {key} labelled {name}"
        assert len(alt.split()) >= 8, f"{path.name}: {name}'s alt text is too short: {alt!r}"
        assert f"{{numref}}`{name}`" in markdown, f"{path.name}: {name} is never referred to by number"


def test_show_checks_its_arguments():
    from backprop import figures

    with pytest.raises(ValueError, match="fig-"):
        figures.show("Figure 1", object())
    with pytest.raises(TypeError, match="Figure or an Explorer"):
        figures.show("fig-ok", 42)


def test_show_glues_under_the_build_and_displays_elsewhere(monkeypatch):
    import importlib

    from matplotlib.figure import Figure

    module = importlib.import_module("backprop.figures.show")   # the module, not the function

    glued, shown = [], []
    monkeypatch.setattr(module, "_glue", lambda: lambda name, obj, display: glued.append((name, display)))
    fig = Figure()
    module.show("fig-test", fig)
    assert glued == [("fig-test", False)]
    monkeypatch.setattr(module, "_glue", lambda: None)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    module.show("fig-test", fig)
    assert shown == [fig]
