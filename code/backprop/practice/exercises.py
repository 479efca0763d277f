"""The "Your turn" exercises: each the book's reference, its cases and its classic mistakes.

Every reference is a function of the package that the chapter shows or uses
(``landscapes.linear_grad``, ``autodiff.elementwise_vjp``,
``network.loss_and_grads``, ``losses.softmax_cross_entropy_grad``, ...), so
the checker judges the reader against the code that the tests test. The
cases are drawn from a seeded generator in float64: a batch of several
examples first (where a missing ``1/m`` shows), then a batch of one, each
for two sizes, one of them square (where a missing transpose keeps the shape
and changes the values).

``check(name, function)`` is the entry point; ``EXERCISES`` lists them by name.
"""

from __future__ import annotations

import numpy as np

from .. import activations, autodiff, data, gradcheck, jacobian, landscapes, losses, network
from .checker import Case, Exercise, Mistake, Report
from .checker import check as _check

sigmoid, sigmoid_prime = activations.sigmoid, activations.sigmoid_prime
EXERCISES: dict[str, Exercise] = {}


def _register(ex: Exercise) -> Exercise:
    EXERCISES[ex.name] = ex
    return ex


def _rng(name: str):
    return np.random.default_rng(sum(map(ord, name)))


def _one(result, name):
    """One array; a tuple or a list is a malformed result."""
    if isinstance(result, (tuple, list, dict, str)):
        raise TypeError(f"expected one array, {name}")
    return [(name, result)]


def _pair(result, first, second):
    """A pair of arrays ``(first, second)``."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"expected a pair ({first}, {second})")
    return [(first, result[0]), (second, result[1])]


def _z_prime(z):
    """sigma' computed as z (1 - z): the rule a (1 - a) applied to z."""
    return z * (1 - z)


# ----------------------------------------------------------------------------- gradient


def _linear_cases():
    rng = _rng("gradient-linear")
    out = []
    for n_1, n_0, m in [(2, 3, 5), (2, 3, 1), (3, 3, 4), (3, 3, 1)]:
        args = {"W": rng.standard_normal((n_1, n_0)), "X": rng.standard_normal((n_0, m)),
                "Y": rng.standard_normal((n_1, m))}
        out.append(Case(args, f"W {n_1}x{n_0}, a batch of m = {m}", m))
    return out


_register(Exercise(
    name="gradient-linear", chapter="gradient", signature="grad_W(W, X, Y)",
    cases=_linear_cases,
    reference=lambda W, X, Y: landscapes.linear_grad(W, X, Y),
    parts=lambda r: _one(r, "grad_W"),
    numerical=lambda W, X, Y: gradcheck.numerical_gradient(
        lambda V: landscapes.linear_cost(V, X, Y), W),
    mean=True,
    mistakes=[
        Mistake("missing-xt", lambda W, X, Y: (W @ X - Y) / X.shape[1],
                "{part} is the residual W X - Y (divided by m), of shape (n_1, m): the "
                "derivative with respect to W_ij still pairs each residual with the input "
                "x_j of its example, the product with X^T."),
    ],
    hints={"transpose": "{part} is the transpose of the right answer: the sum over the "
                        "examples k pairs row i of W X - Y with row j of X, which is "
                        "(W X - Y) X^T, of the shape of W.",
           "sign": "{part} has the right size and the opposite sign: the residual is W X - Y, "
                   "prediction minus target, not Y - W X."},
))


# ----------------------------------------------------------------------------- jacobian


def _layer_cases(name, batch):
    rng = _rng(name)
    out = []
    sizes = [(3, 3), (3, 2), (2, 4)]   # square first: a lost transpose keeps the shape
    ms = [4, 1] if batch else [1]
    for n_1, n_0 in sizes:
        for m in ms:
            args = {"W": rng.standard_normal((n_1, n_0)), "b": rng.standard_normal((n_1, 1)),
                    "x" if not batch else "X": rng.standard_normal((n_0, m))}
            out.append(Case(args, f"W {n_1}x{n_0}" + (f", a batch of m = {m}" if batch else ""), m))
    return out


def _layer_jacobian(W, b, x, f_prime=sigmoid_prime, at=None):
    z = W @ x + b
    d = f_prime(z if at is None else at(z))
    return d * W            # diag(d) W without forming diag(d)


_register(Exercise(
    name="jacobian-layer", chapter="jacobian", signature="layer_jacobian(W, b, x)",
    cases=lambda: _layer_cases("jacobian-layer", batch=False),
    reference=lambda W, b, x: (jacobian.elementwise_jacobian(W @ x + b)
                               @ jacobian.affine_jacobian(W)),
    parts=lambda r: _one(r, "the Jacobian"),
    numerical=lambda W, b, x: jacobian.numerical_jacobian(lambda v: sigmoid(W @ v + b), x),
    mistakes=[
        Mistake("sigma-for-prime", lambda W, b, x: _layer_jacobian(W, b, x, f_prime=sigmoid),
                "{part} uses sigma(z) where the derivative sigma'(z) = sigma(z)(1 - sigma(z)) "
                "belongs: the Jacobian of a = sigma(z) is diag(sigma'(z))."),
        Mistake("a-for-z", lambda W, b, x: _layer_jacobian(W, b, x, at=sigmoid),
                "{part} evaluates sigma' at a = sigma(z) instead of at z: sigma'(z) is "
                "a (1 - a), or sigma_prime(z), not sigma_prime(a)."),
        Mistake("z-for-a", lambda W, b, x: _layer_jacobian(W, b, x, f_prime=_z_prime),
                "{part} computes sigma' as z (1 - z): the rule sigma' = a (1 - a) needs the "
                "output a = sigma(z), not z."),
        Mistake("missing-w", lambda W, b, x: np.diag(sigmoid_prime(W @ x + b)[:, 0]),
                "{part} is only the activation's Jacobian diag(sigma'(z)): the chain rule "
                "multiplies it by the Jacobian of z = W x + b, which is W."),
        Mistake("order", lambda W, b, x: W @ np.diag(sigmoid_prime(W @ x + b)[:, 0]),
                "{part} multiplies in the wrong order, W diag(sigma'(z)): the chain rule "
                "puts the Jacobian of the last step first, diag(sigma'(z)) W."),
    ],
    hints={"transpose": "{part} is the transpose of the right answer: in numerator layout "
                        "row i belongs to output a_i and column j to input x_j, so the "
                        "Jacobian of a layer from n_0 to n_1 is (n_1, n_0)."},
))


# ----------------------------------------------------------------------------- vjp_jvp


def _layer_vjp(W, b, X, V, f_prime=sigmoid_prime, at=None, WT=True, hadamard=True):
    Z = W @ X + b
    U = f_prime(Z if at is None else at(Z)) * V if hadamard else V
    return (W.T if WT else W) @ U


def _vjp_cases():
    rng = _rng("vjp-layer")
    out = []
    for case in _layer_cases("vjp-layer", batch=True):
        n_1 = case.args["W"].shape[0]
        case.args["V"] = rng.standard_normal((n_1, case.m))
        out.append(case)
    return out


_register(Exercise(
    name="vjp-layer", chapter="vjp_jvp", signature="layer_vjp(W, b, X, V)",
    cases=_vjp_cases,
    reference=lambda W, b, X, V: autodiff.affine_vjp(W, autodiff.elementwise_vjp(W @ X + b, V)),
    parts=lambda r: _one(r, "the VJP"),
    numerical=lambda W, b, X, V: gradcheck.numerical_gradient(
        lambda Xv: float(np.sum(V * sigmoid(W @ Xv + b))), X),
    mistakes=[
        Mistake("sigma-for-prime", lambda W, b, X, V: _layer_vjp(W, b, X, V, f_prime=sigmoid),
                "{part} multiplies V by sigma(Z) where sigma'(Z) belongs: the VJP through "
                "A = sigma(Z) is sigma'(Z) * V, element by element."),
        Mistake("a-for-z", lambda W, b, X, V: _layer_vjp(W, b, X, V, at=sigmoid),
                "{part} evaluates sigma' at A = sigma(Z) instead of at Z."),
        Mistake("z-for-a", lambda W, b, X, V: _layer_vjp(W, b, X, V, f_prime=_z_prime),
                "{part} computes sigma' as Z (1 - Z): the rule a (1 - a) needs A = sigma(Z)."),
        Mistake("missing-transpose", lambda W, b, X, V: _layer_vjp(W, b, X, V, WT=False),
                "{part} multiplies by W where W^T belongs: a VJP goes backwards through "
                "z = W x + b, and the transpose of the Jacobian W is W^T."),
        Mistake("missing-hadamard", lambda W, b, X, V: _layer_vjp(W, b, X, V, hadamard=False),
                "{part} is W^T V: it skips the activation. Between the layer's output and "
                "W comes the VJP of sigma, sigma'(Z) * V."),
    ],
))


# ----------------------------------------------------------------------------- hadamard


def _tanh_cases():
    rng = _rng("hadamard-tanh")
    out = []
    for n, m in [(4, 4), (3, 5), (3, 1)]:
        args = {"Z": rng.standard_normal((n, m)), "G": rng.standard_normal((n, m))}
        out.append(Case(args, f"Z and G of shape ({n}, {m})", m))
    return out


_register(Exercise(
    name="hadamard-tanh", chapter="hadamard", signature="tanh_vjp(Z, G)",
    cases=_tanh_cases,
    reference=lambda Z, G: autodiff.elementwise_vjp(Z, G, activation="tanh"),
    parts=lambda r: _one(r, "the gradient with respect to Z"),
    numerical=lambda Z, G: gradcheck.numerical_gradient(lambda Zv: float(np.sum(G * np.tanh(Zv))), Z),
    mistakes=[
        Mistake("sigma-for-prime", lambda Z, G: np.tanh(Z) * G,
                "{part} multiplies G by tanh(Z), the activation, where its derivative "
                "tanh'(Z) = 1 - tanh(Z)^2 belongs."),
        Mistake("z-for-a", lambda Z, G: (1 - Z**2) * G,
                "{part} uses 1 - Z^2: the rule 1 - a^2 holds for the output a = tanh(z), "
                "not for the input z."),
        Mistake("a-for-z", lambda Z, G: (1 - np.tanh(np.tanh(Z)) ** 2) * G,
                "{part} evaluates tanh' at A = tanh(Z), not at Z: 1 - tanh(Z)^2 is 1 - A^2."),
        Mistake("matrix-product", lambda Z, G: (1 - np.tanh(Z) ** 2) @ G,
                "{part} is a matrix product where the Hadamard product belongs: "
                "diag(f'(z)) v is f'(z) * v, entry by entry, never f'(Z) @ G."),
        Mistake("missing-g", lambda Z, G: 1 - np.tanh(Z) ** 2,
                "{part} is tanh'(Z) alone: the upstream gradient G must multiply it."),
    ],
))


# ----------------------------------------------------------------------------- differentials


def _ls_cases():
    rng = _rng("differentials-ls")
    out = []
    for p, n, m in [(3, 3, 3), (4, 3, 2), (4, 3, 1)]:
        args = {"A": rng.standard_normal((p, n)), "X": rng.standard_normal((n, m)),
                "B": rng.standard_normal((p, m))}
        out.append(Case(args, f"A {p}x{n}, X {n}x{m}", m))
    return out


_register(Exercise(
    name="differentials-ls", chapter="differentials", signature="grad_X(A, X, B)",
    cases=_ls_cases,
    reference=lambda A, X, B: autodiff.affine_vjp(A, A @ X - B),
    parts=lambda r: _one(r, "grad_X"),
    numerical=lambda A, X, B: gradcheck.numerical_gradient(
        lambda V: 0.5 * float(np.sum((A @ V - B) ** 2)), X),
    mistakes=[
        Mistake("missing-transpose", lambda A, X, B: A @ (A @ X - B),
                "{part} applies A where its adjoint belongs: dC = <A X - B, A dX> = "
                "<A^T (A X - B), dX>, so the gradient is A^T (A X - B)."),
        Mistake("extra-1/m", lambda A, X, B: A.T @ (A @ X - B) / X.shape[1],
                "{part} is divided by m: this f is a plain sum of squares, not a mean over "
                "examples, so no 1/m appears."),
        Mistake("residual", lambda A, X, B: A @ X - B,
                "{part} is the residual A X - B: the differential dC = <A X - B, A dX> still "
                "has A in front of dX, and moving it across the pairing makes A^T."),
    ],
    hints={"factor-2": "{part} is twice the right value: the 1/2 of 1/2 ||A X - B||_F^2 cancels "
                       "the 2 of the product rule."},
))


# ----------------------------------------------------------------------------- one_neuron


def _neuron_cases():
    rng = _rng("one-neuron")
    out = []
    for n_0, m in [(3, 6), (3, 1), (1, 4)]:
        args = {"w": rng.standard_normal((1, n_0)), "b": rng.standard_normal((1, 1)),
                "X": rng.standard_normal((n_0, m)), "Y": rng.uniform(0.1, 0.9, (1, m))}
        out.append(Case(args, f"{n_0} input(s), a batch of m = {m}", m))
    return out


def _neuron(w, b, X, Y, delta_of):
    Z = w @ X + b
    A = sigmoid(Z)
    D = delta_of(Z, A, Y)
    m = X.shape[1]
    return D @ X.T / m, D.sum(axis=1, keepdims=True) / m


_register(Exercise(
    name="one-neuron", chapter="one_neuron", signature="neuron_grads(w, b, X, Y)",
    hints={"sign": "{part} has the right size and the opposite sign: the derivative of "
                   "1/2 (a - y)^2 with respect to a is a - y, not y - a."},
    cases=_neuron_cases,
    reference=lambda w, b, X, Y: tuple(network.loss_and_grads([(w, b)], X, Y)[1][0]),
    parts=lambda r: _pair(r, "grad_w", "grad_b"),
    numerical=lambda w, b, X, Y: (
        gradcheck.numerical_gradient(lambda v: network.cost([(v, b)], X, Y), w),
        gradcheck.numerical_gradient(lambda v: network.cost([(w, v)], X, Y), b)),
    mean=True,
    mistakes=[
        Mistake("sigma-for-prime", lambda w, b, X, Y: _neuron(w, b, X, Y, lambda Z, A, Y: (A - Y) * A),
                "{part} multiplies the error a - y by sigma(z) where sigma'(z) = a (1 - a) "
                "belongs."),
        Mistake("a-for-z", lambda w, b, X, Y: _neuron(
            w, b, X, Y, lambda Z, A, Y: (A - Y) * sigmoid_prime(A)),
                "{part} evaluates sigma' at a = sigma(z) instead of at z: sigma'(z) is a (1 - a)."),
        Mistake("z-for-a", lambda w, b, X, Y: _neuron(
            w, b, X, Y, lambda Z, A, Y: (A - Y) * _z_prime(Z)),
                "{part} computes sigma'(z) as z (1 - z): the rule a (1 - a) needs a = sigma(z)."),
        Mistake("missing-prime", lambda w, b, X, Y: _neuron(w, b, X, Y, lambda Z, A, Y: A - Y),
                "{part} leaves out sigma'(z): with the squared error the chain rule through "
                "a = sigma(z) multiplies a - y by sigma'(z). (Only cross-entropy cancels it.)"),
    ],
))


# ----------------------------------------------------------------------------- two_layer


def _net_cases(name, sizes_list):
    rng = _rng(name)
    out = []
    for sizes in sizes_list:
        for m in (5, 1):
            params = network.init_params(list(sizes), seed=int(rng.integers(1000)))
            args = {"params": params, "X": rng.standard_normal((sizes[0], m)),
                    "Y": rng.uniform(0.1, 0.9, (sizes[-1], m))}
            out.append(Case(args, f"layers {'-'.join(map(str, sizes))}, a batch of m = {m}", m))
    return out


def _net_parts(grads):
    if not isinstance(grads, (tuple, list)) or not all(
            isinstance(g, (tuple, list)) and len(g) == 2 for g in grads):
        raise TypeError("expected a list of pairs (grad_W, grad_b), one per layer")
    grads = list(grads)
    L = len(grads)
    out = []
    for l in range(L, 0, -1):
        where = " (the output layer)" if l == L else ""
        grad_W, grad_b = grads[l - 1]
        out += [(f"grad_W of layer {l}{where}", grad_W), (f"grad_b of layer {l}{where}", grad_b)]
    return out


def _two_layer(params, X, Y, d_out=None, d_hidden=None, WT=True, a_prev=True, prime_out=True):
    """Backpropagation with a mistake switched on (the reference has none).

    ``d_out`` and ``d_hidden`` compute sigma' from ``(Z, A)`` in the output and
    the hidden layer (right: ``sigmoid_prime(Z)``)."""
    right = lambda Z, A: sigmoid_prime(Z)  # noqa: E731
    d_out, d_hidden = d_out or right, d_hidden or right
    (W1, b1), (W2, b2) = params
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    m = X.shape[1]
    D2 = (A2 - Y) * d_out(Z2, A2) if prime_out else A2 - Y
    D1 = ((W2.T if WT else W2) @ D2) * d_hidden(Z1, A1)
    grad_W2 = D2 @ (A1 if a_prev else A2).T / m
    grad_W1 = D1 @ (X if a_prev else A1).T / m
    return [(grad_W1, D1.sum(axis=1, keepdims=True) / m), (grad_W2, D2.sum(axis=1, keepdims=True) / m)]


def _net_mistakes(name, message, d):
    """The same mistake in both layers, and in the hidden layer only."""
    return [Mistake(name, lambda params, X, Y: _two_layer(params, X, Y, d, d), message),
            Mistake(name, lambda params, X, Y: _two_layer(params, X, Y, d_hidden=d), message)]


_register(Exercise(
    name="two-layer", chapter="two_layer", signature="backprop(params, X, Y)",
    hints={"sign": "{part} has the right size and the opposite sign: the derivative of "
                   "1/2 (a - y)^2 with respect to a is a - y, not y - a."},
    cases=lambda: _net_cases("two-layer", [(2, 3, 3), (3, 4, 2)]),
    reference=lambda params, X, Y: network.loss_and_grads(params, X, Y)[1],
    parts=_net_parts,
    numerical=lambda params, X, Y: gradcheck.numerical_grads(params, X, Y),
    mean=True,
    mistakes=[
        *_net_mistakes("sigma-for-prime", "{part}: the error is multiplied by sigma(z) where "
                       "sigma'(z) = a (1 - a) belongs.", lambda Z, A: A),
        *_net_mistakes("a-for-z", "{part}: sigma' is evaluated at a = sigma(z) instead of at z.",
                       lambda Z, A: sigmoid_prime(A)),
        *_net_mistakes("z-for-a", "{part}: sigma' is computed as z (1 - z); the rule a (1 - a) "
                       "needs a = sigma(z).", lambda Z, A: _z_prime(Z)),
        Mistake("missing-prime", lambda params, X, Y: _two_layer(params, X, Y, prime_out=False),
                "{part}: the output error is a - y without sigma'(z^2). That shortcut belongs to "
                "cross-entropy with its matching output; the squared error keeps sigma'."),
        Mistake("missing-transpose", lambda params, X, Y: _two_layer(params, X, Y, WT=False),
                "{part}: the error is sent back through W^2 where (W^2)^T belongs, "
                "delta^1 = ((W^2)^T delta^2) * sigma'(z^1)."),
        Mistake("a-current-layer", lambda params, X, Y: _two_layer(params, X, Y, a_prev=False),
                "{part} pairs delta^l with the layer's own activation a^l: the weights W^l "
                "multiply the previous layer's a^(l-1), so grad_W^l = delta^l (a^(l-1))^T."),
    ],
))


# ----------------------------------------------------------------------------- softmax_ce


def _softmax_cases():
    rng = _rng("softmax-ce")
    out = []
    n = 3
    for m in (4, 1):
        labels = rng.integers(0, n, m)
        args = {"Z": rng.standard_normal((n, m)), "T": data.as_onehot(labels, n)}
        out.append(Case(args, f"{n} classes, one-hot targets, a batch of m = {m}", m))
    labels = rng.integers(0, n, 4)
    big = {"Z": 800.0 + 5 * rng.standard_normal((n, 4)), "T": data.as_onehot(labels, n)}
    out.append(Case(big, "logits near 800 (one-hot targets, m = 4)", 4, frozenset({"large"})))
    soft = {"Z": rng.standard_normal((n, 4)), "T": rng.uniform(0.0, 1.0, (n, 4))}
    out.append(Case(soft, "targets whose columns do not sum to 1 (m = 4)", 4))
    return out


def _naive_softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=0, keepdims=True)


_register(Exercise(
    name="softmax-ce", chapter="softmax_ce", signature="grad_Z(Z, T)",
    cases=_softmax_cases,
    reference=lambda Z, T: losses.softmax_cross_entropy_grad(Z, T) / Z.shape[1],
    parts=lambda r: _one(r, "grad_Z"),
    numerical=lambda Z, T: gradcheck.numerical_gradient(
        lambda V: float(np.mean(losses.cross_entropy_with_logits(V, T))), Z),
    mean=True,
    mistakes=[
        Mistake("shortcut", lambda Z, T: (activations.softmax(Z) - T) / Z.shape[1],
                "{part} uses the shortcut a - t, which holds only when every column of the "
                "targets sums to 1. In general the gradient of -sum_i t_i ln a_i with respect to "
                "z is a (sum_i t_i) - t."),
        Mistake("wrong-axis", lambda Z, T: (activations.softmax(Z, axis=1) * T.sum(axis=0, keepdims=True)
                                             - T) / Z.shape[1],
                "{part} normalises the softmax along the rows (axis=1): each column is one "
                "example, so the max, the exp-sum and the normalisation run along axis=0."),
        Mistake("gradient-wrt-a", lambda Z, T: -T / activations.softmax(Z) / Z.shape[1],
                "{part} is the gradient with respect to a = softmax(z), -t / a: the softmax "
                "Jacobian still has to carry it back to z."),
    ],
    hints={"overflow": "{part} has inf or nan entries for large logits: exp(800) overflows. "
                       "Subtract each column's maximum before exp; softmax does not change, "
                       "and every exponent is then at most 0.",
           "sign": "{part} has the right size and the opposite sign: the gradient is "
                   "a (sum t) - t, which is a - t for one-hot targets, not t - a."},
))


# ----------------------------------------------------------------------------- minibatch


def _batch_cases():
    rng = _rng("minibatch-layer")
    out = []
    for n_l, n_prev, m in [(3, 4, 8), (3, 4, 1), (2, 2, 5)]:
        args = {"Delta": rng.standard_normal((n_l, m)), "A_prev": rng.standard_normal((n_prev, m))}
        out.append(Case(args, f"Delta {n_l}x{m}, A_prev {n_prev}x{m}", m))
    return out


def _batch_cost(W, b, Delta, A_prev):
    """A cost whose gradient with respect to Z = W A_prev + b 1^T is Delta / m."""
    return float(np.sum(Delta * (W @ A_prev + b))) / A_prev.shape[1]


_register(Exercise(
    name="minibatch-layer", chapter="minibatch", signature="layer_grads(Delta, A_prev)",
    cases=_batch_cases,
    reference=lambda Delta, A_prev: autodiff.affine_vjp_params(A_prev, Delta / Delta.shape[1]),
    parts=lambda r: _pair(r, "grad_W", "grad_b"),
    numerical=lambda Delta, A_prev: (
        gradcheck.numerical_gradient(
            lambda V: _batch_cost(V, np.zeros((Delta.shape[0], 1)), Delta, A_prev),
            np.zeros((Delta.shape[0], A_prev.shape[0]))),
        gradcheck.numerical_gradient(
            lambda v: _batch_cost(np.zeros((Delta.shape[0], A_prev.shape[0])), v, Delta, A_prev),
            np.zeros((Delta.shape[0], 1)))),
    mean=True,
))


# ----------------------------------------------------------------------------- reverse_mode


def _residual(W, b, X, G, uses=("skip", "layer"), f_prime=sigmoid_prime):
    Z = W @ X + b
    grad_X = 0
    if "layer" in uses:
        grad_X = grad_X + W.T @ (f_prime(Z) * G)
    if "skip" in uses:
        grad_X = grad_X + G
    return grad_X


def _residual_cases():
    rng = _rng("reverse-residual")
    out = []
    for n, m in [(3, 4), (3, 1), (2, 5)]:
        args = {"W": rng.standard_normal((n, n)), "b": rng.standard_normal((n, 1)),
                "X": rng.standard_normal((n, m)), "G": rng.standard_normal((n, m))}
        out.append(Case(args, f"n = {n}, a batch of m = {m}", m))
    return out


_ASSIGN = ("{part} keeps only one of the two paths from X: X is used twice, by the skip "
           "connection and by the layer, and the gradients of both uses add (+=, not =).")

_register(Exercise(
    name="reverse-residual", chapter="reverse_mode", signature="residual_vjp(W, b, X, G)",
    cases=_residual_cases,
    reference=lambda W, b, X, G: G + autodiff.affine_vjp(W, autodiff.elementwise_vjp(W @ X + b, G)),
    parts=lambda r: _one(r, "grad_X"),
    numerical=lambda W, b, X, G: gradcheck.numerical_gradient(
        lambda V: float(np.sum(G * (V + sigmoid(W @ V + b)))), X),
    mistakes=[
        Mistake("assign-not-accumulate", lambda W, b, X, G: _residual(W, b, X, G, uses=("layer",)), _ASSIGN),
        Mistake("assign-not-accumulate", lambda W, b, X, G: _residual(W, b, X, G, uses=("skip",)), _ASSIGN),
        Mistake("sigma-for-prime", lambda W, b, X, G: _residual(W, b, X, G, f_prime=sigmoid),
                "{part}: the layer's path multiplies G by sigma(Z) where sigma'(Z) belongs."),
        Mistake("a-for-z", lambda W, b, X, G: G + W.T @ (sigmoid_prime(sigmoid(W @ X + b)) * G),
                "{part}: the layer's path evaluates sigma' at sigma(Z) instead of at Z."),
        Mistake("missing-hadamard", lambda W, b, X, G: G + W.T @ G,
                "{part}: the layer's path skips the activation; its VJP is sigma'(Z) * G "
                "before W^T."),
        Mistake("missing-transpose", lambda W, b, X, G: G + W @ (sigmoid_prime(W @ X + b) * G),
                "{part}: the layer's path goes back through W where W^T belongs."),
    ],
))


def check(name: str, function) -> Report:
    """Check the reader's ``function`` for exercise ``name``; returns a ``Report``.

    The report prints as a short paragraph: "Right: ..." with the relative
    error against central differences, or the first mistake found, named.
    It never raises for a wrong answer; an unknown ``name`` raises ``ValueError``.
    """
    if name not in EXERCISES:
        raise ValueError(f"no exercise {name!r}; the exercises: {', '.join(EXERCISES)}")
    return _check(EXERCISES[name], function)


# --- gradient_cost: memory ---


def _segment(W1, b1, W2, b2, A, G, f_prime=sigmoid_prime, at=None, layers=2, seed=True):
    """grad_A of <G, A^2> for the two-layer segment A^2 = sigma(W2 sigma(W1 A + b1) + b2),
    recomputed from its checkpoint A; the keywords make its mistakes."""
    Z1 = W1 @ A + b1
    Z2 = W2 @ sigmoid(Z1) + b2
    point = (lambda Z: Z) if at is None else at
    grad_Z2 = f_prime(point(Z2)) * (G if seed else np.ones_like(G))
    if layers == 1:
        return W2.T @ grad_Z2
    grad_Z1 = f_prime(point(Z1)) * (W2.T @ grad_Z2)
    return W1.T @ grad_Z1


def _segment_cases():
    rng = _rng("checkpoint-segment")
    out = []
    for n_0, n_1, n_2, m in [(3, 3, 3, 4), (3, 3, 3, 1), (2, 4, 3, 5)]:
        args = {"W1": rng.standard_normal((n_1, n_0)), "b1": rng.standard_normal((n_1, 1)),
                "W2": rng.standard_normal((n_2, n_1)), "b2": rng.standard_normal((n_2, 1)),
                "A": rng.standard_normal((n_0, m)), "G": rng.standard_normal((n_2, m))}
        out.append(Case(args, f"sizes {n_0}-{n_1}-{n_2}, a batch of m = {m}", m))
    return out


_register(Exercise(
    name="checkpoint-segment", chapter="gradient_cost",
    signature="segment_vjp(W1, b1, W2, b2, A, G)",
    cases=_segment_cases,
    reference=lambda W1, b1, W2, b2, A, G: _segment(W1, b1, W2, b2, A, G),
    parts=lambda r: _one(r, "grad_A"),
    numerical=lambda W1, b1, W2, b2, A, G: gradcheck.numerical_gradient(
        lambda V: float(np.sum(G * sigmoid(W2 @ sigmoid(W1 @ V + b1) + b2))), A),
    mistakes=[
        Mistake("one-layer-only", lambda W1, b1, W2, b2, A, G: _segment(W1, b1, W2, b2, A, G,
                                                                           layers=1),
                "{part} goes back through the segment's last layer only: the checkpoint A is "
                "the input of both layers, so the sweep passes through W2 and then W1."),
        Mistake("seed-not-g", lambda W1, b1, W2, b2, A, G: _segment(W1, b1, W2, b2, A, G,
                                                                       seed=False),
                "{part} starts the segment's sweep from ones: it must start from G, the "
                "gradient of the segment's output that the later segments computed."),
        Mistake("sigma-for-prime", lambda W1, b1, W2, b2, A, G: _segment(W1, b1, W2, b2, A, G,
                                                                            f_prime=sigmoid),
                "{part} multiplies by sigma(Z) where sigma'(Z) belongs."),
        Mistake("a-for-z", lambda W1, b1, W2, b2, A, G: _segment(W1, b1, W2, b2, A, G,
                                                                    at=sigmoid),
                "{part} evaluates sigma' at A = sigma(Z) instead of at the recomputed Z."),
        Mistake("missing-transpose",
                lambda W1, b1, W2, b2, A, G: W1 @ (sigmoid_prime(W1 @ A + b1) * (W2 @ (
                    sigmoid_prime(W2 @ sigmoid(W1 @ A + b1) + b2) * G))),
                "{part} goes back through W where W^T belongs."),
    ],
))


# --- second_order: second order ---


def _gn_cases():
    rng = _rng("second-order-gn")
    out = []
    for n_1, n_0, m in [(2, 3, 3), (2, 3, 5), (3, 2, 1)]:   # n_0 = m first: a lost X^T keeps the shape
        args = {"W": rng.standard_normal((n_1, n_0)), "X": rng.standard_normal((n_0, m)),
                "Y": rng.uniform(0, 1, (n_1, m)), "V": rng.standard_normal((n_1, n_0))}
        out.append(Case(args, f"W {n_1}x{n_0}, a batch of m = {m}", m))
    return out


def _gn_layer(W, X, Y, V, residual=False, twice=True, XT=True):
    """G V (or H V with ``residual``) for C(W) = ||sigma(W X) - Y||_F^2 / (2m), done right or wrong."""
    Z = W @ X
    JV = sigmoid_prime(Z) * (V @ X)                       # the JVP, (n_1, m)
    back = sigmoid_prime(Z) * JV if twice else JV         # the VJP of sigma
    if residual:
        back = back + (sigmoid(Z) - Y) * activations.sigmoid_second(Z) * (V @ X)
    return back @ (X.T if XT else X) / X.shape[1]


def _gn_reference(W, X, Y, V):
    zeros = np.zeros((W.shape[0], 1))
    from .. import curvature

    return curvature.gauss_newton_vector_product([(W, zeros)], X, Y, [(V, zeros)])[0][0]


def _gn_numerical(W, X, Y, V, eps=1e-6):
    """J V by a central difference along V, then J^T of J V / m by central differences in W."""
    JV = (sigmoid((W + eps * V) @ X) - sigmoid((W - eps * V) @ X)) / (2 * eps)
    return gradcheck.numerical_gradient(lambda U: float(np.sum(JV * sigmoid(U @ X))) / X.shape[1], W)


_register(Exercise(
    name="second-order-gn", chapter="second_order", signature="gn_product(W, X, Y, V)",
    cases=_gn_cases,
    reference=_gn_reference,
    parts=lambda r: _one(r, "G V"),
    numerical=_gn_numerical,
    mean=True,
    mistakes=[
        Mistake("hessian-not-gn", lambda W, X, Y, V: _gn_layer(W, X, Y, V, residual=True),
                "{part} is H V, the Hessian's product: it keeps the term (A - Y) * sigma''(Z) * "
                "(V X), which carries the residual. The Gauss-Newton matrix drops it: "
                "G V = J^T (J V) / m, and it does not depend on Y."),
        Mistake("sigma-prime-once", lambda W, X, Y, V: _gn_layer(W, X, Y, V, twice=False),
                "{part} applies sigma'(Z) once. J V = sigma'(Z) * (V X) is the JVP; the VJP J^T "
                "applies sigma'(Z) a second time, before the product with X^T."),
        Mistake("missing-transpose", lambda W, X, Y, V: _gn_layer(W, X, Y, V, XT=False),
                "{part} multiplies by X where X^T belongs: the adjoint of dW -> dW X is "
                "U -> U X^T, which has the shape of W."),
    ],
    hints={"factor-2": "{part} is twice the right value: the 1/2 of the cost "
                       "||A - Y||_F^2 / (2m) cancels the 2 of d^2 <R, R> = 2 <dR, dR>.",
           "factor-half": "{part} is half the right value: d^2 <R, R> = 2 <dR, dR>, and the 1/2 "
                          "of the cost cancels that 2 exactly once."},
))


# --- relu: relu ---


def _relu_layer(W, b, X, G, f_prime=activations.relu_prime, WT=True, hadamard=True):
    Z = W @ X + b
    U = f_prime(Z) * G if hadamard else G
    return (W.T if WT else W) @ U


def _relu_cases():
    rng = _rng("relu-layer-vjp")
    out = []
    for n_1, n_0, m in [(3, 3, 4), (3, 2, 1), (2, 4, 5)]:
        args = {"W": rng.standard_normal((n_1, n_0)), "b": rng.standard_normal((n_1, 1)),
                "X": rng.standard_normal((n_0, m)), "G": rng.standard_normal((n_1, m))}
        out.append(Case(args, f"W {n_1}x{n_0}, a batch of m = {m}", m))
    # small integers: W X + b is exact, and 4 of its entries are exactly 0, on the kink; no
    # central differences there (they would straddle it)
    W = np.array([[1.0, -1.0, 2.0], [2.0, 1.0, 0.0], [-1.0, 1.0, 1.0]])
    X = np.array([[1.0, 0.0, 2.0, 1.0], [1.0, 2.0, -1.0, 0.0], [0.0, 1.0, 1.0, -1.0]])
    b = np.array([[0.0], [-2.0], [-1.0]])
    G = rng.standard_normal((3, 4))
    out.append(Case({"W": W, "b": b, "X": X, "G": G},
                    "W 3x3, a batch of m = 4 with Z exactly 0 in 4 entries", 4,
                    frozenset({"skip-numerical"})))
    return out


_register(Exercise(
    name="relu-layer-vjp", chapter="relu", signature="relu_layer_vjp(W, b, X, G)",
    cases=_relu_cases,
    reference=lambda W, b, X, G: autodiff.affine_vjp(
        W, autodiff.elementwise_vjp(W @ X + b, G, activation="relu")),
    parts=lambda r: _one(r, "grad_X"),
    numerical=lambda W, b, X, G: gradcheck.numerical_gradient(
        lambda V: float(np.sum(G * activations.relu(W @ V + b))), X),
    mistakes=[
        Mistake("relu-for-prime", lambda W, b, X, G: _relu_layer(W, b, X, G, f_prime=activations.relu),
                "{part} multiplies G by relu(Z), the activation, where its derivative belongs: "
                "relu'(Z) is 1 where Z > 0 and 0 elsewhere, a mask, not the values of Z."),
        Mistake("kink-as-one", lambda W, b, X, G: _relu_layer(
                    W, b, X, G, f_prime=lambda Z: (Z >= 0).astype(float)),
                "{part} takes relu'(0) = 1 (Z >= 0 where Z > 0 belongs): at the kink the book, "
                "like PyTorch, takes relu'(0) = 0. Both values are slopes of lines that touch "
                "ReLU at 0, but a check against PyTorch needs the same convention."),
        Mistake("kink-as-half", lambda W, b, X, G: _relu_layer(
                    W, b, X, G, f_prime=lambda Z: np.where(Z == 0, 0.5, (Z > 0) * 1.0)),
                "{part} takes relu'(0) = 1/2, the mean of the two slopes, which is what a "
                "central difference measures on the kink; backpropagation in the book, like "
                "PyTorch, takes relu'(0) = 0."),
        Mistake("missing-transpose", lambda W, b, X, G: _relu_layer(W, b, X, G, WT=False),
                "{part} goes back through W where W^T belongs: the VJP of z = W x + b with "
                "respect to x is W^T times the gradient of z."),
        Mistake("missing-hadamard", lambda W, b, X, G: _relu_layer(W, b, X, G, hadamard=False),
                "{part} is W^T G: it skips the activation. Between the layer's output and W "
                "comes the VJP of ReLU, relu'(Z) * G, which zeroes the entries of the units "
                "that are off."),
    ],
))
