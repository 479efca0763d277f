"""Forward mode (JVP) and reverse mode (VJP) rules, without materializing any Jacobian.

Chapter "VJP and JVP". For a map ``f: R^n -> R^p`` with Jacobian ``J``
(numerator layout, shape ``(p, n)``):

- a **Jacobian-vector product** (JVP, forward mode) pushes a *tangent*
  ``u`` of shape ``(n,)`` forward: ``J u``, shape ``(p,)``. It answers
  "if the input moves by ``u``, how does the output move?"
- a **vector-Jacobian product** (VJP, reverse mode) pulls a *cotangent*
  ``v`` of shape ``(p,)`` back: ``v^T J``, a row of length ``n``. It answers
  "if the scalar cost has gradient ``v`` with respect to the output, what is
  its gradient with respect to the input?"

Following the book's convention that a gradient has the shape of its
variable, every ``*_vjp`` returns ``J^T v`` as a column (the transpose of
the row ``v^T J``), with the shape of the input. All rules accept ``k``
vectors at once as the columns of a ``(n, k)`` or ``(p, k)`` array.

The two sets of rules, side by side::

    map                 JVP (tangent u -> J u)        VJP (cotangent v -> J^T v)
    z = W a + b         W @ u                         W.T @ v
      w.r.t. W          dW @ a                        v @ a.T
      w.r.t. b          db                            v (summed over columns)
    a = f(z) elementw.  f'(z) * u                     f'(z) * v
    a = softmax(z)      a * (u - sum(a * u))          a * (v - sum(a * v))

Around the rules: ``hadamard``, the element-wise product that refuses to
broadcast (chapter "The Hadamard product"); ``chain_jacobian``,
``chain_vjp`` and ``chain_jvp`` for chains of explicit Jacobians;
``multiply_adds``, the exact count of multiply-adds of a product evaluated in a
given order; and ``jacobian_by_jvp`` / ``jacobian_by_vjp``, which build a
full Jacobian from ``n`` JVPs or from ``p`` VJPs.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_chain, check_choice, check_int, check_same_shape
from .activations import get_activation, softmax


def _as_matrix(x, name):
    arr = as_array(x, name, shape_hint="(n,) or (n, k)")
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} must have shape (n,) or (n, k); got shape {arr.shape}")
    return arr


def _rows_match(x, name, n, what):
    if x.shape[0] != n:
        raise ValueError(f"{name} must have {n} rows to match {what}; got shape {x.shape}")


# --------------------------------------------------------------------------
# Affine map z = W a + b
# --------------------------------------------------------------------------

def affine_jvp(W, u):
    """Forward mode through ``z = W a + b`` with respect to ``a``: ``W u``.

    ``W``: ``(n_out, n_in)``; ``u``: ``(n_in,)`` or ``(n_in, k)``; result ``(n_out, ...)``.
    """
    W = as_array(W, "W", ndim=2, shape_hint="(n_out, n_in)")
    u = _as_matrix(u, "u")
    _rows_match(u, "u", W.shape[1], f"W of shape {W.shape}")
    return W @ u


def affine_vjp(W, v):
    """Reverse mode through ``z = W a + b`` with respect to ``a``: ``W^T v``.

    ``W``: ``(n_out, n_in)``; ``v``: ``(n_out,)`` or ``(n_out, k)``; result ``(n_in, ...)``.
    """
    W = as_array(W, "W", ndim=2, shape_hint="(n_out, n_in)")
    v = _as_matrix(v, "v")
    _rows_match(v, "v", W.shape[0], f"W of shape {W.shape}")
    return W.T @ v


def affine_vjp_params(a, v):
    """Reverse mode through ``z = W a + b`` with respect to ``W`` and ``b``.

    ``a``: ``(n_in, m)`` (the layer's input, one column per example);
    ``v``: ``(n_out, m)`` (the cotangent of ``z``, i.e. ``delta``).
    Returns ``(v a^T, v 1)``: shapes ``(n_out, n_in)`` and ``(n_out, 1)``,
    the shapes of ``W`` and ``b``. The sums over ``m`` add the examples' contributions.
    """
    a = as_array(a, "a", ndim=2, shape_hint="(n_in, m)")
    v = as_array(v, "v", ndim=2, shape_hint="(n_out, m)")
    if a.shape[1] != v.shape[1]:
        raise ValueError(f"a and v must have the same number of columns m; got {a.shape} and {v.shape}")
    return v @ a.T, v.sum(axis=1, keepdims=True)


def affine_jvp_params(a, dW, db):
    """Forward mode through ``z = W a + b`` with respect to ``(W, b)``: ``dW a + db``.

    ``a``: ``(n_in, m)``; ``dW``: ``(n_out, n_in)``; ``db``: ``(n_out, 1)``; result ``(n_out, m)``.
    """
    a = as_array(a, "a", ndim=2, shape_hint="(n_in, m)")
    dW = as_array(dW, "dW", ndim=2, shape_hint="(n_out, n_in)")
    db = as_array(db, "db", ndim=2, shape_hint="(n_out, 1)")
    _rows_match(a, "a", dW.shape[1], f"dW of shape {dW.shape}")
    return dW @ a + db


# --------------------------------------------------------------------------
# Element-wise activation a = f(z)
# --------------------------------------------------------------------------

def elementwise_jvp(z, u, activation="sigmoid"):
    """Forward mode through ``a = f(z)``: ``f'(z) * u`` (a Hadamard product). Shape of ``u``.

    The Jacobian is ``diag(f'(z))``; multiplying by a diagonal matrix is the
    same as multiplying element-wise by its diagonal, in ``O(n)`` instead of ``O(n^2)``.
    """
    _, f_prime = get_activation(activation)
    z = _as_matrix(z, "z")
    u = _as_matrix(u, "u")
    _rows_match(u, "u", z.shape[0], f"z of shape {z.shape}")
    return f_prime(z) * u


def elementwise_vjp(z, v, activation="sigmoid"):
    """Reverse mode through ``a = f(z)``: ``f'(z) * v``. Shape of ``v``.

    ``diag(f'(z))`` is symmetric, so the VJP rule equals the JVP rule.
    """
    _, f_prime = get_activation(activation)
    z = _as_matrix(z, "z")
    v = _as_matrix(v, "v")
    _rows_match(v, "v", z.shape[0], f"z of shape {z.shape}")
    return f_prime(z) * v


# --------------------------------------------------------------------------
# Softmax a = softmax(z), one column per example
# --------------------------------------------------------------------------

def _softmax_times(z, x, name):
    """``(diag(a) - a a^T) x = a * (x - a^T x)``, column by column, with ``a = softmax(z)``."""
    z = _as_matrix(z, "z")
    x = _as_matrix(x, name)
    _rows_match(x, name, z.shape[0], f"z of shape {z.shape}")
    a = softmax(z, axis=0)
    return a * (x - np.sum(a * x, axis=0, keepdims=True))


def softmax_jvp(z, u):
    """Forward mode through softmax: ``(diag(a) - a a^T) u = a * (u - a^T u)``. Shape of ``u``.

    ``z``: logits, ``(n,)`` or ``(n, k)`` (one column per example); ``u``: tangent, same shape.
    """
    return _softmax_times(z, u, "u")


def softmax_vjp(z, v):
    """Reverse mode through softmax: ``(diag(a) - a a^T)^T v = a * (v - a^T v)``. Shape of ``v``.

    The softmax Jacobian is symmetric, so this is the JVP formula again.
    ``O(n)`` per column instead of the ``O(n^2)`` of forming the matrix.
    """
    return _softmax_times(z, v, "v")


# --------------------------------------------------------------------------
# Chains of explicit Jacobians: the cost argument
# --------------------------------------------------------------------------

def _check_chain(jacobians):
    if len(jacobians) == 0:
        raise ValueError("jacobians is empty: expected a list [J_1, ..., J_K] of 2-D arrays")
    Js = [as_array(J, f"jacobians[{k}]", ndim=2) for k, J in enumerate(jacobians)]
    check_chain([J.shape for J in Js], [f"jacobians[{k}]" for k in range(len(Js))], "jacobians")
    return Js


def chain_jacobian(jacobians):
    """Materialize ``J_1 J_2 ... J_K`` (the Jacobian of ``f_1 o f_2 o ... o f_K``).

    For ``N x N`` factors this costs ``(K - 1) N^3`` multiply-adds.
    """
    Js = _check_chain(jacobians)
    out = Js[0]
    for J in Js[1:]:
        out = out @ J
    return out


def chain_vjp(jacobians, v):
    """``v^T J_1 J_2 ... J_K`` evaluated left to right, as a column ``(J_1 ... J_K)^T v``.

    Each step is a vector times a matrix, ``N^2`` multiply-adds for ``N x N``
    factors, so the chain costs ``K N^2``: this is reverse mode.
    """
    Js = _check_chain(jacobians)
    v = _as_matrix(v, "v")
    _rows_match(v, "v", Js[0].shape[0], f"jacobians[0] of shape {Js[0].shape}")
    for J in Js:
        v = J.T @ v
    return v


def chain_jvp(jacobians, u):
    """``J_1 J_2 ... J_K u`` evaluated right to left: forward mode, ``K N^2`` for ``N x N`` factors."""
    Js = _check_chain(jacobians)
    u = _as_matrix(u, "u")
    _rows_match(u, "u", Js[-1].shape[1], f"jacobians[-1] of shape {Js[-1].shape}")
    for J in reversed(Js):
        u = J @ u
    return u


def multiply_adds(shapes, order="left"):
    """Exact number of multiply-adds to evaluate a product of matrices in a given order.

    ``shapes``: a list of ``(rows, cols)`` pairs, one per factor, that chain
    (``shapes[k][1] == shapes[k + 1][0]``); a vector is a factor with one row
    ``(1, N)`` or one column ``(N, 1)``. ``order``: ``"left"`` evaluates
    ``((A_1 A_2) A_3) ...`` (reverse mode, when ``A_1`` is the row ``v^T``),
    ``"right"`` evaluates ``A_1 (A_2 (A_3 ...))`` (forward mode, when the last
    factor is the column ``u``). A product of an ``(a, b)`` and a ``(b, c)``
    matrix costs ``a b c`` multiply-adds: ``a c`` entries, each a sum of ``b``
    products. Returns a Python ``int`` (exact, never overflows).
    """
    check_choice(order, "order", ("left", "right"))
    if isinstance(shapes, np.ndarray):
        shapes = shapes.tolist()
    if len(shapes) == 0:
        raise ValueError("shapes is empty: expected a list of (rows, cols) pairs")
    dims = []
    for k, shape in enumerate(shapes):
        if len(shape) != 2:
            raise ValueError(f"shapes[{k}] must be a pair of positive integers (rows, cols); got {shape!r}")
        dims.append(tuple(check_int(d, f"shapes[{k}] = {tuple(shape)!r}: each of rows and cols")
                          for d in shape))
    check_chain(dims, [f"shapes[{k}]" for k in range(len(dims))], "shapes")
    if order == "right":
        dims = [(c, r) for r, c in reversed(dims)]  # A_1 (A_2 A_3) costs what (A_3^T A_2^T) A_1^T costs
    total = 0
    rows, inner = dims[0]
    for _, cols in dims[1:]:
        total += rows * inner * cols
        inner = cols
    return total


def jacobian_by_jvp(jvp, n):
    """The full Jacobian of ``f: R^n -> R^p`` from ``n`` JVPs: column ``j`` is ``J e_j``.

    ``jvp(U)`` must map tangents ``U`` of shape ``(n, k)`` to ``J U`` of shape
    ``(p, k)`` (every rule of this module does). It is called once, with the
    ``n`` basis vectors as the columns of ``U = I_n``: ``n`` JVPs in one array.
    Returns ``J``, shape ``(p, n)``. Forward mode is the cheap way when ``n`` is small.
    """
    n = check_int(n, "n")
    J = np.asarray(jvp(np.eye(n)))
    if J.ndim != 2 or J.shape[1] != n:
        raise ValueError(f"jvp(U) with U of shape ({n}, {n}) must return shape (p, {n}); "
                         f"got shape {J.shape}")
    return J


def jacobian_by_vjp(vjp, p):
    """The full Jacobian of ``f: R^n -> R^p`` from ``p`` VJPs: row ``i`` is ``(J^T e_i)^T``.

    ``vjp(V)`` must map cotangents ``V`` of shape ``(p, k)`` to ``J^T V`` of
    shape ``(n, k)``, the book's column convention. It is called once, with
    ``V = I_p``: ``p`` VJPs in one array, which give ``J^T``. Returns ``J``,
    shape ``(p, n)``. Reverse mode is the cheap way when ``p`` is small.
    """
    p = check_int(p, "p")
    Jt = np.asarray(vjp(np.eye(p)))
    if Jt.ndim != 2 or Jt.shape[1] != p:
        raise ValueError(f"vjp(V) with V of shape ({p}, {p}) must return shape (n, {p}); "
                         f"got shape {Jt.shape}")
    return Jt.T


# --------------------------------------------------------------------------
# The Hadamard product, without broadcasting
# --------------------------------------------------------------------------

def hadamard(u, v):
    """The Hadamard product ``u ⊙ v``: entry-by-entry products of two arrays of the same shape.

    Chapter "The Hadamard product". ``u`` and ``v`` must have exactly the same
    shape, e.g. ``(n, 1)`` and ``(n, 1)``; the result has that shape. NumPy's
    ``u * v`` would broadcast instead (a ``(n,)`` vector times a ``(n, 1)``
    column gives an ``(n, n)`` matrix, without a warning); this function
    raises a ``ValueError`` that names both shapes.
    """
    u = as_array(u, "u")
    v = as_array(v, "v")
    check_same_shape(u, v, "u", "v", "the Hadamard product: ")
    return u * v
