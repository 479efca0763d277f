"""Numeric keys of the vjp_jvp chapter's self-checks (``quizzes/vjp_jvp.json``)."""

from ... import autodiff

K, N = 3, 100   # a chain of K Jacobians of size N x N, and a cotangent v of length N


def _materialize():
    """Form J_1 J_2 ... J_K ((K - 1) N^3), then one (1, N) @ (N, N) product with v (N^2)."""
    return autodiff.multiply_adds([(N, N)] * K, "left") + N * N


def chain_materialize_over_vjps():
    """Multiply-adds of materializing the chain then multiplying by v, over those of K VJPs."""
    return _materialize() / autodiff.multiply_adds([(1, N)] + [(N, N)] * K, "left")


def chain_materialize_over_one_vjp():
    """The same count divided by a single VJP, N^2, instead of the K the chain needs."""
    return _materialize() / autodiff.multiply_adds([(1, N), (N, N)], "left")


def chain_cubic_over_quadratic():
    """One matrix-matrix product over one matrix-vector product, N^3 / N^2 = N."""
    return autodiff.multiply_adds([(N, N), (N, N)], "left") / autodiff.multiply_adds([(1, N), (N, N)], "left")
