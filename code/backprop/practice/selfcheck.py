"""Self-check questions: one data file per chapter, shown as a small quiz.

The questions of chapter ``NAME`` live in ``practice/quizzes/NAME.json``::

    {"chapter": "gradient",
     "questions": [
       {"id": "gradient-shape", "kind": "single",
        "stem": "What is the shape of $\\nabla_W C$ for $W$ of shape $(3, 4)$?",
        "options": [
          {"text": "$(3, 4)$", "correct": true,
           "feedback": "A gradient has the shape of its variable."},
          {"text": "$(1, 12)$", "correct": false,
           "feedback": "That is the shape of the derivative, a row, not of the gradient."}]},
       {"id": "gradient-eta", "kind": "numeric",
        "stem": "Above which learning rate does descent on this bowl diverge?",
        "key": "bowl_divergence_eta", "tolerance": 1e-3,
        "feedback": "Right: 2 over the largest eigenvalue, 2/4.",
        "wrong": [{"key": "bowl_oscillation_eta",
                   "feedback": "That is where oscillation starts, 1/lambda_max."}],
        "hint": "Find the largest eigenvalue of H; the step's factor 1 - eta lambda must stay above -1."}]}

Kinds: ``single`` (exactly one correct option), ``multiple`` (one or more
correct options; the reader finds them all) and ``numeric`` (a number judged
within an absolute ``tolerance``). Every option carries its own
``feedback``: a wrong one names the misconception, a right one says in one
line why it is right. A numeric answer key is never typed: ``key`` names a
function of ``backprop.practice.keys.NAME`` that computes it with the
package, and so does each entry of ``wrong`` (a value a reader is likely to
give, with its own feedback); ``hint`` answers any other wrong value.

Text (``stem``, ``text``, ``feedback``, ``hint``) is a small Markdown subset:
``$...$`` math, ```code```, ``**bold**`` and ``*italic*``.

``quiz(chapter, id)`` returns an object that Jupyter, Colab and the book's
site display as an interactive question (native buttons and a text field, so
it works by keyboard; the book's MathJax typesets it on the site, and no
request leaves the page there). ``answers(chapter)`` is the chapter's answer
key, shown only in print (the PDF).
"""

from __future__ import annotations

import html
import json
import math
import re
import textwrap
from functools import cache, lru_cache
from importlib import resources

KINDS = ("single", "multiple", "numeric")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_CHAPTER = re.compile(r"[a-z0-9]+([_-][a-z0-9]+)*")   # a chapter's file name, e.g. softmax_ce
_WIDTH = 76   # the plain-text view fits the book's 79-character code column


# ----------------------------------------------------------------------------- data


def chapters() -> list[str]:
    """The chapters that have a quiz file, in alphabetical order."""
    folder = resources.files(__package__) / "quizzes"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def load(chapter: str) -> dict:
    """The validated quiz data of ``chapter`` (the parsed JSON file)."""
    if not isinstance(chapter, str) or not _CHAPTER.fullmatch(chapter):
        raise ValueError(f"a chapter is named by its file, e.g. 'gradient'; got {chapter!r}")
    path = resources.files(__package__) / "quizzes" / f"{chapter}.json"
    if not path.is_file():
        raise ValueError(f"no quiz file for chapter {chapter!r}; chapters with one: "
                         f"{', '.join(chapters())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = validate(data, chapter)
    if problems:
        raise ValueError(f"quizzes/{chapter}.json is not valid:\n- " + "\n- ".join(problems))
    return data


def question(chapter: str, qid: str) -> dict:
    """The question ``qid`` of ``chapter``'s quiz file."""
    data = load(chapter)
    for q in data["questions"]:
        if q["id"] == qid:
            return q
    ids = ", ".join(q["id"] for q in data["questions"])
    raise ValueError(f"chapter {chapter!r} has no question {qid!r}; its questions: {ids}")


def number(chapter: str, qid: str) -> int:
    """The question's number within its chapter (1, 2, ...): its place in the file."""
    ids = [q["id"] for q in load(chapter)["questions"]]
    question(chapter, qid)
    return ids.index(qid) + 1


def key_function(chapter: str, name: str):
    """The function ``backprop.practice.keys.<chapter>.<name>`` that computes a numeric key."""
    from . import keys  # computed with the whole package: imported when a key is first asked for

    module = keys.BY_CHAPTER.get(chapter.replace("-", "_"))
    if module is None:
        raise ValueError(f"no module of keys for chapter {chapter!r}: add it to backprop.practice.keys")
    fn = getattr(module, name, None)
    if not callable(fn):
        raise ValueError(f"backprop.practice.keys.{chapter} has no function {name!r}")
    return fn


def key_value(chapter: str, name: str) -> float:
    """The numeric key ``name`` of ``chapter``, computed with the package (a float)."""
    value = float(key_function(chapter, name)())
    if not math.isfinite(value):
        raise ValueError(f"the key {chapter}.{name} is not a finite number: {value}")
    return value


def _text_problems(where: str, value) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: a non-empty string is required"]
    if value.count("$") % 2:
        return [f"{where}: an odd number of '$' (unclosed math)"]
    return []


def validate(data, chapter: str | None = None) -> list[str]:
    """Every problem of a quiz file's data, as sentences; ``[]`` when it is valid.

    Checks the schema, that a single-choice question has exactly one correct
    option and a multiple-choice one at least one correct and one wrong, that
    every option has feedback, that numeric keys name functions of
    ``backprop.practice.keys.<chapter>`` returning finite numbers, that every
    wrong numeric value lies outside the tolerance of the key, and that ids
    are unique.
    """
    if not isinstance(data, dict):
        return ["the file must hold a JSON object"]
    problems = []
    unknown = set(data) - {"chapter", "questions"}
    if unknown:
        problems.append(f"unknown top-level fields: {sorted(unknown)}")
    name = data.get("chapter")
    if not isinstance(name, str) or not _CHAPTER.fullmatch(name):
        problems.append("'chapter' must name the chapter, e.g. 'gradient'")
    elif chapter is not None and name != chapter:
        problems.append(f"'chapter' is {name!r} in the file of chapter {chapter!r}")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        return problems + ["'questions' must be a non-empty list"]
    seen = set()
    for i, q in enumerate(questions):
        where = f"question {i + 1}"
        if not isinstance(q, dict):
            problems.append(f"{where}: must be an object")
            continue
        qid = q.get("id")
        if not isinstance(qid, str) or not _ID.fullmatch(qid):
            problems.append(f"{where}: 'id' must be lower-case words joined by '-'")
        elif qid in seen:
            problems.append(f"{where}: the id {qid!r} is used twice")
        else:
            seen.add(qid)
            where = f"question {qid!r}"
        kind = q.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: 'kind' must be one of {KINDS}")
            continue
        problems += _text_problems(f"{where}, stem", q.get("stem"))
        if kind == "numeric":
            allowed = {"id", "kind", "stem", "key", "tolerance", "feedback", "wrong", "hint"}
            problems += _numeric_problems(where, q, name)
        else:
            allowed = {"id", "kind", "stem", "options"}
            problems += _choice_problems(where, q, kind)
        extra = set(q) - allowed
        if extra:
            problems.append(f"{where}: unknown fields {sorted(extra)}")
    return problems


def _choice_problems(where: str, q: dict, kind: str) -> list[str]:
    options = q.get("options")
    if not isinstance(options, list) or len(options) < 2:
        return [f"{where}: 'options' must list at least two options"]
    problems = []
    for j, opt in enumerate(options):
        at = f"{where}, option {j + 1}"
        if not isinstance(opt, dict) or set(opt) != {"text", "correct", "feedback"}:
            problems.append(f"{at}: must have exactly 'text', 'correct' and 'feedback'")
            continue
        if not isinstance(opt["correct"], bool):
            problems.append(f"{at}: 'correct' must be true or false")
        problems += _text_problems(f"{at}, text", opt["text"])
        problems += _text_problems(f"{at}, feedback", opt["feedback"])
    texts = [opt.get("text") for opt in options if isinstance(opt, dict)]
    if len(set(texts)) != len(texts):
        problems.append(f"{where}: two options have the same text")
    right = sum(1 for opt in options if isinstance(opt, dict) and opt.get("correct") is True)
    if kind == "single" and right != 1:
        problems.append(f"{where}: a single-choice question needs exactly one correct option, has {right}")
    if kind == "multiple" and not 1 <= right < len(options):
        problems.append(f"{where}: a multiple-choice question needs at least one correct and one wrong option")
    return problems


def _numeric_problems(where: str, q: dict, chapter) -> list[str]:
    problems = []
    tol = q.get("tolerance")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol > 0:
        problems.append(f"{where}: 'tolerance' must be a positive number")
        tol = None
    problems += _text_problems(f"{where}, feedback", q.get("feedback"))
    problems += _text_problems(f"{where}, hint", q.get("hint"))
    wrong = q.get("wrong", [])
    if not isinstance(wrong, list):
        return problems + [f"{where}: 'wrong' must be a list"]
    keys = [("key", q.get("key"))] + [(f"wrong {j + 1}", w.get("key") if isinstance(w, dict) else None)
                                      for j, w in enumerate(wrong)]
    for j, w in enumerate(wrong):
        if not isinstance(w, dict) or set(w) != {"key", "feedback"}:
            problems.append(f"{where}, wrong {j + 1}: must have exactly 'key' and 'feedback'")
        else:
            problems += _text_problems(f"{where}, wrong {j + 1}, feedback", w["feedback"])
    if not isinstance(chapter, str):
        return problems
    values = {}
    for label, name in keys:
        if not isinstance(name, str):
            problems.append(f"{where}, {label}: 'key' must name a function of backprop.practice.keys.{chapter}")
            continue
        try:
            values[label] = key_value(chapter, name)
        except Exception as exc:  # noqa: BLE001 - reported as a problem of the file
            problems.append(f"{where}, {label}: {type(exc).__name__}: {exc}")
    if tol is not None and "key" in values:
        for label, value in values.items():
            if label != "key" and abs(value - values["key"]) <= tol:
                problems.append(f"{where}, {label}: the value {value:g} would be judged right "
                                f"(key {values['key']:g}, tolerance {tol:g})")
    return problems


# ----------------------------------------------------------------------------- text


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])")


def to_html(text: str) -> str:
    """The Markdown subset as HTML: math as Sphinx writes it (``\\(...\\)`` in a
    ``math`` span, which MathJax typesets), code, bold and italic."""
    parts = re.split(r"(\$[^$]+\$[,.;:?)]*|`[^`]+`)", text)
    out = []
    for part in parts:
        math = re.fullmatch(r"\$([^$]+)\$([,.;:?)]*)", part)
        if math:
            # a formula and the punctuation after it stay on one line
            out.append('<span class="bp-quiz-nobr"><span class="math notranslate nohighlight">\\('
                       + html.escape(math.group(1), quote=False) + "\\)</span>"
                       + html.escape(math.group(2), quote=False) + "</span>")
        elif _CODE.fullmatch(part):
            out.append("<code>" + html.escape(part[1:-1], quote=False) + "</code>")
        else:
            s = html.escape(part, quote=False)
            s = _BOLD.sub(r"<strong>\1</strong>", s)
            s = _ITALIC.sub(r"<em>\1</em>", s)
            out.append(s)
    return "".join(out)


def to_text(text: str) -> str:
    """The Markdown subset as plain text (math and code keep their delimiters)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_on_hyphens=False) or [indent]


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def answer_text(chapter: str, qid: str) -> str:
    """The answer of one question in words: the correct letters, or the number."""
    q = question(chapter, qid)
    if q["kind"] == "numeric":
        return f"{key_value(chapter, q['key']):.6g}"
    return ", ".join(f"({LETTERS[j]})" for j, o in enumerate(q["options"]) if o["correct"])


# ----------------------------------------------------------------------------- display


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    here = resources.files(__package__)
    return ((here / "quiz.css").read_text(encoding="utf-8"),
            (here / "quiz.js").read_text(encoding="utf-8"))


class Quiz:
    """One self-check question, displayed by Jupyter, Colab and the book's site.

    ``_repr_html_`` is the interactive question: the options are ``<button>``
    elements, a numeric answer is a text field with a *Check* button, and
    feedback appears in a live region under them. ``_repr_markdown_`` is the
    printed question (the PDF: the LaTeX builder takes Markdown, not HTML), its
    options lettered, its answer in the chapter's key (:class:`Answers`).
    ``repr`` is a plain-text view of the same question, for a console.
    """

    def __init__(self, chapter: str, qid: str):
        self.chapter, self.id = chapter, qid
        self.data = question(chapter, qid)
        self.number = number(chapter, qid)

    @property
    def title(self) -> str:
        kind = {"single": "choose one", "multiple": "choose every right answer",
                "numeric": "enter a number"}[self.data["kind"]]
        return f"Self-check {self.number} ({kind})"

    def __repr__(self) -> str:
        q = self.data
        lines = _wrap(self.title) + _wrap(to_text(q["stem"]), "  ")
        if q["kind"] == "numeric":
            lines += _wrap(f"(answer within ±{q['tolerance']:g})", "  ")
        else:
            for j, opt in enumerate(q["options"]):
                lines += _wrap(to_text(opt["text"]), "      ", f"  ({LETTERS[j]}) ")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        q = self.data
        lines = [f"**{self.title}.** {q['stem']}", ""]
        if q["kind"] == "numeric":
            lines.append(f"Your answer, within $\\pm{q['tolerance']:g}$: \\_\\_\\_\\_\\_\\_\\_\\_")
        else:
            lines += [f"- ({LETTERS[j]}) {opt['text']}" for j, opt in enumerate(q["options"])]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        css, js = _assets()
        q = self.data
        esc = html.escape
        uid = f"bpq-{self.chapter}-{self.id}"
        parts = [f'<style>{css}</style>',
                 f'<div class="bp-quiz mathjax_process" id="{uid}" data-kind="{q["kind"]}"'
                 f' role="group" aria-labelledby="{uid}-title">',
                 f'<p class="bp-quiz-title" id="{uid}-title">{esc(self.title)}</p>',
                 f'<div class="bp-quiz-stem">{to_html(q["stem"])}</div>']
        if q["kind"] == "numeric":
            key = key_value(self.chapter, q["key"])
            wrong = [(key_value(self.chapter, w["key"]), w["feedback"]) for w in q.get("wrong", [])]
            parts.append(
                f'<div class="bp-quiz-numeric" data-key="{key!r}" data-tol="{q["tolerance"]!r}">'
                f'<label for="{uid}-in">Your answer: </label>'
                f'<input id="{uid}-in" class="bp-quiz-input" type="text" inputmode="decimal"'
                f' autocomplete="off" spellcheck="false" size="10">'
                f'<button type="button" class="bp-quiz-check">Check</button></div>')
            parts.append(f'<div class="bp-quiz-fb" data-fb="right" hidden>{to_html(q["feedback"])}</div>')
            for j, (value, text) in enumerate(wrong):
                parts.append(f'<div class="bp-quiz-fb" data-fb="wrong-{j}" data-value="{value!r}"'
                             f' hidden>{to_html(text)}</div>')
            parts.append(f'<div class="bp-quiz-fb" data-fb="other" hidden>{to_html(q["hint"])}</div>')
        else:
            parts.append('<ol class="bp-quiz-options" type="a">')
            for j, opt in enumerate(q["options"]):
                parts.append(
                    f'<li><button type="button" class="bp-quiz-option" aria-pressed="false"'
                    f' data-option="{j}" data-correct="{str(opt["correct"]).lower()}">'
                    f'<span class="bp-quiz-letter">({LETTERS[j]})</span> {to_html(opt["text"])}</button></li>')
            parts.append("</ol>")
            for j, opt in enumerate(q["options"]):
                parts.append(f'<div class="bp-quiz-fb" data-fb="{j}" hidden>{to_html(opt["feedback"])}</div>')
        parts.append('<div class="bp-quiz-feedback" aria-live="polite"></div></div>')
        parts.append(f"<script>{js}</script>")
        return "".join(parts)


def quiz(chapter: str, qid: str) -> Quiz:
    """Self-check question ``qid`` of ``chapter``: displays as an interactive question.

    >>> quiz("gradient", "gradient-shape")   # in a notebook, the last line of a cell
    """
    return Quiz(chapter, qid)


class Answers:
    """The answer key of a chapter's self-checks: shown in print (the PDF), hidden on screen."""

    def __init__(self, chapter: str):
        self.chapter = chapter
        self.questions = load(chapter)["questions"]

    def lines(self) -> list[tuple[int, str, str]]:
        """``(number, answer, why)`` per question; ``why`` is the right option's feedback."""
        out = []
        for i, q in enumerate(self.questions, start=1):
            if q["kind"] == "numeric":
                why = q["feedback"]
            else:
                why = " ".join(o["feedback"] for o in q["options"] if o["correct"])
            out.append((i, answer_text(self.chapter, q["id"]), why))
        return out

    def __repr__(self) -> str:
        lines = ["Answers to the self-checks"]
        for i, answer, why in self.lines():
            lines += _wrap(f"{answer}. {to_text(why)}", "    ", f"{i:>2}. ")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        items = [f"{i}. **{answer}** {why}" for i, answer, why in self.lines()]
        return "\n".join(["**Answers to this chapter's self-checks**", "", *items]) + "\n"

    def _repr_html_(self) -> str:
        css, _ = _assets()
        items = "".join(f"<li value=\"{i}\"><strong>{html.escape(answer)}</strong> {to_html(why)}</li>"
                        for i, answer, why in self.lines())
        return (f"<style>{css}</style><div class=\"bp-quiz-answers mathjax_process\">"
                f"<p class=\"bp-quiz-title\">Answers to this chapter's self-checks</p>"
                f"<ol>{items}</ol></div>")


def answers(chapter: str) -> Answers:
    """The answer key of ``chapter``'s self-checks (printed at the end of the chapter)."""
    return Answers(chapter)
