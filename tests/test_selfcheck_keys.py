"""Every numeric answer key of the self-checks, recomputed independently of the package.

A key function in ``backprop.practice.keys.CHAPTER`` computes its value with the
package; each test here derives the same number another way (SymPy, a closed form,
or plain NumPy written out), so that a key cannot silently drift from the chapter.
"""

import numpy as np
import pytest
import sympy as sp

from backprop.practice import selfcheck


def key(chapter, name):
    return selfcheck.key_value(chapter, name)


# ---------------------------------------------------------------- notation

def test_notation_parameter_count():
    sizes = [3, 4, 2]
    pairs = list(zip(sizes[:-1], sizes[1:]))                # (n_{l-1}, n_l) per layer
    weights = sum(n_in * n_out for n_in, n_out in pairs)    # W^l: (n_l, n_{l-1})
    biases = sum(n_out for _, n_out in pairs)               # b^l: (n_l, 1)
    assert key("notation", "parameter_count") == weights + biases == 26
    assert key("notation", "weight_count") == weights == 20
    assert key("notation", "bias_per_input_count") == weights + sum(n_in for n_in, _ in pairs) == 27


# ---------------------------------------------------------------- gradient

def test_gradient_bowl_thresholds():
    H = sp.Matrix([[sp.Rational(5, 2), sp.Rational(3, 2)], [sp.Rational(3, 2), sp.Rational(5, 2)]])
    lam_max = max(H.eigenvals())
    assert key("gradient", "bowl_divergence_eta") == pytest.approx(float(2 / lam_max), abs=1e-12)
    assert key("gradient", "bowl_oscillation_eta") == pytest.approx(float(1 / lam_max), abs=1e-12)


# ---------------------------------------------------------------- jacobian

def test_jacobian_softmax_entries():
    z = sp.symbols("z_1:4", real=True)
    a = [sp.exp(zi) / sum(sp.exp(zk) for zk in z) for zi in z]
    at_zero = {zi: 0 for zi in z}
    diagonal = sp.simplify(a[0].diff(z[0]).subs(at_zero))
    off_diagonal = sp.simplify(a[0].diff(z[1]).subs(at_zero))
    t = sp.Symbol("t")
    sigmoid_slope = sp.simplify((1 / (1 + sp.exp(-t))).diff(t).subs(t, 0))
    assert diagonal == sp.Rational(2, 9) and off_diagonal == -sp.Rational(1, 9)
    assert key("jacobian", "softmax_diagonal_entry") == pytest.approx(float(diagonal), abs=1e-15)
    assert key("jacobian", "softmax_output") == pytest.approx(float(a[0].subs(at_zero)), abs=1e-15)
    assert key("jacobian", "softmax_off_diagonal_entry") == pytest.approx(float(off_diagonal), abs=1e-15)
    assert key("jacobian", "sigmoid_slope_at_zero") == pytest.approx(float(sigmoid_slope), abs=1e-15)


# ---------------------------------------------------------------- hadamard

def test_hadamard_output_error():
    t = sp.Symbol("t")                                         # the pre-activation z
    sig = 1 / (1 + sp.exp(-t))
    z, y = 0, 1
    loss = (sig - y) ** 2 / 2
    delta = float(loss.diff(t).subs(t, z))                     # d loss / dz at z = 0
    a = sig.subs(t, z)
    assert delta == pytest.approx(-1 / 8, abs=1e-15)
    assert key("hadamard", "output_error") == pytest.approx(delta, abs=1e-15)
    assert key("hadamard", "output_residual") == pytest.approx(float(a - y), abs=1e-15)
    assert key("hadamard", "output_error_flipped") == pytest.approx(-delta, abs=1e-15)
    slope_at_a = sig.diff(t).subs(t, a)                        # sigma' at a = 1/2, not at z
    assert key("hadamard", "output_error_slope_at_a") == pytest.approx(float((a - y) * slope_at_a), abs=1e-15)


def test_hadamard_bias_gradient():
    w, b = sp.symbols("w b", real=True)
    xs, ys = [1, 3, 2], [1, 1, 0]
    m = len(xs)
    outputs = [1 / (1 + sp.exp(-(w * x + b))) for x in xs]
    cost = sum((a - y) ** 2 for a, y in zip(outputs, ys)) / (2 * m)
    at_zero = {w: 0, b: 0}
    grad_b = float(cost.diff(b).subs(at_zero))
    assert grad_b == pytest.approx(-1 / 24, abs=1e-15)
    assert key("hadamard", "bias_gradient") == pytest.approx(grad_b, abs=1e-15)
    assert key("hadamard", "bias_gradient_summed") == pytest.approx(m * grad_b, abs=1e-15)
    assert key("hadamard", "weight_gradient") == pytest.approx(float(cost.diff(w).subs(at_zero)), abs=1e-15)
    residual_mean = sum(a.subs(at_zero) - y for a, y in zip(outputs, ys)) / m
    assert key("hadamard", "bias_gradient_without_slope") == pytest.approx(float(residual_mean), abs=1e-15)


# ---------------------------------------------------------------- vjp_jvp

def test_vjp_jvp_chain_cost_ratios():
    # closed form: K factors N x N; materialize (K - 1) N^3 + N^2, a chain of VJPs K N^2
    K, N = 3, 100
    materialize = (K - 1) * N**3 + N**2
    assert key("vjp_jvp", "chain_materialize_over_vjps") == pytest.approx(materialize / (K * N**2), abs=1e-12)
    assert key("vjp_jvp", "chain_materialize_over_one_vjp") == pytest.approx(materialize / N**2, abs=1e-12)
    assert key("vjp_jvp", "chain_cubic_over_quadratic") == pytest.approx(N**3 / N**2, abs=1e-12)
    assert materialize / (K * N**2) == pytest.approx(67.0, abs=1e-12)


# ---------------------------------------------------------------- differentials

def test_differentials_logdet_entry():
    # SymPy, exact: differentiate ln det X entry by entry, then evaluate at X = [[2, 1], [0, 1]]
    X = sp.Matrix(2, 2, sp.symbols("x11 x12 x21 x22"))
    at = dict(zip(X, [2, 1, 0, 1]))
    grad = X.applyfunc(lambda xij: sp.diff(sp.log(X.det()), xij)).subs(at)
    grad_det = X.applyfunc(lambda xij: sp.diff(X.det(), xij)).subs(at)
    assert key("differentials", "logdet_grad_21") == pytest.approx(float(grad[1, 0]), abs=1e-12)
    assert key("differentials", "logdet_inverse_21") == pytest.approx(float(X.subs(at).inv()[1, 0]), abs=1e-12)
    assert key("differentials", "logdet_det_grad_21") == pytest.approx(float(grad_det[1, 0]), abs=1e-12)


def test_differentials_backprop_cost():
    # closed form for sizes 10-20-20-5, m = 50: an (r, s) @ (s, t) product costs r s t
    m = 50
    forward = 20 * 10 * m + 20 * 20 * m + 5 * 20 * m          # W^l A^{l-1}
    weights = forward                                           # Delta^l (A^{l-1})^T, the same counts
    errors = 20 * 5 * m + 20 * 20 * m                           # (W^3)^T Delta^3, (W^2)^T Delta^2
    first = 10 * 20 * m                                         # (W^1)^T Delta^1
    assert key("differentials", "backprop_over_forward") == pytest.approx((forward + weights + errors) / forward)
    assert key("differentials", "backprop_with_first_layer_error") == pytest.approx(
        (forward + weights + errors + first) / forward)
    assert key("differentials", "backprop_weights_only") == pytest.approx(2.0)
    assert key("differentials", "backward_only_over_forward") == pytest.approx((weights + errors) / forward)
    assert (forward + weights + errors) / forward == pytest.approx(19 / 7)


# ---------------------------------------------------------------- one_neuron

def test_one_neuron_first_step():
    # SymPy, exact: one step of w <- w - eta dC/dw on C = (w x - y)^2 from the thread's numbers
    w = sp.Symbol("w")
    x, y, w0, eta = sp.Rational(57, 10), sp.Rational(501, 10), sp.Rational(-231, 10), sp.Rational(7, 1000)
    dC = sp.diff((w * x - y) ** 2, w).subs(w, w0)
    assert key("one_neuron", "first_update") == pytest.approx(float(w0 - eta * dC), abs=1e-12)
    assert key("one_neuron", "first_update_ascent") == pytest.approx(float(w0 + eta * dC), abs=1e-12)
    dC_half = sp.diff((w * x - y) ** 2 / 2, w).subs(w, w0)
    assert key("one_neuron", "first_update_halved_cost") == pytest.approx(float(w0 - eta * dC_half), abs=1e-12)
    a1 = w0 * x                                   # the output in place of the input x
    assert key("one_neuron", "first_update_output_factor") == pytest.approx(
        float(w0 - eta * 2 * (a1 - y) * a1), abs=1e-9)
    assert float(w0 - eta * dC) == pytest.approx(-8.5948, abs=5e-5)   # the thread's printed w_1


def test_one_neuron_thresholds():
    # SymPy: r = 1 - 2 eta x^2 for x = 2; overshoot for r < 0, divergence for r < -1
    eta = sp.Symbol("eta", positive=True)
    r = 1 - 2 * eta * 2**2
    assert key("one_neuron", "divergence_eta") == pytest.approx(float(sp.solve(sp.Eq(r, -1), eta)[0]), abs=1e-12)
    assert key("one_neuron", "oscillation_eta") == pytest.approx(float(sp.solve(sp.Eq(r, 0), eta)[0]), abs=1e-12)
    r_half = 1 - eta * 2**2                       # the halved cost (w x - y)^2 / 2
    assert key("one_neuron", "divergence_eta_halved_cost") == pytest.approx(
        float(sp.solve(sp.Eq(r_half, -1), eta)[0]), abs=1e-12)


# ---------------------------------------------------------------- two_layer

def test_two_layer_bias_batch():
    # NumPy written out: one sigmoid neuron, W = 0, b = 0, targets (1, 0, 0, 0, 0), loss (a - y)^2 / 2
    y = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    m = y.size
    a = 1 / (1 + np.exp(-0.0))                    # sigma(0) = 1/2 for every example
    slope = a * (1 - a)                           # sigma'(0) = 1/4
    delta = (a - y) * slope                       # (B1), one error per example
    assert key("two_layer", "bias_grad") == pytest.approx(delta.sum() / m, abs=1e-15)
    assert key("two_layer", "bias_grad_summed") == pytest.approx(delta.sum(), abs=1e-15)
    assert key("two_layer", "bias_grad_without_slope") == pytest.approx(np.mean(a - y), abs=1e-15)
    assert key("two_layer", "bias_grad_wrong_sign") == pytest.approx(np.mean((y - a) * slope), abs=1e-15)
    assert key("two_layer", "bias_grad_last_example") == pytest.approx(delta[-1] / m, abs=1e-15)
    assert delta.sum() / m == pytest.approx(0.075, abs=1e-15)


# ---------------------------------------------------------------- softmax_ce

def test_softmax_ce_two_label_target():
    # SymPy, exact: a = softmax(z) for z = (2, 1, 1/2, -1), t = (1, 1, 0, 0), summing to 2
    z = [sp.Integer(2), sp.Integer(1), sp.Rational(1, 2), sp.Integer(-1)]
    t = [1, 1, 0, 0]
    a1 = sp.exp(z[0]) / sum(sp.exp(zk) for zk in z)
    # the loss as a function of the logits, differentiated symbolically, then evaluated at z
    w = sp.symbols("w1:5")
    ell = -sum(tk * sp.log(sp.exp(wk) / sum(sp.exp(wj) for wj in w)) for tk, wk in zip(t, w))
    delta1 = sp.diff(ell, w[0]).subs(dict(zip(w, z)))
    assert key("softmax_ce", "two_label_delta_1") == pytest.approx(float(delta1), abs=1e-12)
    assert float(delta1) == pytest.approx(float(2 * a1 - 1), abs=1e-12)
    assert key("softmax_ce", "two_label_shortcut_1") == pytest.approx(float(a1 - 1), abs=1e-12)
    assert key("softmax_ce", "two_label_normalised_1") == pytest.approx(float(a1 - sp.Rational(1, 2)), abs=1e-12)
    assert key("softmax_ce", "two_label_grad_a_1") == pytest.approx(float(-1 / a1), abs=1e-12)
    # and NumPy written out: the general formula a (1^T t) - t
    z_np, t_np = np.array([2.0, 1.0, 0.5, -1.0]), np.array([1.0, 1.0, 0.0, 0.0])
    a_np = np.exp(z_np) / np.exp(z_np).sum()
    assert key("softmax_ce", "two_label_delta_1") == pytest.approx((a_np * t_np.sum() - t_np)[0], abs=1e-12)


# ---------------------------------------------------------------- minibatch

def test_minibatch_step_multiply_adds():
    # closed form for sizes (784, 100, 10): n_l n_{l-1} multiply-adds per product and example
    n0, n1, n2 = 784, 100, 10
    forward = n1 * n0 + n2 * n1
    assert key("minibatch", "step_multiply_adds") == 3 * forward - n1 * n0
    assert key("minibatch", "step_multiply_adds_with_input_error") == 3 * forward
    assert key("minibatch", "step_flops_per_example") == 2 * (3 * forward - n1 * n0)
    assert key("minibatch", "forward_multiply_adds") == forward


def test_minibatch_summed_cost_learning_rate():
    # the summed cost sum_k l_k = m C: its step with eta is the mean cost's step with m eta
    m, eta = 16, 0.5
    assert key("minibatch", "summed_effective_eta") == pytest.approx(m * eta, abs=1e-12)
    assert key("minibatch", "summed_divided_eta") == pytest.approx(eta / m, abs=1e-12)
    assert key("minibatch", "unchanged_eta") == eta


# ---------------------------------------------------------------- reverse_mode

def test_reverse_mode_fork():
    # SymPy: c = (w_out sigma(w_in x))^2, each use's partial and their sum at w = 1, x = 2
    w, w_in, w_out, x = sp.symbols("w w_in w_out x")
    c_two = (w_out / (1 + sp.exp(-w_in * x))) ** 2
    at = {w_in: 1, w_out: 1, x: 2}
    inner = float(c_two.diff(w_in).subs(at))
    outer = float(c_two.diff(w_out).subs(at))
    total = float(c_two.subs({w_in: w, w_out: w}).diff(w).subs({w: 1, x: 2}))
    assert key("reverse_mode", "fork_grad") == pytest.approx(total, abs=1e-12)
    assert key("reverse_mode", "fork_grad_inner") == pytest.approx(inner, abs=1e-12)
    assert key("reverse_mode", "fork_grad_outer") == pytest.approx(outer, abs=1e-12)
    assert total == pytest.approx(inner + outer, abs=1e-12)


def test_every_numeric_key_is_tested_here():
    """Each key a quiz file names has a test in this file that mentions it."""
    source = open(__file__, encoding="utf-8").read()
    for chapter in selfcheck.chapters():
        for q in selfcheck.load(chapter)["questions"]:
            if q["kind"] == "numeric":
                for name in [q["key"]] + [w["key"] for w in q.get("wrong", [])]:
                    assert f'"{chapter}", "{name}"' in source, f"no test recomputes {chapter}.{name}"



# ---------------------------------------------------------------- second_order: second order

def test_second_order_second_least_squares():
    # SymPy: the Hessian of ||W X - Y||_F^2 / (2m) for W a row, and its largest eigenvalue
    w1, w2 = sp.symbols("w1 w2")
    X = sp.Matrix([[1, 2, 0], [0, 1, 1]])
    Y = sp.Matrix([[sp.Symbol(f"y{i}") for i in range(3)]])
    R = sp.Matrix([[w1, w2]]) * X - Y
    C = sum(R.multiply_elementwise(R)) / (2 * 3)
    lam_max = max(sp.hessian(C, (w1, w2)).eigenvals())
    assert lam_max == 2
    assert key("second_order", "second_ls_lam_max") == pytest.approx(float(lam_max), abs=1e-12)
    assert key("second_order", "second_ls_lam_max_without_1_over_m") == pytest.approx(6.0, abs=1e-12)
    assert key("second_order", "second_ls_lam_max_twice") == pytest.approx(4.0, abs=1e-12)


def test_second_order_second_neuron():
    # SymPy: C(w) = (sigma(w x + b) - y)^2 / 2 at w = 1, b = 0, x = 1, y = 0
    w = sp.Symbol("w")
    a = 1 / (1 + sp.exp(-w))
    hessian = float(((a - 0) ** 2 / 2).diff(w, 2).subs(w, 1))
    jacobian = float(a.diff(w).subs(w, 1))
    assert key("second_order", "second_neuron_gn") == pytest.approx(jacobian ** 2, abs=1e-12)
    assert key("second_order", "second_neuron_hessian") == pytest.approx(hessian, abs=1e-12)
    assert key("second_order", "second_neuron_gn_unsquared") == pytest.approx(jacobian, abs=1e-12)
    assert hessian < 0 < jacobian ** 2


# ---------------------------------------------------------------- relu: relu

def test_relu_relu_differences():
    # SymPy: the central difference of Max(z, 0) with step h, on the kink and at 0 < z < h
    z, h = sp.symbols("z h", positive=True)
    relu = lambda t: sp.Max(t, 0)  # noqa: E731
    on_kink = sp.simplify((relu(h) - relu(-h)) / (2 * h))
    assert on_kink == sp.Rational(1, 2)
    near = ((z + h) - 0) / (2 * h)                          # z - h < 0 when z < h
    assert key("relu", "relu_kink_difference") == pytest.approx(0.5, abs=1e-12)
    assert key("relu", "relu_near_kink_difference") == pytest.approx(
        float(near.subs({z: 0.004, h: 0.01})), abs=1e-9)
    assert key("relu", "relu_left_slope") == 0.0
    assert key("relu", "relu_right_slope") == 1.0
    assert key("relu", "relu_near_kink_derivative") == 1.0


def test_relu_relu_bias_gradient():
    x, g = [-2.0, -1.0, 0.0, 1.0, 3.0], 0.2
    assert key("relu", "relu_bias_grad") == pytest.approx(sum(g for v in x if v > 0))
    assert key("relu", "relu_bias_grad_kink_as_one") == pytest.approx(
        sum(g for v in x if v >= 0))
    assert key("relu", "relu_bias_grad_kink_as_half") == pytest.approx(
        sum(g for v in x if v > 0) + g / 2)
    assert key("relu", "relu_bias_grad_no_mask") == pytest.approx(g * len(x))


def test_relu_dead_step():
    """The dead unit's bias does not move; a live unit's does."""
    from backprop.practice.keys import relu as keys

    start, moved = keys._dead_step()
    Z1 = start[0][0] @ keys.RELU_DEAD_X + start[0][1]
    assert np.all(Z1[0] <= 0) and np.all(Z1[1:].max(axis=1) > 0)   # unit 1 dead, the others not
    assert key("relu", "relu_dead_bias_change") == 0.0
    assert np.array_equal(moved[0][0][0], start[0][0][0])
    assert key("relu", "relu_live_bias_change") > 1e-3


# ---------------------------------------------------------------- gradient_cost

def test_gradient_cost_memory_counts():
    # 10-20-20-5, m = 50: X, then Z^l and A^l per layer, written out
    assert key("gradient_cost", "memory_kept_floats") == 10 * 50 + 2 * (20 + 20 + 5) * 50 == 5000
    assert key("gradient_cost", "memory_kept_without_z") == 10 * 50 + (20 + 20 + 5) * 50
    assert key("gradient_cost", "memory_kept_per_example") == 10 + 2 * (20 + 20 + 5)
    assert key("gradient_cost", "memory_kept_without_input") == 2 * (20 + 20 + 5) * 50
    # L = 25, k = 5: five checkpoints and the five layers of the last segment
    assert key("gradient_cost", "memory_held_at_peak") == 5 + 5
    assert key("gradient_cost", "memory_held_without_checkpointing") == 26
    assert key("gradient_cost", "memory_checkpoints_only") == 5
