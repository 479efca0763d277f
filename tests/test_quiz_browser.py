"""The self-check questions (``backprop.practice.quiz``) on the built site, in a real browser.

The questions tested are the ones the chapters show: every ``practice.quiz("CHAPTER", "ID")``
cell of ``chapters/*.ipynb``. For the first question of each kind (single, multiple,
numeric), in the theme's light and dark modes, at a desktop's 1280 px and a phone's 390 px:

- the question is on its page (``.bp-quiz[data-kind=...]``), its math typeset by the book's
  MathJax (``mjx-container``, no raw ``\\(`` in its visible text);
- everything works by keyboard: Tab reaches the option buttons (or the numeric field), focus is
  visible (and the field's focus ring leaves its label readable), Enter or Space on an option
  answers it, Enter in the field checks it;
- a wrong option shows its own feedback (the JSON's text) and is marked wrong, the right
  option says "Right."; a number within the tolerance is right, a value of the question's
  ``wrong`` list shows that entry's feedback, any other value the hint, and text that is not
  a number asks for one;
- legible: the text's contrast against what is behind it is at least 4.5 (the verdicts "Right."
  and "Not quite." too), the question sits on the page's background (no slab of another colour
  around it) and fits its column (no sideways scroll);
- the chapter's answer key is hidden on screen, leaving no box there, and shown in print, where
  the feedback is hidden;
- no request leaves the local server (no MathJax CDN) and the console shows no error.

Without a browser: the built chapters hold at least 44 questions, at least 4 in each chapter
of Parts 0-II; every quiz cell of a notebook is on its built page, and a chapter shows every
question of its quiz file, in the file's order (the order of the numbers and the answer key).

Screenshots of each question before and after it is answered go to ``_build/screenshots``
(beside the built site), named ``quiz-...``.
"""

import html.parser
import json
import re
from pathlib import Path

import pytest
from conftest import BOOK_HTML, ROOT

from backprop.practice import selfcheck

pytestmark = pytest.mark.site

SHOTS = BOOK_HTML.parent / "screenshots"
CHAPTERS = ROOT / "chapters"
#: The chapters of Parts 0-II: each asks at least this many questions.
PART_CHAPTERS = ["notation", "gradient", "jacobian", "hadamard", "vjp_jvp", "differentials",
                 "one_neuron", "two_layer", "softmax_ce", "minibatch", "reverse_mode"]
PER_CHAPTER = 4
TOTAL = 44
MIN_CONTRAST = 4.5

QUIZ_CALL = re.compile(r"""practice\.quiz\(\s*["']([\w-]+)["']\s*,\s*["']([\w-]+)["']\s*\)""")


def quiz_cells():
    """``{notebook stem: [(chapter, id), ...]}``: the quiz cells of every chapter, in order."""
    cells = {}
    for nb_path in sorted(CHAPTERS.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        calls = [m.groups() for c in nb["cells"] if c["cell_type"] == "code"
                 for m in QUIZ_CALL.finditer("".join(c["source"]))]
        if calls:
            cells[nb_path.stem] = calls
    return cells


CELLS = quiz_cells()


def first_of_each_kind():
    """``[(kind, page, chapter, id)]``: the first question of each kind the chapters show."""
    found = {}
    for stem, calls in CELLS.items():
        for chapter, qid in calls:
            try:
                kind = selfcheck.question(chapter, qid)["kind"]
            except ValueError:   # a cell naming no question: the test of the cells reports it
                continue
            found.setdefault(kind, (kind, f"chapters/{stem}.html", chapter, qid))
    return [found[k] for k in selfcheck.KINDS if k in found]


SAMPLES = first_of_each_kind()


# ------------------------------------------------------------------ the built pages, no browser


class QuizFinder(html.parser.HTMLParser):
    """The ids of the ``.bp-quiz`` elements and the number of answer keys on a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.answer_keys = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "bp-quiz" in classes:
            self.ids.append(attrs.get("id"))
        if "bp-quiz-answers" in classes:
            self.answer_keys += 1


def built_quizzes(page: Path) -> QuizFinder:
    finder = QuizFinder()
    finder.feed(page.read_text(encoding="utf-8"))
    return finder


def test_the_chapters_ask_enough_questions():
    """At least 44 questions in the built book, at least 4 in each chapter of Parts 0-II."""
    assert (BOOK_HTML / "index.html").exists(), f"the book is not built at {BOOK_HTML}: run `make book`"
    pages = [p for p in BOOK_HTML.rglob("*.html") if "_static" not in p.parts]
    total = sum(len(built_quizzes(p).ids) for p in pages)
    missing = [name for name in PART_CHAPTERS if not (BOOK_HTML / "chapters" / f"{name}.html").exists()]
    assert not missing, f"chapters not built: {missing}"
    per_chapter = {name: len(built_quizzes(BOOK_HTML / "chapters" / f"{name}.html").ids)
                   for name in PART_CHAPTERS}
    few = {name: n for name, n in per_chapter.items() if n < PER_CHAPTER}
    assert not few, f"chapters with fewer than {PER_CHAPTER} self-check questions: {few}"
    assert total >= TOTAL, f"the built book asks {total} self-check questions, fewer than {TOTAL}"


def test_every_quiz_cell_is_on_its_page_with_an_answer_key():
    """Each quiz cell of a notebook shows its question on the built page, in the notebook's
    order, with no code above it (``remove-input``) and the chapter's answer key below; a
    chapter shows every question of its quiz file in the file's order, so that the numbers
    "Self-check 1, 2, ..." run in order and match the answer key."""
    assert CELLS, "no chapter has a practice.quiz(...) cell"
    for stem, calls in CELLS.items():
        page = BOOK_HTML / "chapters" / f"{stem}.html"
        assert page.exists(), f"{page} is not built"
        found = built_quizzes(page)
        expected = [f"bpq-{chapter}-{qid}" for chapter, qid in calls]
        assert found.ids == expected, f"{page.name}: built questions {found.ids}, cells {expected}"
        chapters = {chapter for chapter, _ in calls}
        assert len(chapters) == 1, f"{stem}.ipynb shows questions of several quiz files: {sorted(chapters)}"
        in_file = [(chapter, q["id"]) for chapter in chapters for q in selfcheck.load(chapter)["questions"]]
        assert calls == in_file, (
            f"{stem}.ipynb shows {[i for _, i in calls]}, but its quiz file numbers (and its answer key "
            f"lists) {[i for _, i in in_file]}: show every question, in the file's order")
        assert found.answer_keys == 1, f"{page.name}: {found.answer_keys} answer keys, expected 1"
        source = page.read_text(encoding="utf-8")
        assert not re.search(r'<span class="n">practice</span><span class="o">\.</span>'
                             r'<span class="n">(quiz|answers)</span>', source), (
            f"{page.name} shows the code of a quiz cell: tag it remove-input")


# ------------------------------------------------------------------ in the browser

#: What a quiz shows, as a reader sees it: the text without the scripts and styles, without
#: MathJax's output (its glyphs are CSS, its assistive MathML is for screen readers).
VISIBLE_TEXT = """el => {
  const clone = el.cloneNode(true);
  clone.querySelectorAll('script, style, mjx-container, [hidden]').forEach(e => e.remove());
  document.body.appendChild(clone);
  const text = clone.innerText;
  clone.remove();
  return text;
}"""

#: The contrast of an element's text against what is painted behind it (its own background
#: and its ancestors', composited), per WCAG 2. Any CSS colour is resolved on a canvas.
CONTRAST = """el => {
  const ctx = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const rgba = c => {
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const bg = rgba(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let back = [255, 255, 255, 1];   // the canvas of a page that paints nothing
  for (const layer of layers.reverse()) back = over(layer, back);
  const fore = over(rgba(getComputedStyle(el).color), back);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fore), lum(back)].sort((a, b) => b - a);
  return {ratio: (hi + 0.05) / (lo + 0.05), color: getComputedStyle(el).color,
          background: 'rgb(' + back.slice(0, 3).map(Math.round).join(', ') + ')'};
}"""

#: Whatever inside a quiz is wider than its box, and how far the quiz reaches past the window.
OVERFLOW = """quiz => {
  const wide = [quiz, ...quiz.querySelectorAll('.bp-quiz-option, .bp-quiz-feedback, .bp-quiz-numeric')]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.className}: ${e.scrollWidth} px in ${e.clientWidth} px`);
  const right = quiz.getBoundingClientRect().right;
  return {wide, past: right - document.documentElement.clientWidth};
}"""

#: The boxes between a quiz and the article that paint a background of their own: a question
#: sits on the page (the theme's dark mode paints HTML outputs light, a slab around the quiz).
FRAMES = """quiz => {
  const out = [];
  for (let e = quiz.parentElement; e && !e.matches('article, main, body'); e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent')
      out.push(`${e.tagName.toLowerCase()}.${e.className.split(' ').join('.')}: ${s.backgroundColor},`
               + ` padding ${s.padding}`);
  }
  return out;
}"""

#: How far the focus ring of a focused field (its outline, outside its offset) reaches over
#: the field's label on its left, in px (0 or less: the label stays readable).
RING_OVER_LABEL = """input => {
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (!label) return null;
  const s = getComputedStyle(input);
  const reach = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth);
  const a = label.getBoundingClientRect(), b = input.getBoundingClientRect();
  if (a.bottom <= b.top - reach || a.top >= b.bottom + reach) return 0;   // on another line
  return a.right - (b.left - reach);
}"""

#: The focused element: is it the one asked for, is its focus shown, and how.
FOCUS = """sel => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {matches: !!e && e.matches(sel), visible: e.matches(':focus-visible'),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), option: e.dataset.option ?? null,
          tag: e.tagName, cls: e.className};
}"""


def math_free(text: str) -> str:
    """The longest run of an option's or entry's feedback between math, as the page shows it."""
    plain = selfcheck.to_text(text).replace("`", "")
    runs = [" ".join(run.split()) for run in re.split(r"\$[^$]+\$", plain)]
    return max(runs, key=len).strip(" ,.;:")


def squeeze(text: str) -> str:
    return " ".join(text.split())


def open_quiz_page(chromium, book_url, page_path, mode, width):
    """The page open and typeset, with its requests and console errors recorded."""
    context = chromium.new_context(color_scheme=mode, viewport={"width": width, "height": 900 if width >= 992 else 844})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.goto(f"{book_url}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => !!(window.MathJax && MathJax.startup)"), "the page has no MathJax"
    page.evaluate("() => MathJax.startup.promise")
    return context, page, requests, errors


def tab_to(page, quiz, selector, option=None, presses=40):
    """Put the focus on ``selector`` inside ``quiz`` (option ``option``) with the Tab key alone,
    starting from the question's title, as a reader would; the focus state found there."""
    quiz.locator(".bp-quiz-title").click()   # sets where sequential focus navigation starts
    full = f"#{quiz.get_attribute('id')} {selector}"
    for _ in range(presses):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS, full)
        if focus["matches"] and (option is None or focus["option"] == str(option)):
            return focus
    raise AssertionError(f"{presses} presses of Tab never reach {selector} (option {option}) of the question")


def assert_focus_shown(focus, what):
    assert focus["visible"], f"{what} is focused by Tab but does not match :focus-visible"
    assert focus["outline"] != "none" and focus["width"] > 0, (
        f"{what} shows no focus ring ({focus['outline']} {focus['width']} px)")


def feedback(quiz):
    out = quiz.locator(".bp-quiz-feedback")
    assert out.is_visible(), "no feedback is shown"
    return squeeze(out.inner_text()), out.get_attribute("class")


def assert_feedback(quiz, verdict, expected_text, state, what):
    text, cls = feedback(quiz)
    assert text.startswith(verdict), f"{what}: the feedback reads {text!r}, not {verdict!r}"
    if expected_text:
        assert math_free(expected_text) in text, (
            f"{what}: the feedback {text!r} lacks {math_free(expected_text)!r}")
    assert f"bp-quiz-{state}" in cls.split(), f"{what}: the feedback box is {cls!r}, not {state}"
    assert "\\(" not in quiz.evaluate(VISIBLE_TEXT), f"{what}: raw TeX in the feedback"
    if "$" in expected_text:
        assert quiz.locator(".bp-quiz-feedback mjx-container").count() > 0, f"{what}: feedback math not typeset"


def check_choice(page, quiz, q):
    """Answers a single or multiple choice question by keyboard: a wrong option, then the right ones."""
    options = q["options"]
    wrong = next(j for j, o in enumerate(options) if not o["correct"])
    right = [j for j, o in enumerate(options) if o["correct"]]
    focus = tab_to(page, quiz, ".bp-quiz-option")
    assert focus["option"] == "0", f"Tab reaches option {focus['option']} before the first one"
    assert_focus_shown(focus, "an option button")
    for j in range(len(options)):   # every option is on the Tab path
        tab_to(page, quiz, ".bp-quiz-option", option=j)

    tab_to(page, quiz, ".bp-quiz-option", option=wrong)
    page.keyboard.press("Enter")
    button = quiz.locator(f'.bp-quiz-option[data-option="{wrong}"]')
    assert "bp-quiz-wrong" in button.get_attribute("class").split(), "a wrong option is not marked wrong"
    assert button.get_attribute("aria-pressed") == "true"
    assert_feedback(quiz, "Not quite.", options[wrong]["feedback"], "wrong", f"wrong option {wrong}")
    assert_focus_shown(page.evaluate(FOCUS, ".bp-quiz-option"), "the answered option")
    yield "wrong"

    for n, j in enumerate(right):
        tab_to(page, quiz, ".bp-quiz-option", option=j)
        page.keyboard.press("Space")
        button = quiz.locator(f'.bp-quiz-option[data-option="{j}"]')
        assert "bp-quiz-right" in button.get_attribute("class").split(), f"right option {j} is not marked right"
        last = n == len(right) - 1
        verdict = "Right." if last else "Right, and there is more."
        assert_feedback(quiz, verdict, options[j]["feedback"], "right" if last else "partly", f"right option {j}")
    if q["kind"] == "single":
        assert quiz.locator(".bp-quiz-wrong").count() == 0, "a single choice keeps the earlier wrong mark"
    yield "right"


def far_value(values, tol):
    """A number no answer of the question is close to (it earns the hint)."""
    for x in (values[0] + 1 + 1000 * tol, values[0] - 7 - 1000 * tol, 123456.0):
        if all(abs(x - v) > 10 * tol for v in values):
            return x
    raise AssertionError("no value far from every answer")


def check_numeric(page, quiz, chapter, q):
    """Answers a numeric question by keyboard: garbage, a listed wrong value, another value, the key."""
    key, tol = selfcheck.key_value(chapter, q["key"]), q["tolerance"]
    wrongs = [(selfcheck.key_value(chapter, w["key"]), w["feedback"]) for w in q.get("wrong", [])]
    field = quiz.locator(".bp-quiz-input")
    focus = tab_to(page, quiz, ".bp-quiz-input")
    assert_focus_shown(focus, "the answer field")
    over = field.evaluate(RING_OVER_LABEL)
    assert over is not None, "the answer field has no label"
    assert over <= 0, f"the focus ring of the answer field covers {over:.1f} px of its label"
    page.keyboard.type("two and a half")
    page.keyboard.press("Enter")
    text, cls = feedback(quiz)
    assert "Enter a number" in text and "bp-quiz-wrong" in cls.split(), f"text that is no number: {text!r}"

    for value, _ in wrongs:
        expected = next(f for v, f in wrongs if abs(value - v) <= tol)   # the first entry that matches
        field.fill(repr(value))
        page.keyboard.press("Enter")
        assert_feedback(quiz, "Not quite.", expected, "wrong", f"the listed wrong value {value!r}")
        assert "bp-quiz-wrong" in field.get_attribute("class").split(), "a wrong value is not marked wrong"
    yield "wrong"

    other = far_value([key] + [v for v, _ in wrongs], tol)
    field.fill(repr(other))
    page.keyboard.press("Tab")                    # the Check button follows the field
    assert_focus_shown(page.evaluate(FOCUS, ".bp-quiz-check"), "the Check button")
    page.keyboard.press("Space")
    assert_feedback(quiz, "Not quite.", q["hint"], "wrong", f"another value {other!r}")

    field.fill(repr(key + 0.4 * tol))
    field.focus()
    page.keyboard.press("Enter")
    assert_feedback(quiz, "Right.", q["feedback"], "right", f"{key + 0.4 * tol!r}, within {tol} of {key!r}")
    assert "bp-quiz-right" in field.get_attribute("class").split(), "a right value is not marked right"
    yield "right"


def legibility_problems(quiz, width, when):
    """What makes the question hard to read now, in sentences (``[]`` when nothing does)."""
    problems = []
    targets = [(".bp-quiz", quiz), *[(sel, quiz.locator(sel).first) for sel in
                                     (".bp-quiz-stem", ".bp-quiz-option", ".bp-quiz-input",
                                      ".bp-quiz-feedback", ".bp-quiz-feedback strong")]]
    for name, el in targets:
        if name != ".bp-quiz" and (el.count() == 0 or not el.is_visible()):
            continue
        c = el.evaluate(CONTRAST)
        if c["ratio"] < MIN_CONTRAST:
            problems.append(f"{when}: {name} has contrast {c['ratio']:.2f} ({c['color']} on {c['background']}), "
                            f"below {MIN_CONTRAST}")
    frames = quiz.evaluate(FRAMES)
    if frames:
        problems.append(f"{when}: the question sits in a box of another colour: {frames}")
    o = quiz.evaluate(OVERFLOW)
    if o["wide"]:
        problems.append(f"{when}: scrolls sideways at {width} px: {o['wide']}")
    if o["past"] > 0:
        problems.append(f"{when}: the question reaches {o['past']} px past a {width} px window")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("kind, page_path, chapter, qid", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_question(chromium, book_url, kind, page_path, chapter, qid, mode, width):
    q = selfcheck.question(chapter, qid)
    context, page, requests, errors = open_quiz_page(chromium, book_url, page_path, mode, width)
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == mode, f"the theme shows {theme!r} for a reader who prefers {mode}"
        assert page.locator(f'.bp-quiz[data-kind="{kind}"]').count() > 0, f"no {kind} question on {page_path}"
        quiz = page.locator(f"#bpq-{chapter}-{qid}")
        assert quiz.count() == 1, f"question {qid} is not on {page_path}: rebuild the book"
        assert quiz.get_attribute("data-kind") == kind
        quiz.scroll_into_view_if_needed()

        shown = quiz.evaluate(VISIBLE_TEXT)
        assert "\\(" not in shown and "$" not in shown, f"raw TeX in the question: {shown!r}"
        assert math_free(q["stem"]) in squeeze(shown), "the stem is not shown"
        texts = [q["stem"]] + [o["text"] for o in q.get("options", [])]
        if any("$" in t for t in texts):
            assert quiz.locator(".bp-quiz-stem mjx-container, .bp-quiz-option mjx-container").count() > 0, (
                "the question's math is not typeset by the book's MathJax")

        # Screenshots first, and every legibility problem collected: one run shows them all.
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = f"quiz-{kind}-{mode}-{width}"
        quiz.screenshot(path=str(SHOTS / f"{stem}-before.png"))
        illegible = legibility_problems(quiz, width, "unanswered")
        steps = check_numeric(page, quiz, chapter, q) if kind == "numeric" else check_choice(page, quiz, q)
        for state in steps:
            quiz.screenshot(path=str(SHOTS / f"{stem}-{state}.png"))
            illegible += legibility_problems(quiz, width, f"answered {state}")

        assert not illegible, "hard to read:\n- " + "\n- ".join(illegible)

        answer_key = page.locator(".bp-quiz-answers")
        assert answer_key.count() == 1, "the chapter has no answer key"
        assert not answer_key.is_visible(), "the answer key shows on screen"
        key_cell = page.locator(".cell:has(.bp-quiz-answers)")
        key_cell.scroll_into_view_if_needed()
        left = key_cell.evaluate("c => c.getBoundingClientRect().height")
        assert left <= 1, f"the hidden answer key leaves a box {left} px high on screen"
        page.emulate_media(media="print")
        try:
            assert answer_key.is_visible(), "the answer key is hidden in print"
            assert quiz.is_visible(), "the question is hidden in print"
            assert not quiz.locator(".bp-quiz-feedback").is_visible(), "the feedback shows in print"
            if kind == "numeric":
                assert not quiz.locator(".bp-quiz-check").is_visible(), "the Check button shows in print"
        finally:
            page.emulate_media(media="screen")

        outside = [u for u in requests
                   if not u.startswith(book_url + "/") and not u.startswith(("data:", "blob:", "about:"))]
        assert not outside, f"requests that leave the site: {outside}"
        assert not any("mathjax" in u.lower() and not u.startswith(book_url) for u in requests)
        assert not errors, f"console errors: {errors}"
    finally:
        context.close()
