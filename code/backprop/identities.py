"""The reference table of matrix-calculus identities, each stored once as a pair of functions.

Chapter "Matrix calculus with differentials". A row of the table says that
the gradient of a scalar function ``f`` with respect to one matrix ``X`` is
``G``: ``grad_X f = G``, ``G`` of the shape of ``X``. It is stored as two
Python functions ``f(o, **M)`` and ``G(o, **M)`` of named matrices ``M``,
written with a handful of operations ``o`` (``@`` and ``.T`` are the
backends' own). The same two functions are evaluated by three backends:

- ``SYMPY``: entries are symbols; ``sympy_residual`` differentiates ``f``
  entry by entry and subtracts ``G`` (exact); ``matrix_residual`` does it for
  symbolic sizes with ``MatrixSymbol`` where SymPy's matrix calculus can;
- ``NUMPY``: ``central_differences`` against ``G`` in float64;
- PyTorch, in ``tests/test_identities.py``, whose backend is built the same way.

``RULES`` holds the algebraic identities the gradients are derived with
(the Frobenius pairing, the cyclic trace, the Hadamard and product
adjoints, vec and Kronecker), each as ``lhs(o, **M)`` and ``rhs(o, **M)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from .activations import sigmoid as _sigmoid
from .gradcheck import numerical_gradient


class NumpyOps:
    """The operations of the table on float64 NumPy arrays."""
    tr = staticmethod(np.trace)
    had = staticmethod(np.multiply)
    total = staticmethod(np.sum)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sigmoid = staticmethod(_sigmoid)
    inv = staticmethod(np.linalg.inv)
    det = staticmethod(np.linalg.det)
    kron = staticmethod(np.kron)
    ones = staticmethod(lambda n, m: np.ones((n, m)))
    vec = staticmethod(lambda X: X.T.reshape(-1, 1))        # stack the columns
    vec_rows = staticmethod(lambda X: X.reshape(-1, 1))     # stack the rows (NumPy's order)


class SympyOps:
    """The same operations on SymPy matrices of symbols."""
    tr = staticmethod(lambda A: A.trace())
    had = staticmethod(lambda A, B: A.multiply_elementwise(B))
    total = staticmethod(lambda A: sp.Add(*A))
    exp = staticmethod(lambda A: A.applyfunc(sp.exp))
    log = staticmethod(lambda A: A.applyfunc(sp.log) if isinstance(A, sp.MatrixBase) else sp.log(A))
    sigmoid = staticmethod(lambda A: A.applyfunc(lambda t: 1 / (1 + sp.exp(-t))))
    inv = staticmethod(lambda A: A.inv())
    det = staticmethod(lambda A: A.det())
    kron = staticmethod(sp.kronecker_product)
    ones = staticmethod(sp.ones)
    vec = staticmethod(lambda X: X.T.reshape(X.rows * X.cols, 1))
    vec_rows = staticmethod(lambda X: X.reshape(X.rows * X.cols, 1))


NUMPY, SYMPY = NumpyOps(), SympyOps()


def inner(o, A, B):
    """The Frobenius pairing <A, B> = tr(A^T B) = sum of A ⊙ B, in backend ``o``."""
    return o.total(o.had(A, B))


def log_softmax(o, Z):
    """ln softmax of each column of Z, from exp and log only (so every backend has it)."""
    n = Z.shape[0]
    return Z - o.ones(n, 1) @ o.log(o.ones(1, n) @ o.exp(Z))


def _layer(o, W, A, b):
    """Z = W A + b 1^T and sigma'(Z) = s ⊙ (1 - s), for the layer identities."""
    Z = W @ A + b @ o.ones(1, A.shape[1])
    s = o.sigmoid(Z)
    return s, o.had(s, o.ones(*s.shape) - s)


@dataclass(frozen=True)
class Identity:
    """One row: ``grad_{wrt} f = G``; ``shapes`` are the small sizes the checks use.

    ``invertible`` names the matrices ``sample`` keeps well conditioned (see
    there): those inverted, and the factors of a product that is.

    ``f_tex`` and ``G_tex`` are the LaTeX of ``f`` and ``G`` that the chapter's
    reference table shows (``markdown_table``), and ``remark`` the Markdown
    written after ``f`` there, e.g. ``" (broadcast)"``.
    """
    name: str
    f_tex: str
    G_tex: str
    wrt: str
    shapes: dict
    f: Callable
    G: Callable
    matrix_symbol: Callable | None = None   # () -> (SymPy's derivative, the expected one)
    invertible: tuple = field(default=())
    remark: str = ""


def _ms(name, rows, cols):
    return sp.MatrixSymbol(name, rows, cols)


_n, _m, _k = sp.symbols("n m k", integer=True, positive=True)


def _sym(f, wrt, expected):
    return lambda: (f().diff(wrt()), expected())


TABLE = [
    Identity("linear", r"\operatorname{tr}(A^\top X) = \langle A, X\rangle", "A", "X",
             {"A": (2, 3), "X": (2, 3)},
             lambda o, A, X: o.tr(A.T @ X), lambda o, A, X: A,
             _sym(lambda: sp.Trace(_ms("A", _n, _m).T * _ms("X", _n, _m)),
                  lambda: _ms("X", _n, _m), lambda: _ms("A", _n, _m))),
    Identity("trace of a product", r"\operatorname{tr}(A X)", r"A^\top", "X",
             {"A": (3, 2), "X": (2, 3)},
             lambda o, A, X: o.tr(A @ X), lambda o, A, X: A.T,
             _sym(lambda: sp.Trace(_ms("A", _m, _n) * _ms("X", _n, _m)),
                  lambda: _ms("X", _n, _m), lambda: _ms("A", _m, _n).T)),
    Identity("bilinear", r"a^\top X b", r"a\,b^\top", "X",
             {"a": (2, 1), "X": (2, 3), "b": (3, 1)},
             lambda o, a, X, b: o.total(a.T @ X @ b), lambda o, a, X, b: a @ b.T,
             _sym(lambda: sp.Trace(_ms("a", _n, 1).T * _ms("X", _n, _m) * _ms("b", _m, 1)),
                  lambda: _ms("X", _n, _m), lambda: _ms("a", _n, 1) * _ms("b", _m, 1).T)),
    Identity("quadratic form", r"x^\top S x", r"(S + S^\top)\,x", "x",
             {"x": (3, 1), "S": (3, 3)},
             lambda o, x, S: o.total(x.T @ S @ x), lambda o, x, S: (S + S.T) @ x,
             _sym(lambda: sp.Trace(_ms("x", _n, 1).T * _ms("S", _n, _n) * _ms("x", _n, 1)),
                  lambda: _ms("x", _n, 1), lambda: (_ms("S", _n, _n) + _ms("S", _n, _n).T) * _ms("x", _n, 1))),
    Identity("Frobenius norm", r"\lVert X\rVert_F^2 = \langle X, X\rangle", "2X", "X",
             {"X": (2, 3)},
             lambda o, X: inner(o, X, X), lambda o, X: 2 * X,
             _sym(lambda: sp.Trace(_ms("X", _n, _m).T * _ms("X", _n, _m)),
                  lambda: _ms("X", _n, _m), lambda: 2 * _ms("X", _n, _m))),
    Identity("trace quadratic", r"\operatorname{tr}(X^\top S X)", r"(S + S^\top)\,X", "X",
             {"S": (3, 3), "X": (3, 2)},
             lambda o, S, X: o.tr(X.T @ S @ X), lambda o, S, X: (S + S.T) @ X,
             _sym(lambda: sp.Trace(_ms("X", _n, _m).T * _ms("S", _n, _n) * _ms("X", _n, _m)),
                  lambda: _ms("X", _n, _m), lambda: (_ms("S", _n, _n) + _ms("S", _n, _n).T) * _ms("X", _n, _m))),
    Identity("trace quadratic, general", r"\operatorname{tr}(A X B X^\top Q)", r"A^\top Q^\top X B^\top + Q A X B", "X",
             {"A": (4, 3), "X": (3, 2), "B": (2, 2), "Q": (3, 4)},
             lambda o, A, X, B, Q: o.tr(A @ X @ B @ X.T @ Q),
             lambda o, A, X, B, Q: A.T @ Q.T @ X @ B.T + Q @ A @ X @ B,
             _sym(lambda: sp.Trace(_ms("A", _k, _n) * _ms("X", _n, _m) * _ms("B", _m, _m)
                                   * _ms("X", _n, _m).T * _ms("Q", _n, _k)),
                  lambda: _ms("X", _n, _m),
                  lambda: (_ms("A", _k, _n).T * _ms("Q", _n, _k).T * _ms("X", _n, _m) * _ms("B", _m, _m).T
                           + _ms("Q", _n, _k) * _ms("A", _k, _n) * _ms("X", _n, _m) * _ms("B", _m, _m)))),
    Identity("bilinear, X^T X", r"b^\top X^\top X c", r"X\,(b\,c^\top + c\,b^\top)", "X",
             {"b": (2, 1), "X": (3, 2), "c": (2, 1)},
             lambda o, b, X, c: o.total(b.T @ X.T @ X @ c), lambda o, b, X, c: X @ (b @ c.T + c @ b.T),
             _sym(lambda: sp.Trace(_ms("b", _m, 1).T * _ms("X", _n, _m).T * _ms("X", _n, _m) * _ms("c", _m, 1)),
                  lambda: _ms("X", _n, _m),
                  lambda: _ms("X", _n, _m) * (_ms("b", _m, 1) * _ms("c", _m, 1).T
                                              + _ms("c", _m, 1) * _ms("b", _m, 1).T))),
    Identity("bilinear, X^T S X", r"b^\top X^\top S X c", r"S^\top X\,b\,c^\top + S X\,c\,b^\top", "X",
             {"b": (2, 1), "X": (3, 2), "S": (3, 3), "c": (2, 1)},
             lambda o, b, X, S, c: o.total(b.T @ X.T @ S @ X @ c),
             lambda o, b, X, S, c: S.T @ X @ b @ c.T + S @ X @ c @ b.T,
             _sym(lambda: sp.Trace(_ms("b", _m, 1).T * _ms("X", _n, _m).T * _ms("S", _n, _n)
                                   * _ms("X", _n, _m) * _ms("c", _m, 1)),
                  lambda: _ms("X", _n, _m),
                  lambda: (_ms("S", _n, _n).T * _ms("X", _n, _m) * _ms("b", _m, 1) * _ms("c", _m, 1).T
                           + _ms("S", _n, _n) * _ms("X", _n, _m) * _ms("c", _m, 1) * _ms("b", _m, 1).T))),
    Identity("quadratic of X b + c", r"(X b + c)^\top S\,(X b + c)", r"(S + S^\top)(X b + c)\,b^\top", "X",
             {"X": (3, 2), "b": (2, 1), "c": (3, 1), "S": (3, 3)},
             lambda o, X, b, c, S: o.total((X @ b + c).T @ S @ (X @ b + c)),
             lambda o, X, b, c, S: (S + S.T) @ (X @ b + c) @ b.T,
             _sym(lambda: sp.Trace((_ms("X", _n, _m) * _ms("b", _m, 1) + _ms("c", _n, 1)).T * _ms("S", _n, _n)
                                   * (_ms("X", _n, _m) * _ms("b", _m, 1) + _ms("c", _n, 1))),
                  lambda: _ms("X", _n, _m),
                  lambda: ((_ms("S", _n, _n) + _ms("S", _n, _n).T)
                           * (_ms("X", _n, _m) * _ms("b", _m, 1) + _ms("c", _n, 1)) * _ms("b", _m, 1).T))),
    Identity("product, left factor", r"\langle V, X B\rangle", r"V B^\top", "X",
             {"V": (2, 4), "X": (2, 3), "B": (3, 4)},
             lambda o, V, X, B: inner(o, V, X @ B), lambda o, V, X, B: V @ B.T,
             _sym(lambda: sp.Trace(_ms("V", _n, _k).T * _ms("X", _n, _m) * _ms("B", _m, _k)),
                  lambda: _ms("X", _n, _m), lambda: _ms("V", _n, _k) * _ms("B", _m, _k).T)),
    Identity("product, right factor", r"\langle V, A X\rangle", r"A^\top V", "X",
             {"V": (2, 4), "A": (2, 3), "X": (3, 4)},
             lambda o, V, A, X: inner(o, V, A @ X), lambda o, V, A, X: A.T @ V,
             _sym(lambda: sp.Trace(_ms("V", _n, _k).T * _ms("A", _n, _m) * _ms("X", _m, _k)),
                  lambda: _ms("X", _m, _k), lambda: _ms("A", _n, _m).T * _ms("V", _n, _k))),
    Identity("transpose", r"\langle V, X^\top\rangle", r"V^\top", "X",
             {"V": (3, 2), "X": (2, 3)},
             lambda o, V, X: inner(o, V, X.T), lambda o, V, X: V.T,
             _sym(lambda: sp.Trace(_ms("V", _m, _n).T * _ms("X", _n, _m).T),
                  lambda: _ms("X", _n, _m), lambda: _ms("V", _m, _n).T)),
    Identity("Hadamard factor", r"\langle V, X \odot B\rangle", r"V \odot B", "X",
             {"V": (2, 3), "X": (2, 3), "B": (2, 3)},
             lambda o, V, X, B: inner(o, V, o.had(X, B)), lambda o, V, X, B: o.had(V, B),
             _sym(lambda: sp.Trace(_ms("V", _n, _m).T * sp.HadamardProduct(_ms("X", _n, _m), _ms("B", _n, _m))),
                  lambda: _ms("X", _n, _m), lambda: sp.HadamardProduct(_ms("V", _n, _m), _ms("B", _n, _m)))),
    Identity("element-wise map", r"\langle V, \sigma(X)\rangle", r"V \odot \sigma'(X)", "X",
             {"V": (2, 3), "X": (2, 3)},
             lambda o, V, X: inner(o, V, o.sigmoid(X)),
             lambda o, V, X: o.had(V, o.had(o.sigmoid(X), o.ones(*X.shape) - o.sigmoid(X)))),
    Identity("broadcast (bias)", r"\langle V, b\,\mathbf{1}^\top\rangle", r"V\mathbf{1}", "b",
             {"V": (3, 4), "b": (3, 1)},
             lambda o, V, b: inner(o, V, b @ o.ones(1, V.shape[1])),
             lambda o, V, b: V @ o.ones(V.shape[1], 1),
             _sym(lambda: sp.Trace(_ms("V", _n, _k).T * _ms("b", _n, 1) * sp.OneMatrix(1, _k)),
                  lambda: _ms("b", _n, 1), lambda: _ms("V", _n, _k) * sp.OneMatrix(_k, 1)),
             remark=" (broadcast)"),
    Identity("sum reduction", r"\langle v, X\mathbf{1}\rangle", r"v\,\mathbf{1}^\top", "X",
             {"v": (3, 1), "X": (3, 4)},
             lambda o, v, X: inner(o, v, X @ o.ones(X.shape[1], 1)),
             lambda o, v, X: v @ o.ones(1, X.shape[1]),
             _sym(lambda: sp.Trace(_ms("v", _n, 1).T * _ms("X", _n, _m) * sp.OneMatrix(_m, 1)),
                  lambda: _ms("X", _n, _m), lambda: _ms("v", _n, 1) * sp.OneMatrix(1, _m)),
             remark=" (sum reduction)"),
    Identity("inverse", r"\operatorname{tr}(Q X^{-1})", r"-(X^{-1} Q X^{-1})^\top", "X",
             {"Q": (2, 2), "X": (2, 2)},
             lambda o, Q, X: o.tr(Q @ o.inv(X)), lambda o, Q, X: -(o.inv(X) @ Q @ o.inv(X)).T,
             _sym(lambda: sp.Trace(_ms("Q", _n, _n) * _ms("X", _n, _n).inverse()),
                  lambda: _ms("X", _n, _n),
                  lambda: -(_ms("X", _n, _n).inverse() * _ms("Q", _n, _n) * _ms("X", _n, _n).inverse()).T),
             invertible=("X",)),
    Identity("inverse, bilinear", r"a^\top X^{-1} b", r"-X^{-\top} a\,b^\top X^{-\top}", "X",
             {"a": (3, 1), "X": (3, 3), "b": (3, 1)},
             lambda o, a, X, b: o.total(a.T @ o.inv(X) @ b),
             lambda o, a, X, b: -o.inv(X).T @ a @ b.T @ o.inv(X).T,
             _sym(lambda: sp.Trace(_ms("a", _n, 1).T * _ms("X", _n, _n).inverse() * _ms("b", _n, 1)),
                  lambda: _ms("X", _n, _n),
                  lambda: -(_ms("X", _n, _n).inverse().T * _ms("a", _n, 1) * _ms("b", _n, 1).T
                            * _ms("X", _n, _n).inverse().T)),
             invertible=("X",)),
    Identity("log-determinant", r"\ln\det X", r"X^{-\top}", "X",
             {"X": (2, 2)},
             lambda o, X: o.log(o.det(X)), lambda o, X: o.inv(X).T, invertible=("X",),
             remark=r", where $\det X > 0$"),
    # SymPy's matrix calculus leaves d det(X)/dX unevaluated: these rows have no MatrixSymbol check.
    Identity("determinant", r"\det X", r"\det(X)\,X^{-\top}", "X",
             {"X": (3, 3)},
             lambda o, X: o.det(X), lambda o, X: o.det(X) * o.inv(X).T, invertible=("X",),
             remark=r", where $X$ is invertible"),
    Identity("determinant of A X B", r"\det(A X B)", r"\det(A X B)\,A^\top (A X B)^{-\top} B^\top", "X",
             {"A": (2, 3), "X": (3, 4), "B": (4, 2)},
             lambda o, A, X, B: o.det(A @ X @ B),
             lambda o, A, X, B: o.det(A @ X @ B) * A.T @ o.inv(A @ X @ B).T @ B.T,
             invertible=("A", "X", "B"), remark=r", where $A X B$ is square and invertible"),
    Identity("least squares", r"\tfrac12\lVert X B - Y\rVert_F^2", r"(X B - Y)\,B^\top", "X",
             {"X": (2, 3), "B": (3, 4), "Y": (2, 4)},
             lambda o, X, B, Y: inner(o, X @ B - Y, X @ B - Y) / 2,
             lambda o, X, B, Y: (X @ B - Y) @ B.T,
             _sym(lambda: sp.Trace((_ms("X", _n, _m) * _ms("B", _m, _k) - _ms("Y", _n, _k)).T
                                   * (_ms("X", _n, _m) * _ms("B", _m, _k) - _ms("Y", _n, _k))) / 2,
                  lambda: _ms("X", _n, _m),
                  lambda: (_ms("X", _n, _m) * _ms("B", _m, _k) - _ms("Y", _n, _k)) * _ms("B", _m, _k).T)),
    Identity("layer, weights", r"\langle V, \sigma(W A + b\mathbf{1}^\top)\rangle",
             r"(V \odot \sigma'(Z))\,A^\top", "W",
             {"V": (2, 3), "W": (2, 2), "A": (2, 3), "b": (2, 1)},
             lambda o, V, W, A, b: inner(o, V, _layer(o, W, A, b)[0]),
             lambda o, V, W, A, b: o.had(V, _layer(o, W, A, b)[1]) @ A.T),
    Identity("layer, bias", r"\langle V, \sigma(W A + b\mathbf{1}^\top)\rangle",
             r"(V \odot \sigma'(Z))\,\mathbf{1}", "b",
             {"V": (2, 3), "W": (2, 2), "A": (2, 3), "b": (2, 1)},
             lambda o, V, W, A, b: inner(o, V, _layer(o, W, A, b)[0]),
             lambda o, V, W, A, b: o.had(V, _layer(o, W, A, b)[1]) @ o.ones(A.shape[1], 1)),
    Identity("layer, input", r"\langle V, \sigma(W A + b\mathbf{1}^\top)\rangle",
             r"W^\top (V \odot \sigma'(Z))", "A",
             {"V": (2, 3), "W": (2, 2), "A": (2, 3), "b": (2, 1)},
             lambda o, V, W, A, b: inner(o, V, _layer(o, W, A, b)[0]),
             lambda o, V, W, A, b: W.T @ o.had(V, _layer(o, W, A, b)[1])),
    Identity("cross-entropy", r"-\langle Y, \ln\operatorname{softmax}(Z)\rangle",
             r"\operatorname{softmax}(Z) \odot (\mathbf{1}\mathbf{1}^\top Y) - Y", "Z",
             {"Y": (3, 2), "Z": (3, 2)},
             lambda o, Y, Z: -inner(o, Y, log_softmax(o, Z)),
             lambda o, Y, Z: o.had(o.exp(log_softmax(o, Z)), o.ones(Y.shape[0], Y.shape[0]) @ Y) - Y),
]

RULES = [
    ("Frobenius pairing", r"\langle A, B\rangle = \operatorname{tr}(A^\top B)", {"A": (2, 3), "B": (2, 3)},
     lambda o, A, B: inner(o, A, B), lambda o, A, B: o.tr(A.T @ B)),
    ("cyclic trace", r"\operatorname{tr}(AB) = \operatorname{tr}(BA)", {"A": (2, 3), "B": (3, 2)},
     lambda o, A, B: o.tr(A @ B), lambda o, A, B: o.tr(B @ A)),
    ("Hadamard adjoint", r"\langle A, B \odot C\rangle = \langle A \odot B, C\rangle",
     {"A": (2, 3), "B": (2, 3), "C": (2, 3)},
     lambda o, A, B, C: inner(o, A, o.had(B, C)), lambda o, A, B, C: inner(o, o.had(A, B), C)),
    ("product adjoint", r"\langle v, U a\rangle = \langle v a^\top, U\rangle",
     {"v": (2, 1), "U": (2, 3), "a": (3, 1)},
     lambda o, v, U, a: inner(o, v, U @ a), lambda o, v, U, a: inner(o, v @ a.T, U)),
    ("broadcast adjoint", r"\langle V, b\mathbf{1}^\top\rangle = \langle V\mathbf{1}, b\rangle",
     {"V": (2, 3), "b": (2, 1)},
     lambda o, V, b: inner(o, V, b @ o.ones(1, 3)), lambda o, V, b: inner(o, V @ o.ones(3, 1), b)),
    ("vec, columns stacked", r"\operatorname{vec}(A X B) = (B^\top \otimes A)\operatorname{vec} X",
     {"A": (2, 3), "X": (3, 2), "B": (2, 2)},
     lambda o, A, X, B: o.vec(A @ X @ B), lambda o, A, X, B: o.kron(B.T, A) @ o.vec(X)),
    ("vec, rows stacked", r"\operatorname{vec}_r(A X B) = (A \otimes B^\top)\operatorname{vec}_r X",
     {"A": (2, 3), "X": (3, 2), "B": (2, 2)},
     lambda o, A, X, B: o.vec_rows(A @ X @ B), lambda o, A, X, B: o.kron(A, B.T) @ o.vec_rows(X)),
]


def symbols(shapes):
    """A SymPy matrix of real symbols ``X_{ij}`` (1-based) for each name and shape."""
    return {name: sp.Matrix(r, c, lambda i, j, name=name: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))
            for name, (r, c) in shapes.items()}


def sample(identity_or_shapes, seed=0):
    """Float64 values for the matrices of a row.

    A matrix named in the row's ``invertible`` is ``2 I + 0.3 noise`` with ``I``
    of its shape (``np.eye(r, c)``): a square one is well conditioned with
    ``det > 0``, a rectangular one has full rank, and a square product of
    such factors, like ``A X B`` with inner sizes at least its outer one, is
    near ``8 I`` and well conditioned.
    """
    shapes = getattr(identity_or_shapes, "shapes", identity_or_shapes)
    invertible = getattr(identity_or_shapes, "invertible", ())
    rng = np.random.default_rng(seed)
    values = {name: rng.standard_normal(s) for name, s in shapes.items()}
    for name in invertible:
        values[name] = 2 * np.eye(*shapes[name]) + 0.3 * values[name]
    return values


def sympy_residual(row):
    """The derivative of ``f`` taken by SymPy entry by entry, minus ``G``; zeros if the row holds."""
    M = symbols(row.shapes)
    f = row.f(SYMPY, **M)
    f = f[0, 0] if isinstance(f, sp.MatrixBase) else f
    X = M[row.wrt]
    derived = X.applyfunc(lambda x: sp.diff(f, x))
    return sp.simplify(derived - row.G(SYMPY, **M))


def matrix_residual(row):
    """SymPy's matrix derivative of ``f`` for symbolic sizes (MatrixSymbol), minus ``G``; or None."""
    if row.matrix_symbol is None:
        return None
    derived, expected = row.matrix_symbol()
    return sp.simplify(sp.expand(derived - expected))


def central_differences(row, values):
    """``G`` at ``values`` and the central-difference gradient of ``f`` w.r.t. ``row.wrt`` (float64)."""
    def f_of(x):
        return row.f(NUMPY, **{**values, row.wrt: x})
    return row.G(NUMPY, **values), numerical_gradient(f_of, values[row.wrt])


def markdown_table(rows=None) -> str:
    """The chapter's reference table, in Markdown: number, ``f``, w.r.t., ``G`` per row of ``TABLE``."""
    lines = [r"| | $f$ | w.r.t. | $\nabla f$ |", "| --- | --- | --- | --- |"]
    for k, row in enumerate(TABLE if rows is None else rows, start=1):
        lines.append(f"| {k} | ${row.f_tex}${row.remark} | ${row.wrt}$ | ${row.G_tex}$ |")
    return "\n".join(lines)


def rule_residual(rule):
    """lhs - rhs of a rule, entry by entry in SymPy, simplified; zeros if it holds."""
    _, _, shapes, lhs, rhs = rule
    M = symbols(shapes)
    return sp.simplify(sp.Matrix([lhs(SYMPY, **M)]) - sp.Matrix([rhs(SYMPY, **M)]))


__all__ = ["NUMPY", "RULES", "SYMPY", "TABLE", "Identity", "central_differences", "inner",
           "log_softmax", "markdown_table", "matrix_residual", "rule_residual", "sample", "sympy_residual", "symbols"]
