"""The book's notation (chapter "Notation and conventions") holds in every chapter.

Each retired form below had a second meaning somewhere in the book (issues 14
and 17). The test reads the Markdown cells of every chapter and fails on any
of them, naming the chapter and the text around the hit. The errata appendix
(``app_errata`` and its pages ``app_errata_*``) quotes the sources' own notation in its
"Stated." and "Where." paragraphs;
those paragraphs are the one place a retired form may appear, and they are
skipped. Code cells are not scanned: code names follow the text's symbols,
and the drawing code lives in ``backprop.figures``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"

# (name, pattern, what to write instead)
RETIRED = [
    ("L as the loss: \\partial L",
     r"\\partial\s*L(?![a-zA-Z_^])", r"\ell for the loss of one example, C for the cost"),
    ("L as the loss: \\nabla_x L",
     r"\\nabla_(?:\{(?:[^{}]|\{[^{}]*\})*\}|[a-zA-Z])\s*(?:\\,)?\s*L(?![a-zA-Z_^])", r"\nabla_x \ell"),
    ("L as the loss: L(...) or L = ...",
     r"(?<![a-zA-Z\\{_^])L(\((?!\d)|_[ik]\b|\s*=\s*(-|\\t?frac|\\sum|\\tfrac))",
     r"\ell(x^{(i)}, y^{(i)})"),
    ("the Kronecker delta", r"\\delta_\{\s*i\s*j\s*\}|\\delta_\{?ij\}?(?![a-zA-Z])", "[i = j]"),
    ("a logarithm of base b", r"\\log_b|\\ln\s*b\b|\\ln\s*\(b\)",
     r"\ln (base b only in softmax-ce-ex-base and app-derivations-base)"),
    ("an example numbered by a subscript",
     r"\\delta\^\{?l\}?_[ik]\s*/\s*m|\(a\^\{l-1\}_[ik]\)\^\\top|\bx_k,\s*[ty]_k|\\delta\^\{?l\}?_k\s*\(a",
     r"x^{(i)}, \delta^{l,(i)}"),
    ("\\partial C/\\partial W used as the gradient",
     r"\\partial\s*(C|\\ell)\s*/\s*\\partial\s*W(?:\^\{[^}]*\}|\^\w)?(?![_\w{^])"
     r"|\\frac\{\\partial\s*(C|\\ell)\}\{\\partial\s*W(\^\{?[^}_]*\}?)?\}",
     r"\nabla_{W^l} C (the derivative \partial C/\partial x is a row)"),
    ("the error defined as a partial derivative (a row)",
     r"\\delta\^?\{?l?\}?\s*=\s*\\partial", r"\delta^l = \nabla_{z^l} \ell, a column"),
]

# Text that states a retired form in order to retire it.
ALLOWED = [
    ("notation", r"it is never written $\partial C/\partial W$"),
    ("notation", r"matrix gradients as $\partial C/\partial W$"),
]

# Where a retired form is the subject: the exercise on the logarithm's base, and the
# section of the derivations appendix on it (from its label to the next section).
BASE_B_EXERCISE = "softmax-ce-ex-base"
BASE_B_SECTION = "app-derivations-base"
SECTION_START = re.compile(r"\s*(?:\(([\w-]+)\)=\s*)?#{1,2} ")


def markdown_paragraphs(path: Path):
    """The Markdown cells of a notebook, split into paragraphs, with math kept whole.

    Yields ``(cell text, paragraph, section label)``: the label of the section
    (a ``#`` or ``##`` heading) the paragraph is in, or ``None`` if it has none.
    """
    nb = json.loads(path.read_text())
    section = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for paragraph in re.split(r"\n\s*\n", text):
            start = SECTION_START.match(paragraph)
            if start:
                section = start.group(1)
            yield text, paragraph, section


def hits(path: Path):
    name = path.stem
    found = []
    for cell_text, paragraph, section in markdown_paragraphs(path):
        if name.startswith("app_errata") and re.match(r"\s*\*\*(Stated|Where)\.\*\*", paragraph):
            continue
        for allowed_chapter, allowed in ALLOWED:
            if name == allowed_chapter:
                paragraph = paragraph.replace(allowed, "")
        for what, pattern, instead in RETIRED:
            if what.startswith("a logarithm") and (
                    BASE_B_EXERCISE in cell_text or section == BASE_B_SECTION):
                continue
            for m in re.finditer(pattern, paragraph):
                context = paragraph[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
                found.append(f"{name}: {what} (write {instead}): ...{context}...")
    return found


CHAPTER_FILES = sorted(CHAPTERS.glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_no_retired_notation(path):
    found = hits(path)
    assert not found, "retired notation:\n" + "\n".join(found)


def test_the_patterns_catch_the_retired_forms():
    """Each pattern finds the form it retires, and leaves the book's forms alone."""
    retired = {
        "L as the loss: \\partial L": r"$\partial L/\partial a_j$",
        "L as the loss: \\nabla_x L": r"$\nabla_a L$ and $\nabla_{z^L} L$",
        "L as the loss: L(...) or L = ...": r"$L = -\sum_i t_i \ln a_i$ and $L(x_k, t_k)$",
        "the Kronecker delta": r"$a_i(\delta_{ij} - a_j)$",
        "a logarithm of base b": r"$-\sum t_i \log_b a_i$ and $(a - t)/\ln b$",
        "an example numbered by a subscript": r"column $i$ of $\Delta^l$ is $\delta^l_i / m$",
        "\\partial C/\\partial W used as the gradient": r"$\partial C/\partial W^l = \delta^l (a^{l-1})^\top$",
        "the error defined as a partial derivative (a row)": r"$\delta^l = \partial C/\partial z^l$",
    }
    kept = (r"$\ell$, $L = 2$ layers, $\partial C/\partial W^l_{jk} = \delta^l_j a^{l-1}_k$, "
            r"$\nabla_{W^l} C$, $[i = j]$, $\ln a$, $x^{(i)}$, $\delta^{l,(i)}$, "
            r"$\frac{\partial \ell}{\partial W^l_{jk}}$, the output layer is layer $L$, "
            r"$\nabla_{Z^L} C = \Delta^L/m$, $\nabla_{a^L}\,\ell$")
    for what, pattern, _ in RETIRED:
        assert re.search(pattern, retired[what]), what
        assert not re.search(pattern, kept), (what, re.search(pattern, kept))


def test_the_base_b_section_is_found_and_ends():
    """The exemption covers the section on the base and stops at the next one."""
    sections = [s for _, _, s in markdown_paragraphs(CHAPTERS / "app_derivations.ipynb")]
    assert BASE_B_SECTION in sections
    after = sections[sections.index(BASE_B_SECTION):]
    assert after[-1] != BASE_B_SECTION, "the base-b section runs to the end of the appendix"
