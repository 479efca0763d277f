"""Input checks shared by the public functions of ``backprop``.

Every check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong shape or value) with a message that names the argument,
the shape that was expected and the shape that was received.
"""

from __future__ import annotations

import numbers

import numpy as np

_NUMERIC_KINDS = "biuf"  # bool, signed int, unsigned int, float


def float_dtype(*arrays) -> np.dtype:
    """The floating dtype to compute in: that of the floating inputs, else float64.

    Integer and boolean inputs do not vote, so ``float32`` weights with an
    integer ``X`` stay ``float32``. Mixed ``float32``/``float64`` gives ``float64``.
    """
    floats = [np.asarray(a).dtype for a in arrays if np.asarray(a).dtype.kind == "f"]
    return np.result_type(*floats) if floats else np.dtype(np.float64)


def as_array(x, name: str, *, ndim: int | None = None, shape_hint: str = "",
             finite: bool = True, allow_empty: bool = False) -> np.ndarray:
    """Convert ``x`` to a numeric NumPy array and check it.

    Parameters
    ----------
    x : array-like
        The argument to check.
    name : str
        Its name in the caller's signature, used in error messages.
    ndim : int, optional
        The required number of dimensions.
    shape_hint : str
        The expected shape in the book's symbols, e.g. ``"(n_0, m)"``.
    finite : bool
        Reject NaN and infinity.
    allow_empty : bool
        Accept an array with a zero-length axis.

    Returns
    -------
    numpy.ndarray
        Floating arrays keep their dtype; integer and boolean ones are
        returned as they are (the caller picks the floating dtype).
    """
    if x is None:
        raise TypeError(f"{name} must be an array{_expect(ndim, shape_hint)}; got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be numeric{_expect(ndim, shape_hint)}; got a string")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular numeric array{_expect(ndim, shape_hint)}; "
            f"NumPy could not convert it ({exc})"
        ) from None
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"{name} must be a real numeric array{_expect(ndim, shape_hint)}; "
            f"got dtype {arr.dtype} with shape {arr.shape}"
        )
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array{_expect(None, shape_hint)}; "
            f"got a {arr.ndim}-D array of shape {arr.shape}"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(
            f"{name} is empty: expected shape {shape_hint or 'with no zero-length axis'}, "
            f"got shape {arr.shape}"
        )
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} contains NaN or infinity ({bad} of {arr.size} entries; shape {arr.shape})"
        )
    return arr


def as_float(x, name: str, dtype: np.dtype, **kwargs) -> np.ndarray:
    """``as_array`` followed by a cast to ``dtype`` (no copy when it already matches)."""
    return as_array(x, name, **kwargs).astype(dtype, copy=False)


def check_shape(arr: np.ndarray, name: str, expected: tuple, hint: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.shape`` matches ``expected``.

    ``expected`` may contain ``None`` for an axis of any length.
    """
    ok = arr.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, arr.shape)
    )
    if not ok:
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        if len(expected) == 1:
            want = want[:-1] + ",)"
        extra = f" {hint}" if hint else ""
        raise ValueError(f"{name} must have shape {want}; got shape {arr.shape}.{extra}")


def check_scalar(x, name: str, *, positive: bool = False) -> float:
    """Return ``x`` as a finite Python float, or raise with its name."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number; got {type(x).__name__}")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive; got {value}")
    return value


def check_choice(value, name: str, choices) -> str:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; expected one of {options}")
    return value


def _expect(ndim, shape_hint):
    if shape_hint:
        return f" of shape {shape_hint}"
    if ndim is not None:
        return f" with {ndim} dimensions"
    return ""
