"""Practice that answers back: every quiz file is valid, every chapter has its questions
where they belong, and every "Your turn" exercise is in its chapter, checked on its solution.

The wrong-answer catalogue of the checker is ``test_practice_checker.py``; the questions
on the site are tested in a browser by ``test_quiz_browser.py``; the numeric keys are
recomputed independently by ``test_selfcheck_keys.py``.
"""

import json
import re
from pathlib import Path

import pytest

from backprop import practice
from backprop.practice import exercises, selfcheck
from tools import book

ROOT = Path(__file__).resolve().parents[1]
QUIZ_DIR = ROOT / "code" / "backprop" / "practice" / "quizzes"
# Parts 0-III: the numbered chapters before the appendices
NUMBERED_CHAPTERS = [e["doc"].split("/")[1] for e in book.toc_entries()
                 if e["number"] and e["number"].isdigit() and e["parent"] is None]
QUIZ_CALL = re.compile(r'^practice\.quiz\("([a-z_]+)", "([a-z0-9-]+)"\)$')


def chapter_cells(name):
    nb = json.loads((ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return nb["cells"]


def source(cell):
    return "".join(cell["source"])


def test_the_numbered_chapters_are_the_fourteen_of_parts_0_to_iii():
    assert NUMBERED_CHAPTERS[0] == "notation" and NUMBERED_CHAPTERS[10] == "reverse_mode"
    assert NUMBERED_CHAPTERS[11:] == ["gradient_cost", "second_order", "relu"]


@pytest.mark.parametrize("path", sorted(QUIZ_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_quiz_file_is_valid(path):
    """Schema, one key per single-choice question, feedback on every option, computed keys."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert selfcheck.validate(data, path.stem) == []


def test_the_validator_finds_what_is_wrong():
    good = selfcheck.load("gradient")
    broken = json.loads(json.dumps(good))
    q = next(q for q in broken["questions"] if q["kind"] == "single")
    q["options"][1]["correct"] = True                 # two keys
    q["options"][2]["feedback"] = ""                  # a wrong option without feedback
    numeric = next(q for q in broken["questions"] if q["kind"] == "numeric")
    numeric["key"] = "no_such_key"
    problems = "\n".join(selfcheck.validate(broken, "gradient"))
    assert "exactly one correct option" in problems
    assert "feedback: a non-empty string is required" in problems
    assert "no function 'no_such_key'" in problems


def test_enough_questions_in_every_chapter():
    counts = {name: len(selfcheck.load(name)["questions"]) for name in NUMBERED_CHAPTERS}
    assert all(n >= 4 for n in counts.values()), counts
    assert sum(counts.values()) >= 44, counts
    kinds = {q["kind"] for name in NUMBERED_CHAPTERS for q in selfcheck.load(name)["questions"]}
    assert kinds == set(selfcheck.KINDS)


@pytest.mark.parametrize("name", NUMBERED_CHAPTERS)
def test_questions_stand_in_their_chapter_in_order(name):
    """Each question is shown once, where the chapter teaches it, in the file's order,
    from a cell that hides its code; the answer key closes the chapter."""
    cells = chapter_cells(name)
    shown = []
    for i, cell in enumerate(cells):
        match = QUIZ_CALL.match(source(cell).strip())
        if cell["cell_type"] == "code" and match:
            assert match.group(1) == name, f"cell {i} shows another chapter's question"
            assert "remove-input" in cell["metadata"].get("tags", []), f"cell {i} shows its code"
            shown.append((i, match.group(2)))
    ids = [q["id"] for q in selfcheck.load(name)["questions"]]
    assert [qid for _, qid in shown] == ids
    # not all at the end: the first question comes before the exercises
    exercises_at = next(i for i, c in enumerate(cells) if "## Exercises" in source(c))
    assert shown[0][0] < exercises_at and shown[1][0] < exercises_at
    last = cells[-1]
    assert source(last).strip() == f'practice.answers("{name}")'
    assert "remove-input" in last["metadata"].get("tags", [])


def test_at_least_ten_code_exercises_each_in_its_chapter():
    names = exercises.EXERCISES
    assert len(names) >= 10
    needed = {"gradient", "jacobian", "vjp_jvp", "differentials", "one_neuron", "two_layer",
              "softmax_ce", "minibatch", "reverse_mode"}
    assert needed <= {ex.chapter for ex in names.values()}
    for name, ex in names.items():
        cells = chapter_cells(ex.chapter)
        checks = [i for i, c in enumerate(cells)
                  if c["cell_type"] == "code" and f'practice.check("{name}", ' in source(c)]
        assert len(checks) == 2, f"{name}: a check of the stub and one in the solution"
        stub, solution = (source(cells[i]) for i in checks)
        assert stub.startswith("practice.check(")
        assert "assert report.ok" in solution
        # the stub before the first check returns None: the site shows no spoiler
        before = source(cells[checks[0] - 1])
        assert before.startswith("def ") and before.rstrip().endswith("return None")
        # the solution is inside the exercise's solution block
        starts = [i for i, c in enumerate(cells) if "{solution-start}" in source(c)]
        assert any(s < checks[1] for s in starts)


def test_the_stub_is_reported_not_done_and_the_report_fits_the_code_column():
    def grad_W(W, X, Y):
        return None

    report = practice.check("gradient-linear", grad_W)
    assert not report.ok and report.diagnosis == "not-done"
    assert max(len(line) for line in repr(report).splitlines()) <= 79


@pytest.mark.parametrize("name", NUMBERED_CHAPTERS)
def test_plain_text_of_questions_fits_the_code_column(name):
    for q in selfcheck.load(name)["questions"]:
        text = repr(practice.quiz(name, q["id"]))
        assert max(len(line) for line in text.splitlines()) <= 79
    assert max(len(line) for line in repr(practice.answers(name)).splitlines()) <= 79


def test_quiz_html_has_every_feedback_and_no_answer_in_sight():
    q = selfcheck.load("gradient")["questions"][0]
    html = practice.quiz("gradient", q["id"])._repr_html_()
    for option in q["options"]:
        assert selfcheck.to_html(option["feedback"]) in html
    # feedback is hidden until an option is chosen; options are native buttons
    assert html.count('class="bp-quiz-fb"') == len(q["options"])
    assert html.count("hidden>") >= len(q["options"])
    assert html.count("<button") == len(q["options"])


def test_unknown_names_are_clear_errors():
    with pytest.raises(ValueError, match="no quiz file"):
        practice.quiz("nochapter", "x")
    with pytest.raises(ValueError, match="has no question"):
        practice.quiz("gradient", "no-such-question")
    with pytest.raises(ValueError, match="no exercise"):
        practice.check("no-such-exercise", print)
