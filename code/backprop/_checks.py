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


def check_int(n, name: str, *, minimum: int = 1) -> int:
    """Return ``n`` as a Python int, or raise unless it is an integer ``>= minimum``.

    ``bool`` and floats are refused, even ``2.0``: a count or a size is an integer.
    """
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)) or n < minimum:
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
        raise ValueError(f"{name} must be {kind}; got {n!r}")
    return int(n)


def check_same_shape(a: np.ndarray, b: np.ndarray, a_name: str, b_name: str, what: str = "") -> None:
    """Raise ``ValueError`` unless ``b`` has exactly the shape of ``a``; say if NumPy would broadcast.

    ``what`` starts the message, e.g. ``"the Hadamard product: "``.
    """
    if a.shape == b.shape:
        return
    try:
        silent = (f"; NumPy's {a_name} * {b_name} would have broadcast them to shape "
                  f"{np.broadcast_shapes(a.shape, b.shape)}")
    except ValueError:
        silent = ""
    raise ValueError(f"{what}{b_name} must have the shape of {a_name} (the same shape); got {a_name} "
                     f"of shape {a.shape} and {b_name} of shape {b.shape}{silent}")


def check_chain(shapes, names, what: str, hint: str = "") -> None:
    """Raise ``ValueError`` unless the factors of a product chain: ``shapes[k - 1][1] == shapes[k][0]``.

    ``shapes`` are ``(rows, cols)`` pairs in the order of the product,
    ``names[k]`` names factor ``k`` in the message, ``what`` names them all
    (``"layers"``, ``"jacobians"``), ``hint`` ends the message.
    """
    for k in range(1, len(shapes)):
        (rows_a, cols_a), (rows_b, cols_b) = shapes[k - 1], shapes[k]
        if cols_a != rows_b:
            raise ValueError(
                f"{what} do not chain: {names[k - 1]} has shape {(rows_a, cols_a)} and {names[k]} has "
                f"shape {(rows_b, cols_b)}, but the product {names[k - 1]} {names[k]} needs "
                f"{names[k - 1]} to have as many columns ({cols_a}) as {names[k]} has rows ({rows_b})"
                + (f". {hint}" if hint else ""))


def check_labels(labels, name: str = "labels", *, n_classes: int | None = None,
                 m: int | None = None) -> np.ndarray:
    """Integer class labels of shape ``(m,)``, as ``int64``; in ``[0, n_classes)`` if given.

    Whole floats (``0.0``/``1.0`` labels, e.g. ``Y[0]`` of ``data.xor``) are accepted.
    """
    arr = as_array(labels, name, ndim=1, shape_hint="(m,)")
    if arr.dtype.kind == "f" and np.array_equal(arr, np.round(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels; got dtype {arr.dtype}")
    if m is not None and arr.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), one label per column; got shape {arr.shape}")
    if n_classes is not None:
        n_classes = check_int(n_classes, "n_classes")
        if arr.min() < 0 or arr.max() >= n_classes:
            raise ValueError(f"{name} must lie in [0, {n_classes}), one class per entry; "
                             f"got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64)


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
