"""The checker of the "Your turn" exercises: right, or the first mistake, named.

``check(name, function)`` runs the reader's ``function`` on the cases of the
exercise ``name`` (random, seeded, float64: a batch of one example and a batch
of several, two sizes of network or matrix) and compares each result with the
book's reference, part by part (``grad_W`` of the output layer first). At the
first part that is wrong it tries to recognise the mistake, by comparing the
reader's array with transformed versions of the right answer:

- the transpose of the right answer (a missing or an extra transpose);
- ``m`` times or ``1/m`` times it (a missing or an extra ``1/m``);
- twice or half of it (the factor 2 that the ``1/2`` of the loss cancels);
- its negative (a flipped sign);
- a bias gradient of shape ``(n, m)``, not summed over the batch;
- and the exercise's own classic mistakes, each the reference computed the
  wrong way on purpose: ``sigma`` where ``sigma'`` belongs, ``a`` where ``z``
  belongs, ``=`` where ``+=`` belongs, the softmax shortcut ``a - t`` where
  the targets do not sum to 1, a softmax without the max shift, ...

It never raises at the reader: a wrong answer, a wrong shape or an exception
in the reader's code all come back as a ``Report``, which prints as a short
paragraph (an exception as a short traceback that points at the reader's own
line). A right answer is confirmed with its relative error against central
differences, the book's independent check.
"""

from __future__ import annotations

import copy
import linecache
import os
import textwrap
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

RTOL = 1e-6          # a result within this relative error is right (rounding, another order)
_WIDTH = 76
_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = os.path.dirname(_HERE)


def rel_error(a, b) -> float:
    """``max|a - b| / max(max|a|, max|b|)`` (0 for two zero arrays); inf if either is not finite."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("inf")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - b)) / scale)


def close(a, b) -> bool:
    """Same shape and equal up to rounding (relative error at most ``RTOL``)."""
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and rel_error(a, b) <= RTOL


@dataclass
class Case:
    """One input of an exercise: its arguments, a description and the batch size ``m``."""

    args: dict
    about: str
    m: int = 1
    flags: frozenset = frozenset()


@dataclass
class Mistake:
    """A classic mistake: the reference computed the wrong way on purpose.

    ``fn`` takes the case's arguments (like the reader's function) and returns
    what that mistake returns; ``message`` explains it in the book's words
    (``{part}`` is replaced by the name of the wrong part).
    """

    name: str
    fn: Callable
    message: str


@dataclass
class Exercise:
    """An exercise the checker knows.

    ``reference`` is the book's function (same arguments as the reader's);
    ``parts`` turns a result into named arrays, in the order they are compared;
    ``numerical`` computes the same parts by central differences.
    """

    name: str
    chapter: str
    signature: str
    cases: Callable[[], list]
    reference: Callable
    parts: Callable
    numerical: Callable
    mistakes: list = field(default_factory=list)
    mean: bool = False                 # the result carries 1/m (a cost over a batch)
    hints: dict = field(default_factory=dict)   # generic diagnosis -> a sentence of this exercise


@dataclass
class Report:
    """What the checker found: ``ok``, a short ``diagnosis`` code and the ``message``.

    ``diagnosis`` is ``"right"`` for a right answer; otherwise, for example,
    ``"transpose"``, ``"missing-1/m"``, ``"sigma-for-prime"`` or ``"exception"``.
    """

    ok: bool
    diagnosis: str
    message: str
    exercise: str = ""
    part: str = ""
    case: str = ""
    expected_shape: tuple | None = None
    received_shape: tuple | None = None
    error: float | None = None

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message


# ----------------------------------------------------------------------------- messages

GENERIC = {
    "transpose": "{part} is the transpose of the right answer. A gradient has the shape of its "
                 "variable: see which factor of the product carries the transpose.",
    "missing-1/m": "{part} is m = {m} times too large: the cost is the mean of the losses over "
                   "the batch, so every gradient carries the factor 1/m.",
    "extra-1/m": "{part} is m = {m} times too small: the factor 1/m is applied twice (once is "
                 "enough: where the cost takes the mean).",
    "factor-2": "{part} is twice the right value: the 1/2 of the loss 1/2 ||a - y||^2 cancels "
                "the 2 of the square.",
    "factor-half": "{part} is half the right value: the derivative of a square keeps its "
                   "factor 2 unless the loss carries 1/2.",
    "sign": "{part} has the right size and the opposite sign: follow the sign of every factor "
            "of the chain rule, one at a time.",
    "lost-axis": "{part} has the shape {received} where {expected} is expected: the values are "
                 "right, but an axis was dropped (a sum over axis=1 needs keepdims=True; the "
                 "book's biases and vectors are columns).",
    "bias-not-summed": "{part} has the shape {received} where {expected} is expected: it is "
                       "still one column per example. A bias is shared by the m examples, so "
                       "its gradient sums them (a product with the column of ones).",
    "shape": "{part} has the shape {received}, but it must have the shape {expected}.",
    "values": "{part} has the right shape {expected} and wrong values (relative error "
              "{error:.1e}). Compare it entry by entry with a small case worked by hand.",
    "not-finite": "{part} contains inf or nan where the right answer is finite.",
}


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(p, _WIDTH, break_on_hyphens=False, break_long_words=False)
                     for p in text.split("\n"))


def _shape(x) -> tuple:
    return tuple(np.shape(x))


def _fmt_shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


# ----------------------------------------------------------------------------- running


def _call(fn, args, by_position=False):
    """``fn``'s result on a copy of ``args``, or the exception it raised (never raised here).

    The reader's function gets the arguments by position, so that its own
    parameter names do not matter; the book's functions get them by name.
    """
    args = copy.deepcopy(args)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return (fn(*args.values()) if by_position else fn(**args)), None
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, not raised
            return None, exc


def _reader_frames(exc):
    """The traceback's frames outside this package and outside NumPy: the reader's code."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames
            if not os.path.abspath(f.filename).startswith(_PACKAGE)
            and "site-packages" not in f.filename and "/numpy/" not in f.filename]
    return mine or frames[-1:]


def _exception_message(exc, fn_name: str, case: Case) -> str:
    frames = _reader_frames(exc)
    lines = [f"Your function raised {type(exc).__name__} on the case {case.about}."]
    for f in frames[-2:]:
        where = f"line {f.lineno} of {f.name}"
        text = (f.line or linecache.getline(f.filename, f.lineno)).strip()
        lines.append(f"  {where}:")
        if text:
            lines.append("    " + text)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    lines.append(textwrap.fill(f"{type(exc).__name__}: {detail}", _WIDTH, subsequent_indent="  ",
                               break_long_words=True))
    if "mismatch" in detail or "shapes" in detail or "broadcast" in detail:
        lines.append(_wrap("A product or a sum got arrays of shapes that do not fit: write the "
                           "shape of each factor next to it, and see which one needs a transpose."))
    return "\n".join(lines)


def _parts(ex: Exercise, result):
    """The result as ``[(name, float64 array)]``, or the reason it cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            named = ex.parts(result)
            out = []
            for name, arr in named:
                if np.iscomplexobj(arr):
                    raise TypeError(f"{name} has complex values")
                out.append((name, np.asarray(arr, dtype=np.float64)))
            return out, None
        except Exception as exc:  # noqa: BLE001 - a malformed result is reported
            return None, exc


def _diagnose(ex: Exercise, case: Case, part: str, got: np.ndarray, want: np.ndarray):
    """``(code, message)`` for a wrong part, trying the exercise's mistakes first."""
    fill = {"part": part, "m": case.m, "expected": _fmt_shape(want.shape),
            "received": _fmt_shape(got.shape)}

    def said(code, text=None):
        text = text or ex.hints.get(code) or GENERIC[code]
        return code, text.format(**fill)

    for mistake in ex.mistakes:
        wrong, exc = _call(mistake.fn, case.args)
        if exc is not None:
            continue
        wrong_parts, exc = _parts(ex, wrong)
        if exc is not None:
            continue
        for name, arr in wrong_parts:
            if name == part and close(got, arr) and not close(arr, want):
                return said(mistake.name, mistake.message)
    finite = bool(np.all(np.isfinite(got)))
    if not finite:
        if "large" in case.flags and "overflow" in ex.hints:
            return said("overflow")
        return said("not-finite")
    if got.shape == want.shape[::-1] and got.shape != want.shape and close(got, want.T):
        return said("transpose")
    if got.shape == want.shape:
        factors = [("sign", -1.0), ("factor-2", 2.0), ("factor-half", 0.5)]
        if ex.mean and case.m > 1:
            factors = [("missing-1/m", float(case.m)), ("extra-1/m", 1.0 / case.m)] + factors
        for code, factor in factors:
            if close(got, factor * want):
                return said(code)
        if got.ndim == 2 and got.shape[0] == got.shape[1] and close(got, want.T):
            return said("transpose")
        fill["error"] = rel_error(got, want)
        return said("values")
    if got.size == want.size and got.ndim < want.ndim and close(got.reshape(want.shape), want):
        return said("lost-axis")
    if (ex.mean and want.ndim == 2 and want.shape[1] == 1 and got.ndim == 2
            and got.shape == (want.shape[0], case.m) and case.m > 1):
        return said("bias-not-summed")
    return said("shape")


def check(ex: Exercise, fn) -> Report:
    """Run ``fn`` on every case of ``ex``; the first mistake found, or a right answer."""
    name = getattr(fn, "__name__", "your function")
    if not callable(fn):
        return Report(False, "not-callable", _wrap(
            f"check needs your function itself, {ex.signature}; it got a "
            f"{type(fn).__name__}. Pass the name without calling it."), ex.name)
    worst = 0.0
    cases = ex.cases()
    for case in cases:
        got, exc = _call(fn, case.args, by_position=True)
        if exc is not None:
            return Report(False, "exception", _exception_message(exc, name, case), ex.name,
                          case=case.about)
        if got is None or got is Ellipsis:
            return Report(False, "not-done", _wrap(
                f"Not done yet: {name} returned {got!r}. Write its body, {ex.signature}, "
                f"and run this cell again."), ex.name, case=case.about)
        want = ex.reference(**copy.deepcopy(case.args))
        want_parts, _ = _parts(ex, want)
        got_parts, exc = _parts(ex, got)
        if exc is None and [n for n, _ in got_parts] != [n for n, _ in want_parts]:
            exc = ValueError("a different number of parts")
        if exc is not None:
            shape = ", ".join(n for n, _ in want_parts)
            return Report(False, "structure", _wrap(
                f"Not yet. {name} returned {type(got).__name__} {_describe(got)}; the exercise "
                f"expects {shape}, as in {ex.signature}."), ex.name, case=case.about)
        for (part, w), (_, g) in zip(want_parts, got_parts):
            if close(g, w):
                continue
            code, text = _diagnose(ex, case, part, g, w)
            return Report(False, code, _wrap(f"Not yet. On the case {case.about}: {text}"),
                          ex.name, part=part, case=case.about, expected_shape=w.shape,
                          received_shape=g.shape, error=rel_error(g, w) if g.shape == w.shape else None)
        if "skip-numerical" not in case.flags:
            numeric = dict(ex.parts(ex.numerical(**copy.deepcopy(case.args))))
            for part, g in got_parts:
                worst = max(worst, rel_error(g, numeric[part]))
    about = "; ".join(c.about for c in cases)
    return Report(True, "right", _wrap(
        f"Right: {name} agrees with the book's reference on all {len(cases)} cases ({about}). "
        f"Largest relative error against central differences: {worst:.1e}."), ex.name, error=worst)


def _describe(x) -> str:
    if isinstance(x, (tuple, list)):
        return f"of length {len(x)}"
    if hasattr(x, "shape"):
        return f"of shape {_fmt_shape(np.shape(x))}"
    return ""
