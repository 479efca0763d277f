"""A reverse-mode tape for matrices: micrograd for arrays.

Chapter "From backpropagation to automatic differentiation". A ``Variable``
holds a value, a NumPy array of shape ``(n, m)`` (a column is ``(n, 1)``) or
a single number (0-D), and, after a backward pass, ``.grad``: the gradient of
the scalar the pass started from, with the shape of ``.value``. Every
operation computes its value and, beside it, its VJP rule: a function that
takes the gradient ``g`` of the result and returns one gradient per input.

The backward sweep, ``c.backward()``:

1. lists every Variable that ``c`` depends on in a topological order (each
   after all its inputs), by a depth-first search without recursion;
2. sets ``.grad = None`` on all of them (a new pass *replaces* old gradients)
   and ``c.grad = 1``;
3. visits them in **reverse** topological order, from ``c`` back to the
   inputs. When a Variable is visited, every operation that used it has
   already been visited, so its gradient is complete; its VJP rule then adds
   one term to the gradient of each of its inputs. A Variable used twice (a
   fork) receives two terms, and they add.

Broadcasting is allowed in one case only, the bias of a layer: ``+`` and
``-`` accept a column ``(n, 1)`` with an ``(n, m)`` matrix, the value
``b 1^T``, and the VJP sums ``g`` back over the columns, ``g 1``. A 0-D
Variable (or a Python number) times anything is a scaling. Every other
mismatch of shapes raises ``ValueError``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_choice
from .activations import log_softmax as _log_softmax
from .activations import relu_prime as _relu_prime
from .activations import sigmoid as _sigmoid
from .network import LOSSES, architecture


class Variable:
    """A node of the tape: ``.value`` (float64, shape ``(n, m)`` or 0-D) and ``.grad``."""

    __array_ufunc__ = None  # ndarray + Variable calls Variable.__radd__, not NumPy's loop

    def __init__(self, value, inputs=(), vjp=None, op=""):
        """``Variable(value)`` is an input; an operation also passes its ``inputs`` (Variables),
        its ``vjp`` rule (``g -> one gradient per input``) and its name ``op``."""
        if isinstance(value, Variable):
            raise TypeError("value is already a Variable; pass its .value to copy it")
        value = as_array(value, "value", shape_hint="(n, m), or a single number")
        if value.ndim not in (0, 2):
            raise ValueError(f"value must be a matrix (n, m) (a column is (n, 1)) or a single "
                             f"number; got a {value.ndim}-D array of shape {value.shape}")
        self.value = value.astype(np.float64)
        self.grad = None           # set by backward(), shape of value
        self._inputs = tuple(inputs)   # the Variables this one was computed from
        self._vjp = vjp                # g -> one gradient per input
        self._op = op

    @property
    def shape(self):
        return self.value.shape

    def __repr__(self):
        return f"Variable({self._op or 'input'}, shape={self.shape})"

    # ---- operations: forward value, and the VJP rule beside it -----------------

    def __add__(self, other):
        A, B = self, _lift(other)
        pull = _broadcast_rule(A, B, "+")
        return Variable(A.value + B.value, (A, B), lambda g: (pull[0](g), pull[1](g)), "+")

    def __sub__(self, other):
        A, B = self, _lift(other)
        pull = _broadcast_rule(A, B, "-")
        return Variable(A.value - B.value, (A, B), lambda g: (pull[0](g), -pull[1](g)), "-")

    def __neg__(self):
        return Variable(-self.value, (self,), lambda g: (-g,), "neg")

    def __mul__(self, other):
        A, B = self, _lift(other)
        if A.shape == B.shape:        # Hadamard: d(A ⊙ B) = dA ⊙ B + A ⊙ dB
            return Variable(A.value * B.value, (A, B), lambda g: (g * B.value, g * A.value), "*")
        if A.value.ndim == 0 or B.value.ndim == 0:   # scaling by a number: its gradient is <g, B>
            return Variable(A.value * B.value, (A, B),
                            lambda g: (_fit(g * B.value, A), _fit(g * A.value, B)), "*")
        raise ValueError(f"A * B is the Hadamard product and needs equal shapes; "
                         f"got {A.shape} and {B.shape}")

    def __matmul__(self, other):
        A, B = self, _lift(other)
        if A.value.ndim != 2 or B.value.ndim != 2 or A.shape[1] != B.shape[0]:
            raise ValueError(f"A @ B needs shapes (n, k) and (k, m); "
                             f"got {A.shape} and {B.shape}")
        # d(AB) = dA B + A dB, so <g, d(AB)> = <g B^T, dA> + <A^T g, dB>
        def pull(g):
            return g @ B.value.T, A.value.T @ g
        return Variable(A.value @ B.value, (A, B), pull, "@")

    def __radd__(self, other):
        return _lift(other) + self

    def __rsub__(self, other):
        return _lift(other) - self

    def __rmul__(self, other):
        return _lift(other) * self

    def __rmatmul__(self, other):
        return _lift(other) @ self

    # ---- the backward sweep -----------------------------------------------------

    def backward(self):
        """Gradient of this one-number Variable with respect to every Variable it depends on."""
        if self.value.size != 1:
            raise ValueError(f"backward() needs a Variable holding one number (a cost); this one "
                             f"has shape {self.shape}: reduce it first, e.g. tape.sum(V)")
        order = self._topological_order()
        for v in order:
            v.grad = None                            # replace, never add to, an earlier pass
        self.grad = np.ones_like(self.value)
        for v in reversed(order):                    # from the cost back to the inputs
            if v._vjp is None:
                continue                             # an input: nothing further back
            for inp, g_inp in zip(v._inputs, v._vjp(v.grad)):
                inp.grad = g_inp if inp.grad is None else inp.grad + g_inp

    def _topological_order(self):
        """Every Variable this one depends on, each after its inputs (iterative DFS)."""
        order, seen, stack = [], {id(self)}, [(self, iter(self._inputs))]
        while stack:
            node, inputs = stack[-1]
            for inp in inputs:
                if id(inp) not in seen:
                    seen.add(id(inp))
                    stack.append((inp, iter(inp._inputs)))
                    break
            else:                                    # all inputs listed: list the node
                stack.pop()
                order.append(node)
        return order


def _lift(x):
    """A Variable as it is; an array or a number as a constant Variable (its .grad is unused)."""
    return x if isinstance(x, Variable) else Variable(x)


def _fit(g, V):
    """Sum a gradient back to the shape of V (for a 0-D factor: the inner product)."""
    return np.sum(g) if V.value.ndim == 0 else g


def _broadcast_rule(A, B, op):
    """The VJPs of A and B in A + B: identity, or g 1 for a column broadcast over m columns."""
    keep, sum_back = (lambda g: g), (lambda g: g.sum(axis=1, keepdims=True))
    if A.shape == B.shape:
        return keep, keep
    if A.value.ndim == 2 and B.value.ndim == 2 and A.shape[0] == B.shape[0]:
        if B.shape[1] == 1:
            return keep, sum_back                    # A + b 1^T
        if A.shape[1] == 1:
            return sum_back, keep                    # a 1^T + B
    raise ValueError(f"A {op} B needs equal shapes, or (n, m) with a column (n, 1); "
                     f"got {A.shape} and {B.shape}")


def _matrix(V, name):
    V = _lift(V)
    if V.value.ndim != 2:
        raise ValueError(f"{name} needs a matrix (n, m); got shape {V.shape}")
    return V


def sigmoid(V):
    """Element-wise logistic function; VJP ``g ⊙ s ⊙ (1 - s)``. Shape of ``V``."""
    V = _lift(V)
    s = _sigmoid(V.value)
    return Variable(s, (V,), lambda g: (g * s * (1 - s),), "sigmoid")


def tanh(V):
    """Element-wise hyperbolic tangent; VJP ``g ⊙ (1 - t ⊙ t)``. Shape of ``V``."""
    V = _lift(V)
    t = np.tanh(V.value)
    return Variable(t, (V,), lambda g: (g * (1 - t * t),), "tanh")


def relu(V):
    """Element-wise ``max(V, 0)``; VJP ``g ⊙ [V > 0]``. Shape of ``V``."""
    V = _lift(V)
    return Variable(np.maximum(V.value, 0), (V,), lambda g: (g * _relu_prime(V.value),), "relu")


def identity(V):
    """The identity, for a linear layer; VJP ``g``."""
    return _lift(V)


def log_softmax(V):
    """``ln softmax`` of each column of ``V`` (n, m); VJP ``g - a ⊙ (1^T g)``, ``a`` the softmax."""
    V = _matrix(V, "log_softmax")
    out = _log_softmax(V.value, axis=0)
    a = np.exp(out)
    return Variable(out, (V,), lambda g: (g - a * g.sum(axis=0, keepdims=True),), "log_softmax")


def square(V):
    """Element-wise square; VJP ``2 V ⊙ g``. Shape of ``V``."""
    V = _lift(V)
    return Variable(V.value ** 2, (V,), lambda g: (2 * V.value * g,), "square")


def sum(V):  # noqa: A001 - the book's name for the reduction; tape.sum, never a bare sum
    """The sum of every entry, a 0-D Variable; VJP ``g 1 1^T`` (``g`` copied to every entry)."""
    V = _lift(V)
    return Variable(np.sum(V.value), (V,), lambda g: (np.full(V.shape, g),), "sum")


def mean_columns(V):
    """The mean of the ``m`` columns of ``V`` (n, m), shape ``(n, 1)``; VJP ``g 1^T / m``."""
    V = _matrix(V, "mean_columns")
    m = V.shape[1]
    return Variable(V.value.mean(axis=1, keepdims=True), (V,),
                    lambda g: (np.repeat(g, m, axis=1) / m,), "mean_columns")


def network_cost(params, X, Y, loss="squared_error", hidden="sigmoid"):
    """The cost of ``backprop.network`` built on the tape, for any depth.

    ``params``: a list of ``(W^l, b^l)`` Variables (or arrays), shapes
    ``(n_l, n_{l-1})`` and ``(n_l, 1)``; ``X``: ``(n_0, m)``; ``Y``: ``(n_L, m)``.
    The layers are ``network.architecture(L, loss, hidden)``: ``hidden`` in
    the hidden layers; a sigmoid output with ``loss="squared_error"``,
    ``C = sum(mean_columns((a^L - Y)^2)) / 2``, or a softmax output with
    ``loss="cross_entropy"``, ``C = -sum(mean_columns(Y ⊙ ln softmax(z^L)))``.
    Returns the 0-D Variable ``C``; ``C.backward()`` fills each ``W.grad``, ``b.grad``.
    """
    check_choice(loss, "loss", LOSSES)
    check_choice(hidden, "hidden activation", tuple(ELEMENTWISE))
    a = _lift(X)
    for (W, b), f in zip(params, architecture(len(params), loss, hidden)):
        z = W @ a + b                                # b broadcast over the m columns
        if f != "softmax":                           # the softmax is inside the cost
            a = ELEMENTWISE[f](z)
    if loss == "squared_error":
        return sum(mean_columns(square(a - Y))) * 0.5
    return -sum(mean_columns(Y * log_softmax(z)))


#: The tape's element-wise activations by name, as in ``activations.ACTIVATIONS``.
ELEMENTWISE = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "identity": identity}


__all__ = ["ELEMENTWISE", "Variable", "identity", "log_softmax", "mean_columns", "network_cost", "relu", "sigmoid",
           "square", "sum", "tanh"]
