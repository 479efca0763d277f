"""Numeric keys of the second_order chapter's self-checks (``quizzes/second_order.json``).

Each part of the chapter prefixes its keys with its name: ``second_`` for the
second differential, Hessian-vector products and Gauss-Newton.
"""

import numpy as np

from ... import activations, curvature

# --- second order ---

#: The least-squares question: W of shape (1, 2), m = 3 examples as columns.
SECOND_LS_X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 1.0]])
#: The one-weight neuron of the Gauss-Newton question: a = sigma(w x + b).
SECOND_NEURON = dict(w=1.0, b=0.0, x=1.0, y=0.0)


def _ls_hessian():
    """The Hessian (1/m) X X^T of C(W) = ||W X - Y||_F^2 / (2m), for W a row."""
    X = SECOND_LS_X
    return X @ X.T / X.shape[1]


def second_ls_lam_max():
    """The largest eigenvalue of (1/m) X X^T."""
    return float(np.linalg.eigvalsh(_ls_hessian())[-1])


def second_ls_lam_max_without_1_over_m():
    """The largest eigenvalue of X X^T: the mean of the cost forgotten."""
    return second_ls_lam_max() * SECOND_LS_X.shape[1]


def second_ls_lam_max_twice():
    """Twice it: the Hessian of ||W X - Y||^2 / m, the 1/2 forgotten."""
    return 2 * second_ls_lam_max()


def _neuron_products():
    """``(G_ww, H_ww)``: the entries for the weight w of the one-neuron G and H, by exact products."""
    n = SECOND_NEURON
    params = [(np.array([[n["w"]]]), np.array([[n["b"]]]))]
    X, Y = np.array([[n["x"]]]), np.array([[n["y"]]])
    e_w = [(np.array([[1.0]]), np.array([[0.0]]))]
    G = curvature.gauss_newton_vector_product(params, X, Y, e_w)[0][0].item()
    H = curvature.hvp(params, X, Y, e_w)[0][0].item()
    return G, H


def second_neuron_gn():
    """G_ww = (sigma'(z) x)^2 for the one-weight neuron."""
    return _neuron_products()[0]


def second_neuron_hessian():
    """H_ww = G_ww + (a - y) sigma''(z) x^2: the residual term kept."""
    return _neuron_products()[1]


def second_neuron_gn_unsquared():
    """sigma'(z) x: the Jacobian, not its square."""
    n = SECOND_NEURON
    return float(activations.sigmoid_prime(n["w"] * n["x"] + n["b"]) * n["x"])
