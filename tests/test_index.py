"""The book's index (issue 25, item 3), and the print wording of web-only sentences.

The chapters mark each term where they define it with an ``{index}`` directive; Sphinx
puts the entries in the site's Index page (``genindex.html``) and in the PDF's index. The
terms the index must hold are ``tools.book.INDEX_TERMS`` (tests/test_pdf.py checks the
PDF's index against the same list).

Unit layer: the chapters' Markdown (every required term has an entry; each entry stands in
a section whose text holds its term; no sentence the PDF prints speaks of a slider to move
or an icon to click). Site layer: ``_build/html/genindex.html`` lists the terms, and each
entry's link lands on a page, and an anchor, whose text holds the term.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from tools.book import INDEX_TERMS, toc_pages
from tools.reader_notebooks import DIRECTIVE, LATEX_TAGS, cell_source, select_only

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
HEADING = re.compile(r"^#{1,6}\s")
#: Words that ask the reader to act on a web page; the PDF prints none of them.
WEB_WORDS = re.compile(r"\b(rocket|click\w*|tap|taps|tapping|drag\w*|move the)\b", re.I)


def markdown(doc: str) -> list[str]:
    """The Markdown lines of page ``doc``, its cells in order."""
    nb = nbformat.read(ROOT / f"{doc}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines += [*cell_source(cell).splitlines(), ""]
    return lines


def parse_entry(text: str) -> tuple[str, str]:
    """``(main, sub)`` of one index entry: ``Jacobian``, ``single: Jacobian; of softmax``."""
    kind, colon, rest = text.partition(":")
    if colon and kind.strip() in {"single", "pair", "triple", "see", "seealso"}:
        if kind.strip() != "single":
            raise ValueError(f"index entry {text!r}: the book uses plain and `single:` entries")
        text = rest
    main, _, sub = text.strip().lstrip("!").partition(";")
    return main.strip(), sub.strip()


def entries() -> list[dict]:
    """Every index directive of the book: its page, entry and the text of its section."""
    found = []
    for doc, _ in toc_pages():
        lines = markdown(doc)
        for i, line in enumerate(lines):
            m = DIRECTIVE.match(line)
            if not (m and m.group("name") == "index"):
                continue
            start = next((k for k in range(i, -1, -1) if HEADING.match(lines[k])), 0)
            end = next((k for k in range(i + 1, len(lines)) if HEADING.match(lines[k])), len(lines))
            main, sub = parse_entry(m.group("arg"))
            found.append(dict(doc=doc, line=i, main=main, sub=sub, fence=m.group("fence"),
                              closed=i + 1 < len(lines) and lines[i + 1].strip() == m.group("fence"),
                              section="\n".join(lines[start:end])))
    return found


def key(term: str) -> str:
    """What a page's text must hold for ``term``: its words without a gloss in parentheses
    or a trailing symbol (``learning rate η`` -> ``learning rate``)."""
    words = term.split(" (")[0].split()
    while words and not re.search(r"[A-Za-z]", words[-1]):
        words.pop()
    return normal(" ".join(words))


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*`$]", "", text)).lower()


@pytest.mark.unit
def test_every_required_term_has_an_entry():
    have = {(e["main"], e["sub"]) for e in entries()}
    mains = {main for main, _ in have}
    missing = [t for t in INDEX_TERMS if t not in mains]
    missing += [f"{t}; {s}" for t, subs in INDEX_TERMS.items() for s in subs if (t, s) not in have]
    assert not missing, f"index terms no chapter marks: {missing}"


@pytest.mark.unit
def test_the_index_has_a_book_sized_number_of_entries():
    n = len(entries())
    assert 60 <= n <= 150, f"{n} index entries"


@pytest.mark.unit
def test_each_entry_stands_in_a_section_that_holds_its_term():
    wrong = [f"{e['doc']}:{e['line']} {e['main']!r}" for e in entries()
             if key(e["main"]) not in normal(e["section"])]
    assert not wrong, f"index entries away from their term: {wrong}"


@pytest.mark.unit
def test_index_directives_are_closed_and_name_one_meaning_each():
    """Each directive is one line and its fence; one spelling per term (no `Jacobian`/`jacobian`)."""
    found = entries()
    assert all(e["closed"] for e in found), [f"{e['doc']}:{e['line']}" for e in found if not e["closed"]]
    spellings = {}
    for e in found:
        spellings.setdefault(e["main"].lower(), set()).add(e["main"])
    assert not {k: v for k, v in spellings.items() if len(v) > 1}


def test_parse_entry():
    assert parse_entry("Jacobian") == ("Jacobian", "")
    assert parse_entry("single: Jacobian; of softmax") == ("Jacobian", "of softmax")
    with pytest.raises(ValueError, match="single"):
        parse_entry("pair: loop; variable")
    assert key("learning rate η") == "learning rate"
    assert key("ReLU (rectified linear unit)") == "relu"


# -- print wording --------------------------------------------------------------------------

def only_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """``(expression, body)`` of every ``{only}`` block of ``lines``."""
    blocks, i = [], 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if m and m.group("name") == "only":
            j = next(k for k in range(i + 1, len(lines)) if lines[k].strip() == m.group("fence"))
            blocks.append((m.group("arg").strip(), "\n".join(lines[i + 1:j])))
            i = j
        i += 1
    return blocks


@pytest.mark.unit
@pytest.mark.parametrize("doc", [doc for doc, _ in toc_pages()])
def test_the_pdf_prints_no_web_wording(doc):
    """Outside ``{only} html`` blocks no sentence says rocket, click, tap, drag or "move the"."""
    printed = "\n".join(select_only(markdown(doc), LATEX_TAGS))
    found = [line.strip() for line in printed.splitlines() if WEB_WORDS.search(line)]
    assert not found, f"{doc}: web wording the PDF would print: {found}"


@pytest.mark.unit
def test_every_web_only_sentence_has_a_print_version():
    """Each ``{only} html`` block is followed by an ``{only} latex`` one, which is not empty."""
    bad, pairs = [], 0
    for doc, _ in toc_pages():
        blocks = only_blocks(markdown(doc))
        for k, (expression, body) in enumerate(blocks):
            if expression != "html":
                continue
            pairs += 1
            following = blocks[k + 1] if k + 1 < len(blocks) else ("", "")
            if following[0] != "latex" or not following[1].strip():
                bad.append(f"{doc}: {body[:60]!r}")
        assert {e for e, _ in blocks} <= {"html", "latex"}, f"{doc}: only html and latex blocks"
    assert not bad, f"web-only sentences without print wording: {bad}"
    assert pairs >= 10, f"{pairs} web-only passages; the chapters have about a dozen"


# -- the built site ---------------------------------------------------------------------------

class _Genindex(HTMLParser):
    """The entries of Sphinx's genindex.html: ``{(main, sub): [href, ...]}``."""

    def __init__(self):
        super().__init__()
        self.entries, self.path, self.depth, self.href, self.text = {}, [], 0, None, []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "genindextable" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "ul":
            self._name()   # an entry with sub-entries only: its name is plain text
            self.depth += 1
        elif tag == "li":
            self.text = []
            self.path = self.path[:self.depth - 1]
            self.path.append(None)
        elif tag == "a":
            self.href = attrs.get("href")

    def _name(self):
        name = re.sub(r"\s+", " ", "".join(self.text)).strip().rstrip(",").strip()
        if name and self.path and self.path[-1] is None:
            self.path[-1] = name
        return name

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag == "ul":
            self._name()
            self.depth -= 1
        elif tag == "a" and self.href:
            self._name()
            entry = tuple(p for p in self.path if p)
            self.entries.setdefault(entry, []).append(self.href)
            self.href = None

    def handle_data(self, data):
        if self.inside and self.path and self.path[-1] is None and not re.fullmatch(r"\s*\[\d+\]\s*", data):
            self.text.append(data)


def genindex() -> dict[tuple, list[str]]:
    parser = _Genindex()
    parser.feed((HTML / "genindex.html").read_text(encoding="utf-8"))
    return parser.entries


def page_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, re.S)
    return normal(re.sub(r"<[^>]+>", " ", main.group(0) if main else html))


def test_genindex_parser():
    parser = _Genindex()
    parser.feed('<table class="indextable genindextable"><tr><td><ul>'
                '<li><a href="a.html#index-0">Jacobian</a>, <a href="b.html#index-2">[1]</a>'
                '<ul><li><a href="c.html#index-1">of softmax</a></li></ul></li>'
                '<li>error<ul><li><a href="d.html#index-3">δ of one example</a></li></ul></li>'
                '</ul></td></tr></table>')
    assert parser.entries == {("Jacobian",): ["a.html#index-0", "b.html#index-2"],
                              ("Jacobian", "of softmax"): ["c.html#index-1"],
                              ("error", "δ of one example"): ["d.html#index-3"]}


@pytest.mark.site
def test_the_index_page_lists_every_required_term():
    listed = genindex()
    missing = [t for t in INDEX_TERMS if (t,) not in listed and not any(e[0] == t for e in listed)]
    missing += [f"{t}; {s}" for t, subs in INDEX_TERMS.items() for s in subs if (t, s) not in listed]
    assert not missing, f"terms missing from genindex.html: {missing}"
    assert len(listed) >= 60, f"{len(listed)} entries in genindex.html"


@pytest.mark.site
def test_each_index_link_lands_where_its_term_is():
    wrong = []
    for entry, hrefs in genindex().items():
        for href in hrefs:
            page, _, anchor = href.partition("#")
            path = HTML / page
            if not path.is_file():
                wrong.append(f"{entry}: {href} (no such page)")
            elif anchor and f'id="{anchor}"' not in path.read_text(encoding="utf-8"):
                wrong.append(f"{entry}: {href} (no such anchor)")
            elif key(entry[0]) not in page_text(path):
                wrong.append(f"{entry}: {href} (the page does not say {key(entry[0])!r})")
    assert not wrong, wrong
