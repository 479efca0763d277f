"""Small cost surfaces and models for the chapters "The gradient vector" and "The Jacobian".

Three examples, each written beside its gradient (or Jacobian):

- the **quadratic bowl** ``C(w) = 1/2 w^T H w`` with a symmetric Hessian
  ``H``: gradient ``H w``; gradient descent on it is ``w <- (I - eta H) w``,
  which converges monotonically for ``eta < 1/lambda_max``, oscillates for
  ``1/lambda_max < eta < 2/lambda_max`` and diverges for ``eta > 2/lambda_max``;
- **one sigmoid neuron** ``a = sigmoid(w x + b)`` fitted to ``m`` points by
  the squared-error cost ``C(w, b) = 1/m sum_k 1/2 (a_k - y_k)^2`` (the cost
  of ``network.cost`` for a network with one layer of one neuron). Its
  parameters are the column ``theta = (w, b)`` of shape ``(2, 1)``; its
  predictions on the ``m`` points are a map ``f: R^2 -> R^m`` with a
  ``(m, 2)`` Jacobian, and the gradient of the cost is the vector-Jacobian
  product ``J_f^T (f(theta) - y) / m``;
- **linear least squares** ``C(W) = 1/(2m) ||W X - Y||_F^2``, a cost of a
  *matrix*, whose gradient ``(W X - Y) X^T / m`` has the shape of ``W``.

The book's convention holds throughout: data are columns (``X`` of shape
``(n_0, m)``), and a gradient has the shape of its variable. For contour and
surface plots, ``quadratic_cost_grid``, ``neuron_cost_grid`` and
``neuron_grad_grid`` evaluate a two-parameter cost on whole arrays of
parameter values at once.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_same_shape, check_shape
from .activations import sigmoid, sigmoid_prime

# --------------------------------------------------------------------------
# The quadratic bowl C(w) = 1/2 w^T H w
# --------------------------------------------------------------------------


def check_hessian(H) -> np.ndarray:
    """Validate a Hessian: a square, symmetric, finite matrix. Returns it as float64 ``(n, n)``."""
    H = as_array(H, "H", ndim=2, shape_hint="(n, n)")
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be square, shape (n, n); got shape {H.shape}")
    H = H.astype(np.float64)
    if not np.allclose(H, H.T, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(H).max()))):
        raise ValueError("H must be symmetric (H == H.T): the Hessian of a smooth cost is; "
                         f"largest asymmetry {float(np.abs(H - H.T).max()):.3g}")
    return H


def _column(w, name, n):
    w = as_array(w, name, ndim=2, shape_hint=f"({n}, 1)")
    check_shape(w, name, (n, 1), "Vectors are columns in this book; use w.reshape(-1, 1).")
    return w.astype(np.float64)


def quadratic_cost(w, H) -> float:
    """The quadratic bowl ``C(w) = 1/2 w^T H w``. Chapter "The gradient vector".

    ``w``: column ``(n, 1)``; ``H``: symmetric ``(n, n)``. Returns a float.
    """
    H = check_hessian(H)
    w = _column(w, "w", H.shape[0])
    return float(0.5 * (w.T @ H @ w)[0, 0])


def quadratic_grad(w, H) -> np.ndarray:
    """Gradient of ``1/2 w^T H w`` for a symmetric ``H``: ``H w``, shape ``(n, 1)`` like ``w``."""
    H = check_hessian(H)
    w = _column(w, "w", H.shape[0])
    return H @ w


def quadratic_cost_grid(w1, w2, H):
    """``1/2 w^T H w`` for a 2x2 ``H`` at every point ``(w1[i], w2[i])`` of two same-shape arrays.

    ``w1``, ``w2``: arrays of one shape ``S`` (e.g. from ``np.meshgrid``);
    ``H``: symmetric ``(2, 2)``. Returns an array of shape ``S``.
    """
    H = check_hessian(H)
    check_shape(H, "H", (2, 2), "quadratic_cost_grid draws two-parameter bowls.")
    w1, w2 = _same_shape(w1, w2, "w1", "w2")
    return 0.5 * (H[0, 0] * w1 * w1 + 2 * H[0, 1] * w1 * w2 + H[1, 1] * w2 * w2)


def learning_rate_thresholds(H) -> tuple[float, float]:
    """The two thresholds of gradient descent on ``1/2 w^T H w``: ``(1/lambda_max, 2/lambda_max)``.

    Along the eigenvector of the largest eigenvalue ``lambda_max`` one step
    multiplies the coordinate by ``1 - eta lambda_max``: for ``eta`` below
    the first threshold the factor is in ``(0, 1)`` (monotone convergence),
    between the two it is in ``(-1, 0)`` (oscillation that dies out), above
    the second it is below ``-1`` (divergence). ``H`` must be symmetric
    positive definite, ``(n, n)``.
    """
    H = check_hessian(H)
    eigenvalues = np.linalg.eigvalsh(H)
    if eigenvalues[0] <= 0:
        raise ValueError("H must be positive definite (a bowl with a unique minimum); "
                         f"its smallest eigenvalue is {eigenvalues[0]:.3g}")
    lam_max = float(eigenvalues[-1])
    return 1.0 / lam_max, 2.0 / lam_max


# --------------------------------------------------------------------------
# One sigmoid neuron a = sigmoid(w x + b), fitted by squared error
# --------------------------------------------------------------------------


def _data(X, Y):
    X = as_array(X, "X", ndim=2, shape_hint="(1, m)").astype(np.float64)
    check_shape(X, "X", (1, None), "One neuron has one input: X holds the m inputs as a row.")
    Y = as_array(Y, "Y", ndim=2, shape_hint="(1, m)").astype(np.float64)
    check_shape(Y, "Y", X.shape, "Y holds one target per column of X.")
    return X, Y


def _theta(theta):
    theta = as_array(theta, "theta", ndim=2, shape_hint="(2, 1)")
    check_shape(theta, "theta", (2, 1), "theta is the column (w, b).")
    return theta.astype(np.float64)


def _same_shape(u, v, u_name, v_name):
    u = np.asarray(as_array(u, u_name), dtype=np.float64)
    v = np.asarray(as_array(v, v_name), dtype=np.float64)
    check_same_shape(u, v, u_name, v_name)
    return u, v


def neuron_cost_grid(w, b, X, Y):
    """Cost ``1/m sum_k 1/2 (sigmoid(w x_k + b) - y_k)^2`` at every ``(w[i], b[i])``.

    ``w``, ``b``: arrays (or floats) of one shape ``S``; ``X``, ``Y``: rows
    ``(1, m)`` of inputs and targets. Returns an array of shape ``S``.
    """
    w, b = _same_shape(w, b, "w", "b")
    X, Y = _data(X, Y)
    z = w[..., None] * X[0] + b[..., None]          # (*S, m)
    r = sigmoid(z) - Y[0]                            # residuals a_k - y_k
    return 0.5 * np.mean(r * r, axis=-1)


def neuron_grad_grid(w, b, X, Y):
    """``(dC/dw, dC/db)`` of ``neuron_cost_grid`` at every ``(w[i], b[i])``, each of shape ``S``.

    ``dC/dw = 1/m sum_k (a_k - y_k) sigmoid'(z_k) x_k`` and
    ``dC/db = 1/m sum_k (a_k - y_k) sigmoid'(z_k)``, with ``z_k = w x_k + b``.
    """
    w, b = _same_shape(w, b, "w", "b")
    X, Y = _data(X, Y)
    z = w[..., None] * X[0] + b[..., None]          # (*S, m)
    delta = (sigmoid(z) - Y[0]) * sigmoid_prime(z)   # dC/dz_k times m, (*S, m)
    return np.mean(delta * X[0], axis=-1), np.mean(delta, axis=-1)


def neuron_outputs(theta, X):
    """Predictions of the neuron on the ``m`` inputs, as a column: ``f(theta)``, shape ``(m, 1)``.

    ``theta``: column ``(w, b)`` of shape ``(2, 1)``; ``X``: row ``(1, m)``.
    This is the map ``f: R^2 -> R^m`` of the chapter "The Jacobian",
    ``f(theta) = sigmoid(A theta)`` with ``A = [x, 1]`` of shape ``(m, 2)``.
    """
    theta = _theta(theta)
    X = as_array(X, "X", ndim=2, shape_hint="(1, m)").astype(np.float64)
    check_shape(X, "X", (1, None), "One neuron has one input: X holds the m inputs as a row.")
    A = np.hstack([X.T, np.ones_like(X.T)])          # (m, 2): row k is (x_k, 1)
    return sigmoid(A @ theta)                        # (m, 1)


def neuron_jacobian(theta, X):
    """Jacobian of ``neuron_outputs`` with respect to ``theta``: ``diag(sigmoid'(z)) A``, ``(m, 2)``.

    Row ``k`` is ``sigmoid'(z_k) (x_k, 1)``: how prediction ``k`` moves when
    ``w`` (column 1) or ``b`` (column 2) moves. Numerator layout, shape
    (outputs, inputs).
    """
    theta = _theta(theta)
    X = as_array(X, "X", ndim=2, shape_hint="(1, m)").astype(np.float64)
    check_shape(X, "X", (1, None), "One neuron has one input: X holds the m inputs as a row.")
    A = np.hstack([X.T, np.ones_like(X.T)])          # (m, 2), the Jacobian of z = A theta
    return sigmoid_prime(A @ theta) * A              # diag(s') A, as a row scaling: (m, 2)


def neuron_cost(theta, X, Y) -> float:
    """The neuron's cost at ``theta = (w, b)`` (column ``(2, 1)``), a float. See ``neuron_cost_grid``."""
    theta = _theta(theta)
    return float(neuron_cost_grid(theta[0, 0], theta[1, 0], X, Y))


def neuron_grad(theta, X, Y):
    """Gradient of ``neuron_cost`` with respect to ``theta``: column ``(2, 1)``, like ``theta``.

    Equal to the vector-Jacobian product ``J_f^T (f(theta) - y) / m`` with
    ``J_f = neuron_jacobian(theta, X)`` (chapter "The Jacobian").
    """
    theta = _theta(theta)
    grad_w, grad_b = neuron_grad_grid(theta[0, 0], theta[1, 0], X, Y)
    return np.array([[float(grad_w)], [float(grad_b)]])


# --------------------------------------------------------------------------
# Linear least squares: a cost of a matrix
# --------------------------------------------------------------------------


def _linear(W, X, Y):
    W = as_array(W, "W", ndim=2, shape_hint="(n_1, n_0)").astype(np.float64)
    X = as_array(X, "X", ndim=2, shape_hint="(n_0, m)").astype(np.float64)
    check_shape(X, "X", (W.shape[1], None),
                f"W has shape {W.shape}, so X needs {W.shape[1]} rows (one per input).")
    Y = as_array(Y, "Y", ndim=2, shape_hint="(n_1, m)").astype(np.float64)
    check_shape(Y, "Y", (W.shape[0], X.shape[1]),
                "Y holds one target column of length n_1 per column of X.")
    return W, X, Y


def linear_cost(W, X, Y) -> float:
    """Least-squares cost of a linear layer, ``1/(2m) ||W X - Y||_F^2``, a float.

    ``W``: ``(n_1, n_0)``; ``X``: ``(n_0, m)``; ``Y``: ``(n_1, m)``. The mean
    over the ``m`` columns of the loss ``1/2 ||W x - y||^2``.
    """
    W, X, Y = _linear(W, X, Y)
    R = W @ X - Y                                    # (n_1, m) residuals
    return float(0.5 * np.sum(R * R) / X.shape[1])


def linear_grad(W, X, Y):
    """Gradient of ``linear_cost`` with respect to ``W``: ``(W X - Y) X^T / m``, shape ``(n_1, n_0)``."""
    W, X, Y = _linear(W, X, Y)
    return (W @ X - Y) @ X.T / X.shape[1]            # (n_1, m) @ (m, n_0) -> (n_1, n_0)
