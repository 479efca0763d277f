"""Activation functions, each written beside its derivative.

Element-wise activations act on every entry independently, so their
Jacobian is diagonal (chapter "The Hadamard product"). Softmax mixes the
entries of a column, so its Jacobian is full (chapter "The Jacobian").

All functions accept arrays of any shape and keep a floating input's dtype.
They are written so that no NumPy warning is raised for inputs as large as
``|z| = 1e4`` (see the chapter "Softmax and cross-entropy"). Like NumPy's own
element-wise functions they accept infinities (``sigmoid(inf) = 1``) and
propagate NaN; a non-numeric input raises ``TypeError``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_choice


def _z(z):
    """``z`` as a numeric array: a floating ndarray as it is (the common case, at no cost), else converted."""
    if type(z) is np.ndarray and z.dtype.kind == "f":
        return z
    return as_array(z, "z", finite=False, allow_empty=True)


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, element-wise. Shape of ``z``.

    Computed from ``e = exp(-|z|)``, which never overflows, so that both tails
    are accurate: ``1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)``, that is
    ``exp(z) / (1 + exp(z))``, for negative ``z``.
    """
    z = _z(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1 + e)


def sigmoid_prime(z):
    """Derivative of the sigmoid, ``s (1 - s)`` with ``s = sigmoid(z)``. Shape of ``z``."""
    s = sigmoid(z)
    return s * (1 - s)


def sigmoid_second(z):
    """Second derivative of the sigmoid, ``s (1 - s) (1 - 2 s)`` with ``s = sigmoid(z)``. Shape of ``z``.

    The derivative of ``s (1 - s)``: ``s' (1 - s) - s s' = s' (1 - 2 s)``.
    """
    s = sigmoid(z)
    return s * (1 - s) * (1 - 2 * s)


def tanh(z):
    """Hyperbolic tangent, element-wise. Shape of ``z``."""
    return np.tanh(_z(z))


def tanh_prime(z):
    """Derivative of tanh, ``1 - tanh(z)**2``. Shape of ``z``."""
    t = np.tanh(_z(z))
    return 1 - t * t


def tanh_second(z):
    """Second derivative of tanh, ``-2 t (1 - t**2)`` with ``t = tanh(z)``. Shape of ``z``."""
    t = np.tanh(_z(z))
    return -2 * t * (1 - t * t)


def relu(z):
    """Rectified linear unit ``max(z, 0)``, element-wise. Shape of ``z``."""
    z = _z(z)
    return np.maximum(z, 0)


def relu_prime(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (we take 0 at the kink). Shape of ``z``."""
    z = _z(z)
    dtype = z.dtype if z.dtype.kind == "f" else np.float64
    return (z > 0).astype(dtype)


def relu_second(z):
    """Second derivative of ReLU: 0 away from the kink, and we take 0 at it too. Shape of ``z``.

    ``relu_prime`` is a step, flat on each side of ``z = 0``; at the kink the
    derivative jumps and no second derivative exists.
    """
    z = _z(z)
    dtype = z.dtype if z.dtype.kind == "f" else np.float64
    return np.zeros_like(z, dtype=dtype)


def identity(z):
    """The identity map, for a linear output layer. Shape of ``z``."""
    return _z(z)


def identity_prime(z):
    """Derivative of the identity: ones. Shape of ``z``."""
    z = _z(z)
    dtype = z.dtype if z.dtype.kind == "f" else np.float64
    return np.ones_like(z, dtype=dtype)


def identity_second(z):
    """Second derivative of the identity: zeros. Shape of ``z``."""
    z = _z(z)
    dtype = z.dtype if z.dtype.kind == "f" else np.float64
    return np.zeros_like(z, dtype=dtype)


#: Element-wise activations by name: ``name -> (f, f_prime)``.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "identity": (identity, identity_prime),
}


#: The second derivative of each element-wise activation, by name: ``name -> f_second``.
#: For Hessian-vector products (``curvature.hvp``), which differentiate ``f'`` once more.
SECOND_DERIVATIVES = {
    "sigmoid": sigmoid_second,
    "tanh": tanh_second,
    "relu": relu_second,
    "identity": identity_second,
}


def get_activation(name: str):
    """Return ``(f, f_prime)`` for an element-wise activation name.

    Raises ``ValueError`` for an unknown name, listing the known ones.
    """
    check_choice(name, "activation", tuple(ACTIVATIONS))
    return ACTIVATIONS[name]


def softmax(z, axis: int = 0):
    """Softmax along ``axis`` (default 0: each column is one example). Shape of ``z``.

    ``a_i = exp(z_i) / sum_k exp(z_k)``. The column maximum is subtracted
    first; this changes nothing mathematically (numerator and denominator are
    both multiplied by ``exp(-max)``) and keeps every exponent ``<= 0``.
    """
    z = _z(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis: int = 0):
    """``log(softmax(z))`` computed without forming the softmax. Shape of ``z``.

    ``log a_i = (z_i - c) - log(sum_k exp(z_k - c))`` with ``c = max_k z_k``
    (the log-sum-exp trick). Finite for any finite ``z``, even where the
    softmax itself underflows to exactly 0.
    """
    z = _z(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


#: Every activation by name, softmax (along axis 0, the columns) included: ``name -> f``.
FUNCTIONS = {name: f for name, (f, _) in ACTIVATIONS.items()} | {"softmax": softmax}
