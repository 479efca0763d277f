"""The book's notation (chapter "Notation and conventions") holds in every chapter.

Each retired form below had a second meaning somewhere in the book (issues 14,
17 and 27). The test reads the Markdown cells of every chapter and fails on any
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

# The softmax/cross-entropy output rule, in the forms the book writes it:
# \Delta^L = A^L - Y, \delta^L = a^L - t (or \delta = a - t) and
# a (\mathbf{1}^\top t) - t. The sigmoid rule (A^L - Y) \odot \sigma'(Z^L)
# has a parenthesis after "=" and is not matched.
_SOFTMAX_RULE = (
    r"(?:\\Delta\^\{?L\}?\s*&?\s*=\s*&?\s*A\^\{?L\}?\s*-\s*Y"
    r"|\\delta(?:\^\{?L\}?)?\s*&?\s*=\s*&?\s*a(?:\^\{?L\}?)?\s*-\s*t\b"
    r"|a(?:\^\{?L\}?)?\s*(?:\\,)?\s*\(?\\mathbf\{1\}\^\\top\s*t\)?\s*-\s*t\b)"
)
# Text of one sentence (no ".", ";" or table bar), or of one table row, that
# does not contain "(S1)".
_SAME_SENTENCE = r"(?:(?!\(S1\))[^.;|])*?"
_SAME_ROW = r"(?:(?!\(S1\))[^\n])*?"

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
    # Issue 27: one name for the gradient of the cost with respect to Z^l.
    ("a second letter for \\nabla_{Z^l} C (G, V)",
     r"(?<![\w\\])[GV]\^\{?[lL](?![a-zA-Z])"
     r"|(?<![\w\\])[GV](?:_r)?\s*=\s*\\nabla_\{?Z",
     r"\nabla_{Z^l} C = \Delta^l/m (code: grad_Z)"),
    # Issue 27: (B1) is the output rule of an element-wise activation; the
    # softmax/cross-entropy rule is (S1). A sentence that puts "(B1)" next to
    # the softmax rule, and no "(S1)" anywhere, gives it the old name; so
    # does a table row.
    ("(B1) as the name of the softmax output rule",
     rf"(?:^|(?<=[.;|])){_SAME_SENTENCE}"
     rf"(?:\(B1\){_SAME_SENTENCE}{_SOFTMAX_RULE}|{_SOFTMAX_RULE}{_SAME_SENTENCE}\(B1\))"
     rf"{_SAME_SENTENCE}(?=[.;|]|$)"
     rf"|(?:^|(?<=\n))\|{_SAME_ROW}"
     rf"(?:\(B1\){_SAME_ROW}{_SOFTMAX_RULE}|{_SOFTMAX_RULE}{_SAME_ROW}\(B1\))"
     rf"{_SAME_ROW}(?=\n|$)",
     r"(S1) for softmax with cross-entropy"),
    # Issue 27: h is a finite-difference step only; the curvature is \lambda_max.
    ("h as the curvature",
     r"(?<![\w\\{}.])[12]\s*/\s*h(?![\w{^])|\\t?frac\{[12]\}\{h\}"
     r"|\\eta\s*(?:\\,\s*)?h(?![\w{^])|curvature\**\s*(?:\\\(|\$)\s*h(?![\w{^])"
     r"|eigenvalue\s*\$h\$",
     r"\lambda_max (code: lam_max); thresholds 1/\lambda_max and 2/\lambda_max"),
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
        # issue 27: each form on its own
        "a second letter for \\nabla_{Z^l} C (G, V)": (
            r"$G^l = \nabla_{Z^l} C$", r"$\sum_{i,k} G^l_{ik}\, dZ^l_{ik}$", r"$G^{l}\mathbf{1}$",
            r"with $G = \nabla_Z C = (Z - Y)/m$", r"With $G_r = \nabla_{Z_r} C$",
            r"$V^{l-1} = \tanh'(Z^{l-1}) \odot \big((W^l)^\top V^l\big)$",
            r"the cotangent $V^L = \nabla_{Z^L} C$"),
        "(B1) as the name of the softmax output rule": (
            r"$$ \begin{aligned} &\text{output rule (B1):} & \Delta^L &= A^L - Y\\ \end{aligned} $$",
            r"$\delta^L = a^L - t$, the output rule (B1), for every example",
            r"(B1) for softmax reads $\delta = a\,(\mathbf{1}^\top t) - t$",
            r"| (B1) | $\delta = a - t$ |"),
        "h as the curvature": (
            r"overshoots above $\eta = 1/h$", r"diverges above $2/h$", r"$r = 1 - \eta h$",
            r"below $\tfrac{2}{h}$", r"a parabola with **curvature** $h = 2x^2$",
            r"of curvature $h$ gradient descent", r"the largest eigenvalue $h$ of the Hessian"),
    }
    kept = (r"$\ell$, $L = 2$ layers, $\partial C/\partial W^l_{jk} = \delta^l_j a^{l-1}_k$, "
            r"$\nabla_{W^l} C$, $[i = j]$, $\ln a$, $x^{(i)}$, $\delta^{l,(i)}$, "
            r"$\frac{\partial \ell}{\partial W^l_{jk}}$, the output layer is layer $L$, "
            r"$\nabla_{Z^L} C = \Delta^L/m$, $\nabla_{a^L}\,\ell$, "
            # issue 27: the names that stay
            r"$\Delta^L = (A^L - Y) \odot \sigma'(Z^L)$, the output rule (B1); "
            r"the output rule (S1), $\Delta^L = A^L - Y$, apart from the output rule (B1) of a sigmoid "
            r"layer. $\delta = a\,\mathbf{1}^\top t - t$, the softmax output rule (S1), which "
            r"replaces (B1)." "\n| (B1)-(B4) | rules |\n| (S1) | $\\delta^L = a^L - t$ |\n"
            r"$G = \nabla_A C$, $G_{ij}$, S. G. Johnson, $V^\top$, $\nabla_{Z^l} C$ (`grad_Z`), "
            r"$(C(w + h) - C(w - h))/(2h)$, error $h^2 + \varepsilon_{\text{mach}}/h$, grows like "
            r"$\varepsilon_{\text{mach}}/h$, $1/\lambda_{\max}$ and $2/\lambda_{\max}$, "
            r"$10^{-12}/h$, $\eta\,\nabla_\theta C$, $\eta H$, $h_{ij}$")
    for what, pattern, _ in RETIRED:
        examples = retired[what] if isinstance(retired[what], tuple) else (retired[what],)
        for example in examples:
            assert re.search(pattern, example), (what, example)
        assert not re.search(pattern, kept), (what, re.search(pattern, kept))


def test_the_base_b_section_is_found_and_ends():
    """The exemption covers the section on the base and stops at the next one."""
    sections = [s for _, _, s in markdown_paragraphs(CHAPTERS / "app_derivations.ipynb")]
    assert BASE_B_SECTION in sections
    after = sections[sections.index(BASE_B_SECTION):]
    assert after[-1] != BASE_B_SECTION, "the base-b section runs to the end of the appendix"
