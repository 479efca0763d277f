"""The catalogue of wrong answers: backprop.practice.check names each classic mistake.

Every function below is written as a reader writes it in a notebook cell: plain NumPy,
its own helpers, its own parameter names (the checker passes the arguments by position).
None of them calls the package's references or mistakes. For each exercise the test
asserts that the right answer passes (confirmed by central differences), that right
answers computed another way (another order of operations, a loop over the examples,
an explicit ``np.diag``, rounding) pass too, and that each wrong answer gets its own
diagnosis, at the right part, with a message that names the mistake. The last tests
check that the checker never raises at the reader.
"""

import inspect
from typing import NamedTuple

import numpy as np
import pytest

from backprop import practice, tape
from backprop.practice.checker import Report
from backprop.practice.exercises import EXERCISES

# ------------------------------------------------------------------ the reader's own helpers


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def flat(text):
    """The message on one line (the checker wraps it at 76 columns)."""
    return " ".join(text.split())


# ============================================================== right answers, one per exercise


def lin_right(W, X, Y):
    m = X.shape[1]
    return (W @ X - Y) @ X.T / m


def jac_right(W, b, x):
    z = W @ x + b
    return sigmoid_prime(z) * W


def vjp_right(W, b, X, V):
    Z = W @ X + b
    return W.T @ (sigmoid_prime(Z) * V)


def tanh_right(Z, G):
    return (1 - np.tanh(Z) ** 2) * G


def ls_right(A, X, B):
    return A.T @ (A @ X - B)


def neuron_right(w, b, X, Y):
    m = X.shape[1]
    z = w @ X + b
    a = sigmoid(z)
    delta = (a - Y) * sigmoid_prime(z)
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True) / m


def two_right(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    D2 = (A2 - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def softmax_right(Z, T):
    m = Z.shape[1]
    A = softmax(Z)
    return (A * T.sum(axis=0, keepdims=True) - T) / m


def batch_right(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True) / m


def residual_right(W, b, X, G):
    Z = W @ X + b
    return G + W.T @ (sigmoid_prime(Z) * G)


def segment_right(W1, b1, W2, b2, A, G):
    Z1 = W1 @ A + b1
    Z2 = W2 @ sigmoid(Z1) + b2
    return W1.T @ (sigmoid_prime(Z1) * (W2.T @ (sigmoid_prime(Z2) * G)))


def segment_on_the_tape(W1, b1, W2, b2, A, G):
    a = tape.Variable(A)
    out = tape.sigmoid(W2 @ tape.sigmoid(W1 @ a + b1) + b2)
    tape.sum(out * G).backward()
    return a.grad


def gn_right(W, X, Y, V):
    Z = W @ X
    JV = sigmoid_prime(Z) * (V @ X)                  # the JVP, R{A}
    return (sigmoid_prime(Z) * JV) @ X.T / X.shape[1]


def relu_right(W, b, X, G):
    Z = W @ X + b
    return W.T @ ((Z > 0) * G)


RIGHT = {
    "gradient-linear": lin_right,
    "jacobian-layer": jac_right,
    "vjp-layer": vjp_right,
    "hadamard-tanh": tanh_right,
    "differentials-ls": ls_right,
    "one-neuron": neuron_right,
    "two-layer": two_right,
    "softmax-ce": softmax_right,
    "minibatch-layer": batch_right,
    "reverse-residual": residual_right,
    "checkpoint-segment": segment_right,
    "second-order-gn": gn_right,
    "relu-layer-vjp": relu_right,
}


# ============================================================== right answers written another way


def lin_other_order(W, X, Y):
    m = X.shape[1]
    return (W @ (X @ X.T) - Y @ X.T) / m


def lin_rounded(W, X, Y):
    return lin_right(W, X, Y) * (1 + 1e-12)


def lin_loop(W, X, Y):
    m = X.shape[1]
    grad = np.zeros_like(W)
    for k in range(m):
        x, y = X[:, [k]], Y[:, [k]]
        grad += (W @ x - y) @ x.T
    return grad / m


def lin_einsum(W, X, Y):
    R = W @ X - Y
    return np.einsum("ik,jk->ij", R, X) / X.shape[1]


def jac_diag(W, b, x):
    z = W @ x + b
    return np.diag(sigmoid_prime(z)[:, 0]) @ W


def jac_a_one_minus_a(W, b, x):
    a = sigmoid(W @ x + b)
    return (a * (1 - a)) * W


def vjp_einsum(W, b, X, V):
    U = sigmoid_prime(W @ X + b) * V
    return np.einsum("ij,ik->jk", W, U)


def vjp_diag_loop(W, b, X, V):
    out = np.zeros_like(X)
    for k in range(X.shape[1]):
        z = W @ X[:, k] + b[:, 0]
        J = np.diag(sigmoid_prime(z)) @ W          # the layer's Jacobian at example k
        out[:, k] = J.T @ V[:, k]
    return out


def tanh_diag_loop(Z, G):
    out = np.empty_like(Z)
    for k in range(Z.shape[1]):
        out[:, k] = np.diag(1 - np.tanh(Z[:, k]) ** 2) @ G[:, k]
    return out


def tanh_cosh(Z, G):
    return G / np.cosh(Z) ** 2


def ls_expanded(A, X, B):
    return A.T @ A @ X - A.T @ B


def ls_rounded(A, X, B):
    return ls_right(A, X, B) * (1 - 1e-12)


def neuron_loop(w, b, X, Y):
    m = X.shape[1]
    grad_w, grad_b = np.zeros_like(w), np.zeros_like(b)
    for k in range(m):
        x = X[:, [k]]
        z = w @ x + b
        a = sigmoid(z)
        delta = (a - Y[:, [k]]) * a * (1 - a)
        grad_w += delta @ x.T
        grad_b += delta
    return grad_w / m, grad_b / m


def two_diag_loop(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    grads = [[np.zeros_like(W1), np.zeros_like(b1)], [np.zeros_like(W2), np.zeros_like(b2)]]
    for k in range(m):
        x, y = X[:, [k]], Y[:, [k]]
        z1 = W1 @ x + b1
        a1 = sigmoid(z1)
        z2 = W2 @ a1 + b2
        a2 = sigmoid(z2)
        d2 = np.diag(sigmoid_prime(z2)[:, 0]) @ (a2 - y)
        d1 = np.diag(sigmoid_prime(z1)[:, 0]) @ W2.T @ d2
        grads[0][0] += d1 @ x.T / m
        grads[0][1] += d1 / m
        grads[1][0] += d2 @ a1.T / m
        grads[1][1] += d2 / m
    return grads


def softmax_jacobian_loop(Z, T):
    m = Z.shape[1]
    out = np.empty_like(Z)
    for k in range(m):
        a = softmax(Z[:, [k]])[:, 0]
        J = np.diag(a) - np.outer(a, a)           # the Jacobian of softmax, symmetric
        grad_a = -T[:, k] / a                     # the gradient of -sum t ln a
        out[:, k] = J.T @ grad_a / m
    return out


def softmax_logsumexp(Z, T):
    shift = Z.max(axis=0, keepdims=True)
    log_a = Z - shift - np.log(np.exp(Z - shift).sum(axis=0, keepdims=True))
    return (np.exp(log_a) * T.sum(axis=0) - T) / Z.shape[1]


def batch_ones(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta @ np.ones((m, 1)) / m


def batch_loop(Delta, A_prev):
    m = Delta.shape[1]
    grad_W = sum(np.outer(Delta[:, k], A_prev[:, k]) for k in range(m)) / m
    grad_b = Delta.mean(axis=1, keepdims=True)
    return grad_W, grad_b


def residual_accumulate(W, b, X, G):
    grad_X = np.zeros_like(X)
    grad_X += G                                   # the skip connection
    grad_X += W.T @ (sigmoid_prime(W @ X + b) * G)   # the layer
    return grad_X


def residual_diag_loop(W, b, X, G):
    out = np.empty_like(X)
    for k in range(X.shape[1]):
        z = W @ X[:, k] + b[:, 0]
        J = np.eye(len(z)) + np.diag(sigmoid_prime(z)) @ W   # Jacobian of x + sigma(W x + b)
        out[:, k] = J.T @ G[:, k]
    return out


def gn_by_examples(W, X, Y, V):
    out = np.zeros_like(W)
    for k in range(X.shape[1]):                      # (1/m) sum J_k^T J_k V, one example at a time
        x = X[:, [k]]
        d = sigmoid_prime(W @ x)
        out += (d * d * (V @ x)) @ x.T
    return out / X.shape[1]


def relu_mask_of_a(W, b, X, G):
    A = np.maximum(W @ X + b, 0)          # a > 0 exactly where z > 0: the same mask
    return W.T @ ((A > 0) * G)


ALSO_RIGHT = [
    ("gradient-linear", lin_other_order),
    ("gradient-linear", lin_rounded),
    ("gradient-linear", lin_loop),
    ("gradient-linear", lin_einsum),
    ("jacobian-layer", jac_diag),
    ("jacobian-layer", jac_a_one_minus_a),
    ("vjp-layer", vjp_einsum),
    ("vjp-layer", vjp_diag_loop),
    ("hadamard-tanh", tanh_diag_loop),
    ("hadamard-tanh", tanh_cosh),
    ("differentials-ls", ls_expanded),
    ("differentials-ls", ls_rounded),
    ("one-neuron", neuron_loop),
    ("two-layer", two_diag_loop),
    ("softmax-ce", softmax_jacobian_loop),
    ("softmax-ce", softmax_logsumexp),
    ("minibatch-layer", batch_ones),
    ("minibatch-layer", batch_loop),
    ("reverse-residual", residual_accumulate),
    ("reverse-residual", residual_diag_loop),
    ("checkpoint-segment", segment_on_the_tape),
    ("second-order-gn", gn_by_examples),
    ("relu-layer-vjp", relu_mask_of_a),
]


# ============================================================== the wrong answers

# ---------------------------------------------------------------- gradient-linear (W, X, Y)


def lin_no_mean(W, X, Y):
    return (W @ X - Y) @ X.T


def lin_mean_twice(W, X, Y):
    m = X.shape[1]
    R = (W @ X - Y) / m
    return R @ X.T / m


def lin_transposed(W, X, Y):
    m = X.shape[1]
    return X @ (W @ X - Y).T / m


def lin_factor_2(W, X, Y):
    m = X.shape[1]
    return 2 * (W @ X - Y) @ X.T / m


def lin_keeps_half(W, X, Y):
    m = X.shape[1]
    return 0.5 * (W @ X - Y) @ X.T / m


def lin_sign(W, X, Y):
    m = X.shape[1]
    return (Y - W @ X) @ X.T / m


def lin_no_xt(W, X, Y):
    m = X.shape[1]
    return (W @ X - Y) / m


# ---------------------------------------------------------------- jacobian-layer (W, b, x)


def jac_sigma(W, b, x):
    return sigmoid(W @ x + b) * W


def jac_prime_of_a(W, b, x):
    a = sigmoid(W @ x + b)
    return sigmoid_prime(a) * W


def jac_no_w(W, b, x):
    z = W @ x + b
    return np.diag(sigmoid_prime(z).ravel())


def jac_order(W, b, x):
    z = W @ x + b
    return W @ np.diag(sigmoid_prime(z).ravel())


def jac_transposed(W, b, x):
    z = W @ x + b
    return (sigmoid_prime(z) * W).T


# ---------------------------------------------------------------- vjp-layer (W, b, X, V)


def vjp_sigma(W, b, X, V):
    return W.T @ (sigmoid(W @ X + b) * V)


def vjp_prime_of_a(W, b, X, V):
    A = sigmoid(W @ X + b)
    return W.T @ (sigmoid_prime(A) * V)


def vjp_no_transpose(W, b, X, V):
    return W @ (sigmoid_prime(W @ X + b) * V)


def vjp_no_hadamard(W, b, X, V):
    return W.T @ V


def vjp_transposed(W, b, X, V):
    U = sigmoid_prime(W @ X + b) * V
    return U.T @ W


def vjp_sign(W, b, X, V):
    return -W.T @ (sigmoid_prime(W @ X + b) * V)


# ---------------------------------------------------------------- hadamard-tanh (Z, G)


def tanh_activation(Z, G):
    return np.tanh(Z) * G


def tanh_z_for_a(Z, G):
    return (1 - Z**2) * G


def tanh_matmul(Z, G):
    return (1 - np.tanh(Z) ** 2) @ G


def tanh_no_g(Z, G):
    return 1 - np.tanh(Z) ** 2


def tanh_sign(Z, G):
    return (np.tanh(Z) ** 2 - 1) * G


# ---------------------------------------------------------------- differentials-ls (A, X, B)


def ls_no_transpose(A, X, B):
    return A @ (A @ X - B)


def ls_residual(A, X, B):
    return A @ X - B


def ls_factor_2(A, X, B):
    return 2 * A.T @ (A @ X - B)


def ls_sign(A, X, B):
    return A.T @ (B - A @ X)


def ls_transposed(A, X, B):
    return (A @ X - B).T @ A


# ---------------------------------------------------------------- one-neuron (w, b, X, Y)


def neuron_sigma(w, b, X, Y):
    m = X.shape[1]
    a = sigmoid(w @ X + b)
    delta = (a - Y) * a
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True) / m


def neuron_prime_of_a(w, b, X, Y):
    m = X.shape[1]
    a = sigmoid(w @ X + b)
    delta = (a - Y) * sigmoid_prime(a)
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True) / m


def neuron_no_prime(w, b, X, Y):
    m = X.shape[1]
    a = sigmoid(w @ X + b)
    delta = a - Y
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True) / m


def neuron_bias_not_summed(w, b, X, Y):
    m = X.shape[1]
    z = w @ X + b
    delta = (sigmoid(z) - Y) * sigmoid_prime(z)
    return delta @ X.T / m, delta / m


def neuron_bias_no_mean(w, b, X, Y):
    m = X.shape[1]
    z = w @ X + b
    delta = (sigmoid(z) - Y) * sigmoid_prime(z)
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True)


def neuron_transposed(w, b, X, Y):
    m = X.shape[1]
    z = w @ X + b
    delta = (sigmoid(z) - Y) * sigmoid_prime(z)
    return X @ delta.T / m, delta.sum(axis=1, keepdims=True) / m


def neuron_factor_2(w, b, X, Y):
    m = X.shape[1]
    z = w @ X + b
    delta = 2 * (sigmoid(z) - Y) * sigmoid_prime(z)
    return delta @ X.T / m, delta.sum(axis=1, keepdims=True) / m


# ---------------------------------------------------------------- two-layer (params, X, Y)


def two_sigma(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    A1 = sigmoid(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2)
    D2 = (A2 - Y) * A2
    D1 = (W2.T @ D2) * A1
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def two_prime_of_a(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    A1 = sigmoid(W1 @ X + b1)
    A2 = sigmoid(W2 @ A1 + b2)
    D2 = (A2 - Y) * sigmoid_prime(A2)
    D1 = (W2.T @ D2) * sigmoid_prime(A1)
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def two_no_transpose(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2 @ D2) * sigmoid_prime(Z1)
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def two_current_a(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    D2 = (A2 - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(D1 @ A1.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A2.T / m, D2.sum(axis=1, keepdims=True) / m)]


def two_bias_not_summed(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(D1 @ X.T / m, D1 / m), (D2 @ A1.T / m, D2 / m)]


def two_no_mean(params, X, Y):
    (W1, b1), (W2, b2) = params
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(D1 @ X.T, D1.sum(axis=1, keepdims=True)), (D2 @ A1.T, D2.sum(axis=1, keepdims=True))]


def two_hidden_bias_no_mean(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True)),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def two_hidden_transposed(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * sigmoid_prime(Z1)
    return [(X @ D1.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


# ---------------------------------------------------------------- softmax-ce (Z, T)


def softmax_no_shift(Z, T):
    E = np.exp(Z)
    A = E / E.sum(axis=0, keepdims=True)
    return (A * T.sum(axis=0) - T) / Z.shape[1]


def softmax_shortcut(Z, T):
    return (softmax(Z) - T) / Z.shape[1]


def softmax_wrt_a(Z, T):
    return -T / softmax(Z) / Z.shape[1]


def softmax_no_mean(Z, T):
    return softmax(Z) * T.sum(axis=0) - T


def softmax_sign(Z, T):
    return (T - softmax(Z) * T.sum(axis=0)) / Z.shape[1]


# ---------------------------------------------------------------- minibatch-layer (Delta, A_prev)


def batch_bias_not_summed(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta / m


def batch_no_mean(Delta, A_prev):
    return Delta @ A_prev.T, Delta.sum(axis=1, keepdims=True)


def batch_transposed(Delta, A_prev):
    m = Delta.shape[1]
    return A_prev @ Delta.T / m, Delta.sum(axis=1, keepdims=True) / m


def batch_mean_twice(Delta, A_prev):
    m = Delta.shape[1]
    D = Delta / m
    return D @ A_prev.T / m, D.sum(axis=1, keepdims=True) / m


def batch_bias_no_mean(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- reverse-residual (W, b, X, G)


def residual_assign_layer(W, b, X, G):
    grad_X = G                                       # the skip connection
    grad_X = W.T @ (sigmoid_prime(W @ X + b) * G)    # the layer: = where += belongs
    return grad_X


def residual_assign_skip(W, b, X, G):
    grad_X = W.T @ (sigmoid_prime(W @ X + b) * G)    # the layer
    grad_X = G                                       # the skip connection: = where += belongs
    return grad_X


def residual_sigma(W, b, X, G):
    return G + W.T @ (sigmoid(W @ X + b) * G)


def residual_no_transpose(W, b, X, G):
    return G + W @ (sigmoid_prime(W @ X + b) * G)


# ---------------------------------------------------------------- checkpoint-segment (W1, b1, W2, b2, A, G)


def segment_one_layer_only(W1, b1, W2, b2, A, G):
    return W2.T @ (sigmoid_prime(W2 @ sigmoid(W1 @ A + b1) + b2) * G)


def segment_seed_with_ones(W1, b1, W2, b2, A, G):
    Z1 = W1 @ A + b1
    Z2 = W2 @ sigmoid(Z1) + b2
    return W1.T @ (sigmoid_prime(Z1) * (W2.T @ sigmoid_prime(Z2)))


def segment_no_transpose(W1, b1, W2, b2, A, G):
    Z1 = W1 @ A + b1
    Z2 = W2 @ sigmoid(Z1) + b2
    return W1 @ (sigmoid_prime(Z1) * (W2 @ (sigmoid_prime(Z2) * G)))


# ---------------------------------------------------------------- second-order-gn (W, X, Y, V)


def gn_hessian(W, X, Y, V):
    Z = W @ X
    A, s = sigmoid(Z), sigmoid_prime(Z)
    return (s * s * (V @ X) + (A - Y) * s * (1 - 2 * A) * (V @ X)) @ X.T / X.shape[1]


def gn_prime_once(W, X, Y, V):
    return (sigmoid_prime(W @ X) * (V @ X)) @ X.T / X.shape[1]


def gn_no_transpose(W, X, Y, V):
    s = sigmoid_prime(W @ X)
    return (s * s * (V @ X)) @ X / X.shape[1]


def gn_no_mean(W, X, Y, V):
    s = sigmoid_prime(W @ X)
    return (s * s * (V @ X)) @ X.T


def gn_twice(W, X, Y, V):
    s = sigmoid_prime(W @ X)
    return 2 * (s * s * (V @ X)) @ X.T / X.shape[1]


# ---------------------------------------------------------------- the catalogue


# ---------------------------------------------------------------- relu-layer-vjp (W, b, X, G)


def relu_values(W, b, X, G):
    return W.T @ (np.maximum(W @ X + b, 0) * G)


def relu_kink_as_one(W, b, X, G):
    return W.T @ ((W @ X + b >= 0) * G)


def relu_kink_as_half(W, b, X, G):
    Z = W @ X + b
    return W.T @ (np.heaviside(Z, 0.5) * G)


def relu_no_transpose(W, b, X, G):
    return W @ ((W @ X + b > 0) * G)


def relu_no_mask(W, b, X, G):
    return W.T @ G


class Wrong(NamedTuple):
    exercise: str
    fn: object
    diagnosis: str
    part: str | None = None       # None: the exercise's only part
    phrase: str | None = None     # None: the diagnosis's usual phrase (PHRASE below)


OUT, HIDDEN = "(the output layer)", ""
W2, B2 = f"grad_W of layer 2 {OUT}", f"grad_b of layer 2 {OUT}"
W1, B1 = "grad_W of layer 1", "grad_b of layer 1"

WRONG = [
    Wrong("gradient-linear", lin_no_mean, "missing-1/m"),
    Wrong("gradient-linear", lin_mean_twice, "extra-1/m"),
    Wrong("gradient-linear", lin_transposed, "transpose", phrase="(W X - Y) X^T, of the shape of W"),
    Wrong("gradient-linear", lin_factor_2, "factor-2"),
    Wrong("gradient-linear", lin_keeps_half, "factor-half"),
    Wrong("gradient-linear", lin_sign, "sign"),
    Wrong("gradient-linear", lin_no_xt, "missing-xt", phrase="the product with X^T"),

    Wrong("jacobian-layer", jac_sigma, "sigma-for-prime", phrase="uses sigma(z) where the derivative"),
    Wrong("jacobian-layer", jac_prime_of_a, "a-for-z", phrase="at a = sigma(z) instead of at z"),
    Wrong("jacobian-layer", jac_no_w, "missing-w", phrase="only the activation's Jacobian"),
    Wrong("jacobian-layer", jac_order, "order", phrase="in the wrong order"),
    Wrong("jacobian-layer", jac_transposed, "transpose", phrase="numerator layout"),

    Wrong("vjp-layer", vjp_sigma, "sigma-for-prime", phrase="by sigma(Z) where sigma'(Z) belongs"),
    Wrong("vjp-layer", vjp_prime_of_a, "a-for-z", phrase="at A = sigma(Z) instead of at Z"),
    Wrong("vjp-layer", vjp_no_transpose, "missing-transpose", phrase="by W where W^T belongs"),
    Wrong("vjp-layer", vjp_no_hadamard, "missing-hadamard", phrase="it skips the activation"),
    Wrong("vjp-layer", vjp_transposed, "transpose"),
    Wrong("vjp-layer", vjp_sign, "sign"),

    Wrong("hadamard-tanh", tanh_activation, "sigma-for-prime", phrase="by tanh(Z), the activation"),
    Wrong("hadamard-tanh", tanh_z_for_a, "z-for-a", phrase="not for the input z"),
    Wrong("hadamard-tanh", tanh_matmul, "matrix-product", phrase="a matrix product where the Hadamard"),
    Wrong("hadamard-tanh", tanh_no_g, "missing-g", phrase="the upstream gradient G must multiply it"),
    Wrong("hadamard-tanh", tanh_sign, "sign"),

    Wrong("differentials-ls", ls_no_transpose, "missing-transpose", phrase="applies A where its adjoint"),
    Wrong("differentials-ls", ls_residual, "residual", phrase="is the residual A X - B"),
    Wrong("differentials-ls", ls_factor_2, "factor-2", phrase="1/2 ||A X - B||_F^2"),
    Wrong("differentials-ls", ls_sign, "sign"),
    Wrong("differentials-ls", ls_transposed, "transpose"),

    Wrong("one-neuron", neuron_sigma, "sigma-for-prime", "grad_w", "by sigma(z) where sigma'(z)"),
    Wrong("one-neuron", neuron_prime_of_a, "a-for-z", "grad_w", "at a = sigma(z) instead of at z"),
    Wrong("one-neuron", neuron_no_prime, "missing-prime", "grad_w", "leaves out sigma'(z)"),
    Wrong("one-neuron", neuron_bias_not_summed, "bias-not-summed", "grad_b"),
    Wrong("one-neuron", neuron_bias_no_mean, "missing-1/m", "grad_b"),
    Wrong("one-neuron", neuron_transposed, "transpose", "grad_w"),
    Wrong("one-neuron", neuron_factor_2, "factor-2", "grad_w"),

    Wrong("two-layer", two_sigma, "sigma-for-prime", W2, "by sigma(z) where sigma'(z)"),
    Wrong("two-layer", two_prime_of_a, "a-for-z", W2, "at a = sigma(z) instead of at z"),
    Wrong("two-layer", two_no_transpose, "missing-transpose", W1, "where (W^2)^T belongs"),
    Wrong("two-layer", two_current_a, "a-current-layer", W2, "the layer's own activation a^l"),
    Wrong("two-layer", two_bias_not_summed, "bias-not-summed", B2),
    Wrong("two-layer", two_no_mean, "missing-1/m", W2),
    Wrong("two-layer", two_hidden_bias_no_mean, "missing-1/m", B1),
    Wrong("two-layer", two_hidden_transposed, "transpose", W1),

    Wrong("softmax-ce", softmax_no_shift, "overflow", phrase="Subtract each column's maximum"),
    Wrong("softmax-ce", softmax_shortcut, "shortcut", phrase="uses the shortcut a - t"),
    Wrong("softmax-ce", softmax_wrt_a, "gradient-wrt-a", phrase="the gradient with respect to a = softmax(z)"),
    Wrong("softmax-ce", softmax_no_mean, "missing-1/m"),
    Wrong("softmax-ce", softmax_sign, "sign", phrase="not t - a"),

    Wrong("minibatch-layer", batch_bias_not_summed, "bias-not-summed", "grad_b"),
    Wrong("minibatch-layer", batch_no_mean, "missing-1/m", "grad_W"),
    Wrong("minibatch-layer", batch_transposed, "transpose", "grad_W"),
    Wrong("minibatch-layer", batch_mean_twice, "extra-1/m", "grad_W"),
    Wrong("minibatch-layer", batch_bias_no_mean, "missing-1/m", "grad_b"),

    Wrong("reverse-residual", residual_assign_layer, "assign-not-accumulate", phrase="(+=, not =)"),
    Wrong("reverse-residual", residual_assign_skip, "assign-not-accumulate", phrase="(+=, not =)"),
    Wrong("reverse-residual", residual_sigma, "sigma-for-prime", phrase="by sigma(Z) where sigma'(Z) belongs"),
    Wrong("reverse-residual", residual_no_transpose, "missing-transpose", phrase="through W where W^T belongs"),

    Wrong("checkpoint-segment", segment_one_layer_only, "one-layer-only", phrase="last layer only"),
    Wrong("checkpoint-segment", segment_seed_with_ones, "seed-not-g", phrase="from ones"),
    Wrong("checkpoint-segment", segment_no_transpose, "missing-transpose", phrase="where W^T belongs"),
    Wrong("second-order-gn", gn_hessian, "hessian-not-gn", phrase="is H V, the Hessian's product"),
    Wrong("second-order-gn", gn_prime_once, "sigma-prime-once", phrase="applies sigma'(Z) once"),
    Wrong("second-order-gn", gn_no_transpose, "missing-transpose", phrase="by X where X^T belongs"),
    Wrong("second-order-gn", gn_no_mean, "missing-1/m"),
    Wrong("second-order-gn", gn_twice, "factor-2", phrase="cancels the 2 of d^2 <R, R>"),
    Wrong("relu-layer-vjp", relu_values, "relu-for-prime", phrase="by relu(Z), the activation"),
    Wrong("relu-layer-vjp", relu_kink_as_one, "kink-as-one", phrase="takes relu'(0) = 1"),
    Wrong("relu-layer-vjp", relu_kink_as_half, "kink-as-half", phrase="takes relu'(0) = 1/2"),
    Wrong("relu-layer-vjp", relu_no_transpose, "missing-transpose", phrase="through W where W^T belongs"),
    Wrong("relu-layer-vjp", relu_no_mask, "missing-hadamard", phrase="it skips the activation"),
]

# The phrase that names each generic mistake in its message.
PHRASE = {
    "transpose": "is the transpose of the right answer",
    "missing-1/m": "times too large",
    "extra-1/m": "times too small",
    "factor-2": "is twice the right value",
    "factor-half": "is half the right value",
    "sign": "the opposite sign",
    "bias-not-summed": "still one column per example",
}

# The exercises with a single part, and its name.
ONLY_PART = {
    "gradient-linear": "grad_W",
    "jacobian-layer": "the Jacobian",
    "vjp-layer": "the VJP",
    "hadamard-tanh": "the gradient with respect to Z",
    "differentials-ls": "grad_X",
    "softmax-ce": "grad_Z",
    "reverse-residual": "grad_X",
    "checkpoint-segment": "grad_A",
    "second-order-gn": "G V",
    "relu-layer-vjp": "grad_X",
}

# The classic mistakes, (exercise, diagnosis), that the catalogue must cover.
CLASSIC = {
    ("gradient-linear", "missing-1/m"), ("gradient-linear", "extra-1/m"),
    ("gradient-linear", "transpose"), ("gradient-linear", "factor-2"),
    ("gradient-linear", "sign"), ("gradient-linear", "missing-xt"),
    ("jacobian-layer", "sigma-for-prime"), ("jacobian-layer", "a-for-z"),
    ("jacobian-layer", "missing-w"), ("jacobian-layer", "order"), ("jacobian-layer", "transpose"),
    ("vjp-layer", "sigma-for-prime"), ("vjp-layer", "a-for-z"),
    ("vjp-layer", "missing-transpose"), ("vjp-layer", "missing-hadamard"),
    ("hadamard-tanh", "sigma-for-prime"), ("hadamard-tanh", "z-for-a"),
    ("hadamard-tanh", "matrix-product"), ("hadamard-tanh", "missing-g"),
    ("differentials-ls", "missing-transpose"), ("differentials-ls", "residual"),
    ("differentials-ls", "factor-2"),
    ("one-neuron", "sigma-for-prime"), ("one-neuron", "a-for-z"), ("one-neuron", "missing-prime"),
    ("one-neuron", "bias-not-summed"), ("one-neuron", "missing-1/m"),
    ("two-layer", "sigma-for-prime"), ("two-layer", "a-for-z"), ("two-layer", "missing-transpose"),
    ("two-layer", "a-current-layer"), ("two-layer", "bias-not-summed"),
    ("softmax-ce", "overflow"), ("softmax-ce", "shortcut"), ("softmax-ce", "gradient-wrt-a"),
    ("minibatch-layer", "bias-not-summed"), ("minibatch-layer", "missing-1/m"),
    ("minibatch-layer", "extra-1/m"),
    ("reverse-residual", "assign-not-accumulate"), ("reverse-residual", "sigma-for-prime"),
    ("reverse-residual", "missing-transpose"),
    ("checkpoint-segment", "one-layer-only"), ("checkpoint-segment", "seed-not-g"),
    ("second-order-gn", "missing-transpose"), ("second-order-gn", "missing-1/m"),
    ("second-order-gn", "hessian-not-gn"),
    ("relu-layer-vjp", "relu-for-prime"), ("relu-layer-vjp", "kink-as-one"),
}


def _id(entry):
    return f"{entry.exercise}:{entry.fn.__name__}"


# ============================================================== the tests


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_the_right_answer_passes(name):
    report = practice.check(name, RIGHT[name])
    assert isinstance(report, Report)
    assert report.ok is True and bool(report) is True, report.message
    assert report.diagnosis == "right"
    assert report.message.startswith("Right")
    assert RIGHT[name].__name__ in report.message
    assert report.error is not None and report.error < 1e-6
    assert report.exercise == name


@pytest.mark.parametrize("name, fn", ALSO_RIGHT, ids=[f"{n}:{f.__name__}" for n, f in ALSO_RIGHT])
def test_a_right_answer_written_another_way_passes(name, fn):
    report = practice.check(name, fn)
    assert report.ok is True, report.message
    assert report.diagnosis == "right"
    assert report.message.startswith("Right")
    assert report.error < 1e-6


@pytest.mark.parametrize("entry", WRONG, ids=[_id(e) for e in WRONG])
def test_a_wrong_answer_gets_its_own_diagnosis(entry):
    report = practice.check(entry.exercise, entry.fn)
    assert isinstance(report, Report)
    assert report.ok is False and bool(report) is False
    assert report.diagnosis == entry.diagnosis, flat(report.message)
    assert report.part == (entry.part or ONLY_PART[entry.exercise])
    message = flat(report.message)
    assert message.startswith("Not yet.")
    assert report.part in message
    phrase = entry.phrase or PHRASE[entry.diagnosis]
    assert phrase in message, message
    assert report.expected_shape is not None and report.received_shape is not None


def test_the_catalogue_covers_every_exercise_and_the_classic_mistakes():
    assert len(WRONG) >= 30
    ids = [_id(e) for e in WRONG]
    assert len(set(ids)) == len(ids)
    assert len({e.fn for e in WRONG}) == len(WRONG)
    per_exercise = {name: sum(e.exercise == name for e in WRONG) for name in EXERCISES}
    assert all(n >= 2 for n in per_exercise.values()), per_exercise
    covered = {(e.exercise, e.diagnosis) for e in WRONG}
    assert CLASSIC <= covered, sorted(CLASSIC - covered)
    assert set(RIGHT) == set(EXERCISES)
    # both variants of = for += in the residual: the layer's path kept, the skip's path kept
    assert sum(e.diagnosis == "assign-not-accumulate" for e in WRONG) >= 2
    # the right answers written another way: several exercises, loops and explicit np.diag
    assert len({name for name, _ in ALSO_RIGHT}) >= 5
    diag = [fn for _, fn in ALSO_RIGHT if "np.diag(" in inspect.getsource(fn)]
    assert len(diag) >= 3


def test_the_exercises_cover_the_chapters():
    assert len(EXERCISES) >= 10
    chapters = {ex.chapter for ex in EXERCISES.values()}
    assert {"gradient", "jacobian", "vjp_jvp", "differentials", "one_neuron", "two_layer",
            "softmax_ce", "minibatch", "reverse_mode"} <= chapters
    for name, ex in EXERCISES.items():
        assert ex.name == name
        assert ex.mistakes or ex.mean, name      # something to recognise beyond shapes


# ============================================================== the checker never raises at the reader


def _line_of(fn, snippet):
    """(line number, stripped text) of the line of ``fn``'s source that contains ``snippet``."""
    lines, start = inspect.getsourcelines(fn)
    for offset, line in enumerate(lines):
        if snippet in line:
            return start + offset, line.strip()
    raise AssertionError(f"{snippet!r} not in {fn.__name__}")


def lin_shape_error(W, X, Y):
    residual = W @ X - Y
    return residual @ X / X.shape[1]


def lin_name_error(W, X, Y):
    residual = W @ X - Y  # noqa: F841 - used below, misspelt
    return residul @ X.T / X.shape[1]  # noqa: F821 - the reader's typo, on purpose


def _my_delta(a, y, z):
    return (a - y) @ sigmoid_prime(z)


def neuron_error_in_helper(w, b, X, Y):
    z = w @ X + b
    delta = _my_delta(sigmoid(z), Y, z)
    return delta @ X.T, delta.sum(axis=1, keepdims=True)


def test_a_shape_error_is_reported_at_the_readers_line():
    report = practice.check("gradient-linear", lin_shape_error)
    assert report.ok is False and report.diagnosis == "exception"
    lineno, text = _line_of(lin_shape_error, "residual @ X /")
    assert text == "return residual @ X / X.shape[1]"
    assert text in report.message
    assert f"line {lineno} of lin_shape_error" in report.message
    assert "ValueError" in report.message
    assert "needs a transpose" in flat(report.message)
    assert report.case                       # which case it raised on


def test_a_name_error_is_reported_at_the_readers_line():
    report = practice.check("gradient-linear", lin_name_error)
    assert report.ok is False and report.diagnosis == "exception"
    lineno, text = _line_of(lin_name_error, "residul @")
    assert text in report.message
    assert "return residul @ X.T / X.shape[1]" in report.message
    assert f"line {lineno} of lin_name_error" in report.message
    assert "NameError" in report.message and "residul" in report.message


def test_an_error_in_a_helper_shows_the_call_and_the_helper():
    report = practice.check("one-neuron", neuron_error_in_helper)
    assert report.diagnosis == "exception"
    _, call = _line_of(neuron_error_in_helper, "_my_delta(")
    _, inner = _line_of(_my_delta, "@ sigmoid_prime")
    assert call in report.message and inner in report.message
    assert "ValueError" in report.message


def not_written(W, X, Y):
    pass


def returns_ellipsis(Delta, A_prev):
    return ...


def test_an_empty_body_is_not_done():
    for name, fn in [("gradient-linear", not_written), ("minibatch-layer", returns_ellipsis)]:
        report = practice.check(name, fn)
        assert report.ok is False and report.diagnosis == "not-done"
        assert report.message.startswith("Not done yet")
        assert fn.__name__ in report.message


def neuron_one_array(w, b, X, Y):
    z = w @ X + b
    delta = (sigmoid(z) - Y) * sigmoid_prime(z)
    return delta @ X.T / X.shape[1]


def batch_one_array(Delta, A_prev):
    return Delta @ A_prev.T / Delta.shape[1]


def two_one_pair(params, X, Y):
    return two_right(params, X, Y)[1]


def two_as_dict(params, X, Y):
    grads = two_right(params, X, Y)
    return {"W1": grads[0][0], "b1": grads[0][1], "W2": grads[1][0], "b2": grads[1][1]}


def lin_as_text(W, X, Y):
    return "grad_W"


@pytest.mark.parametrize("name, fn", [
    ("one-neuron", neuron_one_array),
    ("minibatch-layer", batch_one_array),
    ("two-layer", two_one_pair),
    ("two-layer", two_as_dict),
    ("gradient-linear", lin_as_text),
], ids=lambda x: getattr(x, "__name__", x))
def test_a_wrong_structure_gets_a_report(name, fn):
    report = practice.check(name, fn)
    assert isinstance(report, Report)
    assert report.ok is False
    assert report.diagnosis in {"structure", "shape"}
    assert report.message


def test_a_single_array_for_a_pair_is_a_structure_mistake():
    report = practice.check("one-neuron", neuron_one_array)
    assert report.diagnosis == "structure"
    assert "grad_w, grad_b" in flat(report.message)


def test_something_not_callable_is_reported():
    W, X, Y = np.ones((2, 3)), np.ones((3, 4)), np.ones((2, 4))
    for thing in [lin_right(W, X, Y), None, "lin_right"]:
        report = practice.check("gradient-linear", thing)
        assert report.ok is False and report.diagnosis == "not-callable"
        assert "Pass the name without calling it" in flat(report.message)


def test_an_unknown_exercise_is_the_authors_error():
    with pytest.raises(ValueError, match="no exercise"):
        practice.check("no-such-exercise", lin_right)


# ---------------------------------------------------------------- inputs changed in place


def lin_mutates_first(W, X, Y):
    X -= 1
    return (W @ X - Y) @ X.T / X.shape[1]


def lin_mutates_after(W, X, Y):
    grad = (W @ X - Y) @ X.T / X.shape[1]
    X -= 1
    W *= 0
    Y[:] = np.nan
    return grad


def two_updates_in_place(params, X, Y):
    grads = two_right(params, X, Y)
    for (W, b), (grad_W, grad_b) in zip(params, grads):
        W -= 0.5 * grad_W                     # a gradient step inside the function
        b -= 0.5 * grad_b
    params.append(params[0])
    return grads


def residual_mutates_g(W, b, X, G):
    grad_X = G
    grad_X += W.T @ (sigmoid_prime(W @ X + b) * G)   # changes G in place, the caller's array
    G *= 100
    return grad_X / 100


def test_changing_the_inputs_in_place_does_not_fool_the_checker():
    report = practice.check("gradient-linear", lin_mutates_first)
    assert isinstance(report, Report) and report.ok is False
    for name, fn in [("gradient-linear", lin_mutates_after), ("two-layer", two_updates_in_place)]:
        report = practice.check(name, fn)
        assert report.ok is True, report.message
    report = practice.check("reverse-residual", residual_mutates_g)
    assert isinstance(report, Report)
    # the cases are intact afterwards: the right answers still pass
    for name in ["gradient-linear", "two-layer", "reverse-residual"]:
        assert practice.check(name, RIGHT[name]).ok is True


# --- results of the wrong form: a report, never an exception (found by this catalogue)


def _two_layer_output_only(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    A1 = sigmoid(W1 @ X + b1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    return [(D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


def _neuron_three_parts(w, b, X, Y):
    m = X.shape[1]
    Z = w @ X + b
    D = (sigmoid(Z) - Y) * sigmoid_prime(Z)
    return D @ X.T / m, D.sum(axis=1, keepdims=True) / m, 1


def _bias_without_keepdims(Delta, A_prev):
    m = Delta.shape[1]
    return Delta @ A_prev.T / m, Delta.sum(axis=1) / m


def _hidden_layer_sigma_only(params, X, Y):
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    D2 = (sigmoid(Z2) - Y) * sigmoid_prime(Z2)
    D1 = (W2.T @ D2) * A1                        # sigma where sigma' belongs, hidden layer only
    return [(D1 @ X.T / m, D1.sum(axis=1, keepdims=True) / m),
            (D2 @ A1.T / m, D2.sum(axis=1, keepdims=True) / m)]


@pytest.mark.parametrize("name, fn, diagnosis, part", [
    ("two-layer", _two_layer_output_only, "structure", ""),
    ("one-neuron", _neuron_three_parts, "structure", ""),
    ("minibatch-layer", _bias_without_keepdims, "lost-axis", "grad_b"),
    ("two-layer", _hidden_layer_sigma_only, "sigma-for-prime", "grad_W of layer 1"),
    ("gradient-linear", lambda W, X, Y: ((W @ X - Y) @ X.T / X.shape[1]).astype(complex), "structure", ""),
])
def test_malformed_results_are_reported(name, fn, diagnosis, part):
    report = practice.check(name, fn)
    assert not report.ok and report.diagnosis == diagnosis, report.message
    assert report.part == part
