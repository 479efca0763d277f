"""Local Sphinx extension: math in link texts and in search, typeset or readable, never raw TeX.

A section title such as "A factor $\\partial W/\\partial a$ that does not exist" reaches the
reader in three more places than its heading, and Sphinx puts raw TeX in all three:

1. A ``{ref}`` link with no text of its own: Sphinx writes the title's plain text, so the
   link read ``A factor \\partial W / \\partial a that does not exist``. Here the link gets
   the title's own nodes, math included, which MathJax then typesets like any other math
   on the page (``_link_titles``, on ``doctree-resolved``). A link with a text of its own
   (``{ref}`text <label>```) is left alone.
2. The search index: section titles are stored as plain text (``\\partial W``) and page
   titles as HTML with ``\\(...\\)``, shown as they are in the results list. After the
   build they are rewritten as readable text, ``∂W/∂a`` (``_clean_search_index``).
3. Search snippets: the search page fetches each hit's HTML and shows a piece of its
   text, where MathJax has not run, so ``\\(b^l \\mathbf{1}^\\top\\)`` showed as such. A
   small script on the search page (``_static/mathsearch.js``) turns the math in the
   fetched page into the same readable text before the snippet is cut.

``tex_to_text`` does the conversion, and the script does the same steps with the same
table (written into it from ``SYMBOLS``, ``SUPERSCRIPTS`` and ``SUBSCRIPTS`` at build
time). It is for reading, not for typesetting: ``\\nabla_{z^l} \\ell`` becomes ``∇_zˡ ℓ``.
tests/test_mathlinks.py checks the conversion and the built book.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.util.nodes import clean_astext

#: TeX commands and the text that stands for them; a command not listed is dropped. Binary
#: operators and relations keep a space on each side.
SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω",
    # operators and relations
    "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "odot": " ⊙ ",
    "otimes": " ⊗ ", "oplus": " ⊕ ", "circ": " ∘ ", "cdot": " · ", "times": " × ", "div": " ÷ ",
    "pm": " ± ", "mp": " ∓ ", "top": "⊤", "intercal": "⊤", "prime": "′", "ell": "ℓ",
    "infty": "∞", "le": " ≤ ", "leq": " ≤ ", "ge": " ≥ ", "geq": " ≥ ", "ne": " ≠ ", "neq": " ≠ ",
    "approx": " ≈ ", "sim": " ∼ ", "equiv": " ≡ ", "propto": " ∝ ", "in": " ∈ ", "notin": " ∉ ",
    "subset": " ⊂ ", "to": " → ", "rightarrow": " → ", "leftarrow": " ← ", "mapsto": " ↦ ",
    "Rightarrow": " ⇒ ", "iff": " ⇔ ", "ldots": "…", "cdots": "⋯", "dots": "…",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "vert": "|",
    "langle": "⟨", "rangle": "⟩", "star": "⋆", "ast": "∗",
    # named functions keep their names
    "ln": "ln", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tanh": "tanh",
    "max": "max", "min": "min", "arg": "arg", "det": "det", "tr": "tr", "lim": "lim",
}

#: Characters that have a Unicode superscript or subscript form.
SUPERSCRIPTS = dict(zip("0123456789+-−=()niTlLabcdefghjkmoprstuvwxyzABDEGHIJKMNOPRUVW⊤′",
                        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀˡᴸᵃᵇᶜᵈᵉᶠᵍʰʲᵏᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴹᴺᴼᴾᴿᵁⱽᵂᵀ′"))
SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvx",
                      "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))

_DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "1": "𝟏", "E": "𝔼"}
_FONTS = "mathbf|mathrm|mathit|mathsf|mathtt|mathcal|boldsymbol|bm|text|textrm|textbf|operatorname"
_SIZES = "left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|displaystyle|textstyle"
_LBRACE, _RBRACE = "\x01", "\x02"  # stand-ins for \{ and \} while braces are stripped
_HOLD = {"^": "\x03", "_": "\x04"}  # stand-ins for a ^ or _ kept as it is


def _script(text, marker, table):
    """``^x`` or ``^{xy}`` as Unicode superscripts (or subscripts) when every character has one."""
    def replace(match):
        body = match.group(1) if match.group(1) is not None else match.group(2)
        if body and all(c in table for c in body):
            return "".join(table[c] for c in body)
        body = body if len(body) == 1 else f"({body})"
        return _HOLD[marker] + body  # not matched again by a later pass
    pattern = re.escape(marker) + r"(?:\{([^{}]*)\}|([^\s{}\\]))"
    return re.sub(pattern, replace, text)


def tex_to_text(tex: str) -> str:
    """Readable plain text for a TeX formula: ``\\partial W / \\partial a`` -> ``∂W / ∂a``.

    ``\\(``/``\\)``, ``\\[``/``\\]`` and ``$`` delimiters are removed; fractions become
    ``a/b``; font commands keep their argument; symbols become Unicode; super- and
    subscripts become Unicode where every character has a form, else ``^x`` / ``_x``;
    any other command and all braces are dropped. Used for search titles (this module)
    and, in the same steps, for search snippets (``mathsearch.js``).
    """
    if not isinstance(tex, str):
        raise TypeError(f"tex must be a string; got {type(tex).__name__}")
    s = re.sub(r"\\[()\[\]]|\$", " ", tex)
    s = s.replace(r"\{", _LBRACE).replace(r"\}", _RBRACE)
    s = re.sub(r"\\mathbb\{(\w)\}", lambda m: _DOUBLE_STRUCK.get(m.group(1), m.group(1)), s)
    for _ in range(3):  # nested fonts and fractions, innermost first
        s = re.sub(r"\\(?:" + _FONTS + r")\s*\{([^{}]*)\}", r"\1", s)
        s = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"\1/\2", s)
    s = re.sub(r"\\[dt]?frac\s*(\w)(\w)", r"\1/\2", s)
    s = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√(\1)", s)
    s = re.sub(r"\\(?:" + _SIZES + r")(?![A-Za-z])\s*\.?", "", s)
    s = re.sub(r"\\[,;:> ]|\\q?quad(?![A-Za-z])|~", " ", s)
    s = s.replace(r"\!", "")
    s = re.sub(r"\\([_$%&#|])", r"\1", s)
    s = re.sub(r"\\([A-Za-z]+)(?: (?=\w))?", lambda m: SYMBOLS.get(m.group(1), ""), s)
    for _ in range(3):  # nested scripts, innermost first
        s = _script(s, "^", SUPERSCRIPTS)
        s = _script(s, "_", SUBSCRIPTS)
    s = s.replace("{", "").replace("}", "").replace(_LBRACE, "{").replace(_RBRACE, "}")
    s = s.replace(_HOLD["^"], "^").replace(_HOLD["_"], "_")
    return re.sub(r"\s+", " ", s).strip()


def title_text(title: nodes.Element) -> str:
    """The plain text of a title node, its math converted by ``tex_to_text``."""
    parts = []
    for node in title.findall(nodes.Text):
        math = node.parent if isinstance(node.parent, nodes.math) else None
        parts.append(f" {tex_to_text(node.astext())} " if math is not None else node.astext())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _collect_math_titles(app, env):
    """Every titled element whose title has math: ``{(docname, id): title}``, and title texts."""
    targets, plain = {}, {}
    for docname in sorted(env.found_docs):
        try:
            doctree = env.get_doctree(docname)
        except FileNotFoundError:
            continue
        for title in doctree.findall(nodes.title):
            if not any(title.findall(nodes.math)):
                continue
            plain[clean_astext(title)] = title_text(title)
            for node_id in title.parent.get("ids", []):
                targets[(docname, node_id)] = title.deepcopy()
        for caption in doctree.findall(nodes.caption):
            if any(caption.findall(nodes.math)):
                for node_id in caption.parent.get("ids", []):
                    targets[(docname, node_id)] = caption.deepcopy()
    app.env._mathlinks = {"targets": targets, "plain": plain}


def _target(app, fromdocname, ref):
    """``(docname, id)`` a resolved internal reference points to, or None."""
    if ref.get("refid"):
        return fromdocname, ref["refid"]
    uri = ref.get("refuri", "")
    if "#" not in uri:
        return None
    path, anchor = uri.split("#", 1)
    for docname in app.env.found_docs:
        if path == app.builder.get_relative_uri(fromdocname, docname):
            return docname, anchor
    return None


def _link_titles(app, doctree, fromdocname):
    """Give each ``{ref}`` link to a title with math the title's own nodes, math included."""
    data = getattr(app.env, "_mathlinks", None)
    if not data or not data["targets"] or app.builder.format != "html":
        return
    changed = False
    for ref in list(doctree.findall(nodes.reference)):
        if not ref.get("internal") or len(ref.children) != 1:
            continue
        inline = ref.children[0]
        if not isinstance(inline, nodes.inline) or "std-ref" not in inline.get("classes", []):
            continue
        target = _target(app, fromdocname, ref)
        title = data["targets"].get(target) if target else None
        if title is None or inline.astext().strip() != clean_astext(title).strip():
            continue  # not a title with math, or a link with a text of its own
        inline.children = []
        inline.extend(child.deepcopy() for child in title.children)
        changed = True
    if changed:  # the page now has math, so MathJax must be loaded on it
        app.env.get_domain("math").data["has_equations"][fromdocname] = True


def _html_title_text(text: str) -> str:
    """An HTML title with ``<span class="math">\\(...\\)</span>`` as plain, escaped text."""
    def replace(match):
        return html.escape(tex_to_text(html.unescape(match.group(1))), quote=False)
    text = re.sub(r'<span class="math[^"]*">(.*?)</span>', replace, text, flags=re.S)
    return re.sub(r"\\\((.*?)\\\)", replace, text, flags=re.S)


def _clean_search_index(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.exists():
        return
    source = path.read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (source.startswith(prefix) and source.endswith(suffix)):
        return
    index = json.loads(source[len(prefix):-len(suffix)])
    plain = getattr(app.env, "_mathlinks", {}).get("plain", {})
    index["titles"] = [_html_title_text(t) for t in index.get("titles", [])]
    alltitles = {}
    for title, places in index.get("alltitles", {}).items():
        alltitles.setdefault(plain.get(title, title), []).extend(places)
    index["alltitles"] = alltitles
    path.write_text(prefix + json.dumps(index, sort_keys=True) + suffix, encoding="utf-8")


SEARCH_SCRIPT = r"""// Written by _ext/mathlinks.py: search snippets show math as readable text, not raw TeX.
// The steps are those of tex_to_text in _ext/mathlinks.py, with the same tables.
(() => {
  const SYMBOLS = %(symbols)s, SUP = %(sup)s, SUB = %(sub)s, BB = %(bb)s;
  const script = (s, pattern, marker, table) => s.replace(pattern, (m, g1, g2) => {
    const body = g1 !== undefined ? g1 : g2;
    if (body && [...body].every((c) => c in table)) return [...body].map((c) => table[c]).join("");
    return marker + ([...body].length === 1 ? body : "(" + body + ")");
  });
  const texToText = (tex) => {
    let s = tex.replace(/\\[()\[\]]|\$/g, " ");
    s = s.replace(/\\\{/g, "\x01").replace(/\\\}/g, "\x02");
    s = s.replace(/\\mathbb\{(\w)\}/g, (m, c) => BB[c] || c);
    for (let i = 0; i < 3; i++) {
      s = s.replace(/\\(?:%(fonts)s)\s*\{([^{}]*)\}/g, "$1");
      s = s.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2");
    }
    s = s.replace(/\\[dt]?frac\s*(\w)(\w)/g, "$1/$2");
    s = s.replace(/\\sqrt\s*\{([^{}]*)\}/g, "√($1)");
    s = s.replace(/\\(?:%(sizes)s)(?![A-Za-z])\s*\.?/g, "");
    s = s.replace(/\\[,;:> ]|\\q?quad(?![A-Za-z])|~/g, " ").replace(/\\!/g, "");
    s = s.replace(/\\([_$%%&#|])/g, "$1");
    s = s.replace(/\\([A-Za-z]+)(?: (?=\w))?/g, (m, name) => SYMBOLS[name] || "");
    for (let i = 0; i < 3; i++) {
      s = script(s, /\^(?:\{([^{}]*)\}|([^\s{}\\]))/g, "\x03", SUP);
      s = script(s, /_(?:\{([^{}]*)\}|([^\s{}\\]))/g, "\x04", SUB);
    }
    s = s.replace(/[{}]/g, "").replace(/\x01/g, "{").replace(/\x02/g, "}");
    s = s.replace(/\x03/g, "^").replace(/\x04/g, "_");
    return s.replace(/\s+/g, " ").trim();
  };
  window.bookTexToText = texToText;  // for tests/test_mathlinks.py
  if (typeof Search === "undefined") return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".math").forEach((el) => {
      el.textContent = " " + texToText(el.textContent) + " ";
    });
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
})();
"""


def search_script() -> str:
    """The text of ``_static/mathsearch.js``, with this module's tables written in."""
    return SEARCH_SCRIPT % {
        "symbols": json.dumps(SYMBOLS, ensure_ascii=False),
        "sup": json.dumps(SUPERSCRIPTS, ensure_ascii=False),
        "sub": json.dumps(SUBSCRIPTS, ensure_ascii=False),
        "bb": json.dumps(_DOUBLE_STRUCK, ensure_ascii=False),
        "fonts": _FONTS, "sizes": _SIZES,
    }


def _search_page_script(app, pagename, templatename, context, doctree):
    if pagename == "search":
        app.add_js_file("mathsearch.js", loading_method="defer")


def _write_search_script(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "mathsearch.js").write_text(search_script(), encoding="utf-8")


def setup(app):
    app.connect("env-updated", _collect_math_titles)
    app.connect("doctree-resolved", _link_titles)
    app.connect("html-page-context", _search_page_script)
    app.connect("build-finished", _clean_search_index)
    app.connect("build-finished", _write_search_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
