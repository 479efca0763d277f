"""Input checks shared by the public functions of ``backprop``.

Every check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong shape or value) with a message that names the argument,
the shape that was expected and the shape that was received.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

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


def check_params(params, dtype=None) -> list:
    """Validate a list of ``(W, b)`` pairs and return it as arrays of one floating dtype.

    ``W^l`` must be 2-D with shape ``(n_l, n_{l-1})``, consecutive layers must
    chain (``W^{l}.shape[1] == W^{l-1}.shape[0]``), and ``b^l`` must be a
    column of shape ``(n_l, 1)``. A 1-D bias is rejected rather than
    broadcast: ``W @ a + b`` with ``b`` of shape ``(n,)`` would add ``b``
    along the batch axis, silently wrong whenever ``n == m``.
    """
    if isinstance(params, np.ndarray) or not isinstance(params, Sequence):
        raise TypeError(
            "params must be a list of (W, b) pairs, one per layer; "
            f"got {type(params).__name__}"
        )
    if len(params) == 0:
        raise ValueError("params is empty: expected a list of (W, b) pairs, one per layer")
    raw = []
    for l, pair in enumerate(params, start=1):
        if isinstance(pair, np.ndarray) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(
                f"params[{l - 1}] must be a (W, b) pair for layer {l}; got {type(pair).__name__}"
                + (f" of length {len(pair)}" if isinstance(pair, Sequence) else "")
            )
        W = as_array(pair[0], f"W^{l} (params[{l - 1}][0])", ndim=2,
                     shape_hint=f"(n_{l}, n_{l - 1})")
        b = as_array(pair[1], f"b^{l} (params[{l - 1}][1])", shape_hint=f"(n_{l}, 1)")
        check_shape(b, f"b^{l} (params[{l - 1}][1])", (W.shape[0], 1),
                    "Biases are columns in this book; use b.reshape(-1, 1).")
        if raw:                             # the product W^l a^{l-1} needs a^{l-1} from W^{l-1}
            n_prev = raw[-1][0].shape[0]
            check_chain([W.shape, raw[-1][0].shape], [f"W^{l}", f"W^{l - 1}"], "layers",
                        f"Layer {l - 1} has n_{l - 1} = {n_prev} outputs, so W^{l} must have "
                        f"shape (n_{l}, {n_prev})")
        raw.append((W, b))
    if dtype is None:
        dtype = float_dtype(*[x for pair in raw for x in pair])
    return [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in raw]


def check_batch(params, X, Y=None):
    """Validate ``params``, ``X`` and ``Y`` together. Returns ``(params, X, Y)`` as arrays of one dtype.

    ``X`` must have shape ``(n_0, m)`` with ``n_0 = W^1.shape[1]`` and
    ``m >= 1``; ``Y`` (optional) must have shape ``(n_L, m)``; every entry
    must be finite. Inputs that are already arrays of one floating dtype
    with chaining shapes are returned as they are after one scan for NaN and
    infinity; anything else is converted, or rejected with a message that
    names the argument and its shape.
    """
    if is_array_batch(params, X, Y):
        # One pass over each array, by BLAS: a sum of squares is finite only
        # if every entry is (NaN and infinity propagate). A sum too large for
        # the dtype falls through to the exact scan of ``as_array`` below.
        total = float(_dot(X, X)) + (0.0 if Y is None else float(_dot(Y, Y)))
        for W, b in params:
            total += float(_dot(W, W)) + float(_dot(b, b))
        if math.isfinite(total):
            return params, X, Y
    X_arr = as_array(X, "X", ndim=2, shape_hint="(n_0, m)")
    Y_arr = None if Y is None else as_array(Y, "Y", ndim=2, shape_hint="(n_L, m)")
    params = check_params(params)
    dtype = float_dtype(params[0][0], X_arr, *(() if Y_arr is None else (Y_arr,)))
    params = [(W.astype(dtype, copy=False), b.astype(dtype, copy=False)) for W, b in params]
    n_0 = params[0][0].shape[1]
    if X_arr.shape[0] != n_0:
        raise ValueError(
            f"X must have shape (n_0, m) = ({n_0}, m) to match W^1 of shape "
            f"{params[0][0].shape}; got shape {X_arr.shape}. Examples are columns: "
            "if your examples are rows, pass X.T"
        )
    X_arr = X_arr.astype(dtype, copy=False)
    if Y_arr is not None:
        n_L, m = params[-1][0].shape[0], X_arr.shape[1]
        if Y_arr.shape != (n_L, m):
            raise ValueError(
                f"Y must have shape (n_L, m) = ({n_L}, {m}), matching the output layer "
                f"and the batch of X; got shape {Y_arr.shape}"
            )
        Y_arr = Y_arr.astype(dtype, copy=False)
    return params, X_arr, Y_arr


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_dot = np.vdot


def is_array_batch(params, X, Y) -> bool:
    """Are ``params``, ``X`` (and ``Y``) already arrays of one float dtype, with shapes that chain?

    ``O(L)`` work, no pass over the entries; ``False`` sends the caller to the
    full check, which converts what it can and names what is wrong. (A
    dtype compared with ``is`` may say ``False`` for an equal dtype: that
    only costs the full check.)
    """
    if type(X) is not np.ndarray or X.ndim != 2 or X.dtype not in _FLOATS or not X.size:
        return False
    if type(params) not in (list, tuple) or not params:
        return False
    dtype, (n_prev, m) = X.dtype, X.shape
    for pair in params:
        if type(pair) not in (list, tuple) or len(pair) != 2:
            return False
        W, b = pair
        if type(W) is not np.ndarray or type(b) is not np.ndarray or W.ndim != 2:
            return False
        n = W.shape[0]
        if W.dtype is not dtype or b.dtype is not dtype or W.shape[1] != n_prev or b.shape != (n, 1) or not n:
            return False
        n_prev = n
    return Y is None or (type(Y) is np.ndarray and Y.dtype is dtype and Y.shape == (n_prev, m))


def _expect(ndim, shape_hint):
    if shape_hint:
        return f" of shape {shape_hint}"
    if ndim is not None:
        return f" with {ndim} dimensions"
    return ""
