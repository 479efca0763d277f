"""The claims of the errata appendix (chapters/app_errata.ipynb and its pages per source
document, chapters/app_errata_*.ipynb), pinned down with PyTorch.

Each test checks a correction stated in the appendix twice, against PyTorch
autograd and against central finite differences in float64, and where it
means something also checks that the source document's version disagrees.
"""

import numpy as np
import pytest

from backprop import activations, errata, gradcheck, jacobian, losses, network


def _t(torch, array):
    """A float64 tensor that records gradients, from a NumPy array."""
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def test_squared_error_gradient_is_a_minus_t(torch, rng):
    a = rng.random((4, 1))
    t = rng.random((4, 1))
    a_t = _t(torch, a)
    (0.5 * torch.sum((torch.tensor(t) - a_t) ** 2)).backward()
    auto = a_t.grad.numpy()
    fd = gradcheck.numerical_gradient(lambda v: losses.squared_error(v, t).item(), a)
    assert np.allclose(auto, a - t) and np.allclose(fd, a - t, atol=1e-8)
    assert not np.allclose(auto, t - a)                      # the notes' sign
    assert np.allclose(losses.squared_error_grad(a, t), auto)


def test_derivative_of_a_times_w_is_the_input(torch):
    a_in, w0, target = 5.7, -23.1, 50.1                       # the thread's numbers
    w = _t(torch, w0)
    (w * a_in).backward()
    assert w.grad.item() == pytest.approx(a_in)
    assert w.grad.item() != pytest.approx(a_in * w0)          # the output, as the thread states
    w = _t(torch, w0)
    ((a_in * w - target) ** 2).backward()
    assert w.grad.item() == pytest.approx(a_in * 2 * (a_in * w0 - target))


def test_thread_two_weight_formula_and_label(torch):
    x0, w1_0, w2_0, target = 5.7, 0.4, -2.3, 50.1
    w1, w2 = _t(torch, w1_0), _t(torch, w2_0)
    ((w2 * w1 * x0 - target) ** 2).backward()
    a_L = w2_0 * w1_0 * x0
    thread_final = x0 * w2_0 * 2 * (a_L - target)            # a^(L-2) W^(L) 2(a^(L) - a*)
    assert w1.grad.item() == pytest.approx(thread_final)      # it is dC/dW^(L-1) ...
    assert w2.grad.item() != pytest.approx(thread_final)      # ... not dC/dW^(L) as labelled
    fd = gradcheck.numerical_gradient(lambda v: (w2_0 * v[0] * x0 - target) ** 2, np.array([w1_0]))
    assert fd[0] == pytest.approx(thread_final, rel=1e-7)


def test_softmax_jacobian_numerator_layout_and_zero_row_sums(torch, rng):
    z = rng.standard_normal(5)
    J_auto = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0),
                                                torch.tensor(z)).numpy()
    a = activations.softmax(z)
    J = np.diag(a) - np.outer(a, a)
    assert np.allclose(J_auto, J) and np.allclose(jacobian.softmax_jacobian(z), J)
    assert np.allclose(jacobian.numerical_jacobian(activations.softmax, z), J, atol=1e-8)
    assert np.allclose(J.sum(axis=1), 0)                     # the "column of sums" is zero
    assert np.abs(J).max() > 0.01


@pytest.mark.parametrize("t", [[0.5, 0.9, 0.0, 0.3], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
def test_softmax_cross_entropy_general_gradient(torch, rng, t):
    base = 2.0
    z = rng.standard_normal((4, 1))
    t = np.array(t).reshape(4, 1)
    z_t = _t(torch, z)
    (-torch.sum(torch.tensor(t) * torch.log_softmax(z_t, dim=0)) / np.log(base)).backward()
    a = activations.softmax(z)
    general = (a * t.sum() - t) / np.log(base)
    fd = gradcheck.numerical_gradient(
        lambda v: losses.cross_entropy_with_logits(v, t, base).item(), z)
    assert np.allclose(z_t.grad.numpy(), general) and np.allclose(fd, general, atol=1e-8)
    shortcut_ok = np.allclose(z_t.grad.numpy(), (a - t) / np.log(base))
    assert shortcut_ok == bool(np.isclose(t.sum(), 1.0))     # the shortcut needs sum(t) = 1


def _two_layer(torch, params, x, y):
    """Autograd gradients of the book's two-layer sigmoid network with squared error."""
    tensors = [(_t(torch, W), _t(torch, b)) for W, b in params]
    a = torch.tensor(x)
    for W, b in tensors:
        a = torch.sigmoid(W @ a + b)
    (0.5 * torch.sum((a - torch.tensor(y)) ** 2)).backward()
    return [(W.grad.numpy(), b.grad.numpy()) for W, b in tensors]


def test_backprop_needs_the_transpose_and_the_input_of_the_layer(torch, rng):
    sig, sig_prime = activations.sigmoid, activations.sigmoid_prime
    for sizes in ([3, 4, 2], [3, 3, 3]):                     # different widths, and the notes' square case
        params = network.init_params(sizes, seed=7)
        params = [(W, b + 0.2) for W, b in params]
        (W1, b1), (W2, b2) = params
        x = rng.standard_normal((sizes[0], 1))
        y = rng.random((sizes[2], 1))
        (gW1, gb1), (gW2, gb2) = _two_layer(torch, params, x, y)
        z1 = W1 @ x + b1
        a1 = sig(z1)
        z2 = W2 @ a1 + b2
        delta2 = (sig(z2) - y) * sig_prime(z2)
        delta1 = (W2.T @ delta2) * sig_prime(z1)
        assert np.allclose(delta2 @ a1.T, gW2) and np.allclose(delta2, gb2)
        assert np.allclose(delta1 @ x.T, gW1) and np.allclose(delta1, gb1)
        if sizes[0] == sizes[1] == sizes[2]:
            assert not np.allclose(((W2 @ delta2) * sig_prime(z1)) @ x.T, gW1)   # missing transpose
            assert not np.allclose(delta1 @ a1.T, gW1)                          # a^{L-1} for a^{L-2}
        else:
            with pytest.raises(ValueError):
                W2 @ delta2
        assert gradcheck.check_grads(params, x, y) < 1e-7


def test_notes_sign_climbs_the_cost(torch, rng):
    params = network.init_params([3, 4, 2], seed=11)
    x, y = rng.standard_normal((3, 1)), np.array([[0.9], [0.1]])
    grads = _two_layer(torch, params, x, y)
    eta = 0.5
    before = network.cost(params, x, y)
    down = network.cost([(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)], x, y)
    up = network.cost([(W + eta * gW, b + eta * gb) for (W, b), (gW, gb) in zip(params, grads)], x, y)
    assert down < before < up


def test_dz_dW_has_three_indices(torch, rng):
    W = rng.standard_normal((2, 3))
    a = rng.standard_normal((3, 1))
    b = rng.standard_normal((2, 1))
    J = torch.autograd.functional.jacobian(lambda V: V @ torch.tensor(a) + torch.tensor(b),
                                           torch.tensor(W)).numpy()
    assert J.shape == (2, 1, 2, 3)                           # z is (2, 1), W is (2, 3)
    expected = np.einsum("ij,k->ijk", np.eye(2), a[:, 0])
    assert np.allclose(J[:, 0], expected)
    delta = rng.standard_normal((2, 1))
    assert np.allclose(np.einsum("i,ijk->jk", delta[:, 0], J[:, 0]), delta @ a.T)
    J_b = torch.autograd.functional.jacobian(lambda c: torch.tensor(W @ a) + c,
                                             torch.tensor(b[:, 0])).numpy()
    assert np.allclose(J_b, np.eye(2))                       # the identity, not the number 1


def test_sigmoid_derivative_and_diagonal_jacobian(torch, rng):
    z = rng.standard_normal(5)
    J = torch.autograd.functional.jacobian(torch.sigmoid, torch.tensor(z)).numpy()
    s = activations.sigmoid(z)
    assert np.allclose(J, np.diag(s * (1 - s)))
    assert np.allclose(activations.sigmoid_prime(z), s * (1 - s))


def test_batch_gradient_has_one_over_m(torch, rng):
    params = network.init_params([3, 4, 2], seed=2)
    X, Y = rng.standard_normal((3, 6)), rng.random((2, 6))
    tensors = [(_t(torch, W), _t(torch, b)) for W, b in params]
    A = torch.tensor(X)
    for W, b in tensors:
        A = torch.sigmoid(W @ A + b)
    (0.5 * torch.sum((A - torch.tensor(Y)) ** 2) / 6).backward()     # the mean over the batch
    _, grads = network.loss_and_grads(params, X, Y)
    for (W, b), (gW, gb) in zip(tensors, grads):
        assert np.allclose(W.grad.numpy(), gW) and np.allclose(b.grad.numpy(), gb)


def test_small_example_is_the_network_the_pages_describe(torch):
    """``errata.small_example``: the 3-4-2 network of the matrix chapter's and the notes' pages."""
    net = errata.small_example()
    (W1, b1), (W2, b2) = net.params
    assert [W1.shape, b1.shape, W2.shape, b2.shape] == [(4, 3), (4, 1), (2, 4), (2, 1)]
    assert net.x.shape == (3, 1) and np.allclose(net.y, [[0.9], [0.1]])
    assert np.abs(b1).min() > 0 and np.abs(b2).min() > 0               # nonzero biases
    assert np.allclose(net.z1, W1 @ net.x + b1) and np.allclose(net.a2, activations.sigmoid(net.z2))
    (gW1, gb1), (gW2, gb2) = _two_layer(torch, net.params, net.x, net.y)
    assert np.allclose(net.delta2, gb2) and np.allclose(net.delta1, gb1)
    for (gW, gb), (auto_W, auto_b) in zip(net.grads, [(gW1, gb1), (gW2, gb2)]):
        assert np.allclose(gW, auto_W) and np.allclose(gb, auto_b)
    again = errata.small_example()
    assert all(np.array_equal(u, v) for u, v in zip([net.x, net.a2], [again.x, again.a2]))


def test_whole_jacobian_is_n_sweeps_and_the_loss_needs_one(torch, rng):
    """Matrix chapter, VJP and JVP: multiplying the Jacobians first, from the left, is
    reverse mode with N unit rows as seeds (from the right, forward mode with N unit
    columns); either forms the whole Jacobian at N^3 multiply-adds per product, while
    the loss's row needs one VJP sweep at N^2 per factor."""
    from backprop import autodiff

    N = 5
    A, B, M = (torch.tensor(rng.standard_normal((N, N))) for _ in range(3))
    chain = lambda x: torch.tanh(A @ torch.sin(B @ (M @ x)))   # y = f(g(h(x)))
    x = torch.tensor(rng.standard_normal(N))
    J = torch.autograd.functional.jacobian(chain, x).numpy()
    rows = np.stack([torch.autograd.functional.vjp(chain, x, e)[1].numpy()
                     for e in torch.eye(N)])
    cols = np.stack([torch.autograd.functional.jvp(chain, x, e)[1].numpy()
                     for e in torch.eye(N)], axis=1)
    assert np.allclose(rows, J) and np.allclose(cols, J)
    w = rng.standard_normal(N)
    x_t = x.clone().requires_grad_(True)
    (torch.tensor(w) @ chain(x_t)).backward()                  # a scalar loss, one sweep
    assert np.allclose(x_t.grad.numpy(), w @ J)
    count = autodiff.multiply_adds
    whole = count([(N, N)] * 3, "left")
    assert whole == count([(N, N)] * 3, "right") == N * count([(1, N), (N, N), (N, N)], "left")
    assert (whole, count([(1, N)] + [(N, N)] * 3, "left")) == (2 * N**3, 3 * N**2)


def test_vjp_is_j_transpose_v_and_a_gradient_is_a_reshaped_jacobian_row(torch):
    """Matrix chapter: the VJP through z = W a + b is W^T delta (W delta is a shape error),
    and the gradient of the cost by W^1 is its one-row Jacobian, reshaped to W^1's shape."""
    net = errata.small_example()
    (W1, b1), (W2, b2) = net.params
    a1 = _t(torch, net.a1)
    z2 = torch.tensor(W2) @ a1 + torch.tensor(b2)
    (0.5 * torch.sum((torch.sigmoid(z2) - torch.tensor(net.y)) ** 2)).backward()
    assert np.allclose(a1.grad.numpy(), W2.T @ net.delta2)
    with pytest.raises(ValueError):
        W2 @ net.delta2

    def cost_of(w_flat):
        a = torch.sigmoid(w_flat.reshape(W1.shape) @ torch.tensor(net.x) + torch.tensor(b1))
        a = torch.sigmoid(torch.tensor(W2) @ a + torch.tensor(b2))
        return (0.5 * torch.sum((a - torch.tensor(net.y)) ** 2)).reshape(1)

    J = torch.autograd.functional.jacobian(cost_of, torch.tensor(W1.reshape(-1))).numpy()
    grad_W1 = net.grads[0][0]
    assert J.shape == (1, W1.size) and grad_W1.shape == W1.shape
    assert np.allclose(J.reshape(W1.shape), grad_W1)


def test_ratio_map_row_sums_vanish_only_on_the_line_of_ones(torch, rng):
    """Notes, appendix B: z / sum(z) has zero column sums, and row sums (s 1 - n z) / s^2,
    zero only for z = c 1."""
    ratio = lambda v: v / v.sum()
    for z in (rng.uniform(0.5, 2.0, 4), np.array([1.0, 2.0, 1.0, 1.0]), np.full(4, 0.7)):
        J = torch.autograd.functional.jacobian(ratio, torch.tensor(z)).numpy()
        s = z.sum()
        assert np.allclose(J.sum(axis=0), 0)
        assert np.allclose(J.sum(axis=1), (s - 4 * z) / s**2)
        on_the_line = np.allclose(z, z[0])
        assert np.allclose(J.sum(axis=1), 0) == on_the_line
    J = torch.autograd.functional.jacobian(ratio, torch.tensor([1.0, 2.0, 1.0, 1.0])).numpy()
    assert np.allclose(J.sum(axis=1), np.array([1, -3, 1, 1]) / 25)


def test_cross_entropy_gradient_is_minus_t_oslash_a_and_the_brackets_flip_a_sign(torch):
    """Notes, appendix A: the gradient of -sum t_i log_b a_i is -t ⊘ a / ln b; with the
    minus sign on the first two terms only, the last entry changes sign."""
    base = 2.0
    t = np.array([0.2, 0.5, 0.3])
    a = _t(torch, [0.1, 0.6, 0.3])
    (-torch.sum(torch.tensor(t) * torch.log(a)) / np.log(base)).backward()
    assert np.allclose(a.grad.numpy(), -t / a.detach().numpy() / np.log(base))
    assert np.allclose(losses.cross_entropy_grad(a.detach().numpy()[:, None], t[:, None], base)[:, 0],
                       a.grad.numpy())
    b = _t(torch, [0.1, 0.6, 0.3])
    tt, log_b = torch.tensor(t), torch.log(b) / np.log(base)
    (-(tt[0] * log_b[0] + tt[1] * log_b[1]) + tt[2] * log_b[2]).backward()   # as printed
    assert np.allclose(b.grad.numpy()[:2], a.grad.numpy()[:2])
    assert np.isclose(b.grad.numpy()[2], -a.grad.numpy()[2])


def test_omitted_mean_saves_n_multiplications_per_example(torch, rng):
    """Notes, 2.1 note 1: the 1/n of the mean over the n outputs scales the output error
    once, n multiplications per example, and gives the gradient of the mean."""
    n, n_in = 10, 3
    W, x, t = (rng.standard_normal(s) for s in ((n, n_in), (n_in, 1), (n, 1)))
    W_t = _t(torch, W)
    (0.5 * torch.mean((W_t @ torch.tensor(x) - torch.tensor(t)) ** 2)).backward()
    error = W @ x - t                                         # the output error, (n, 1)
    assert error.size == n
    assert np.allclose((error / n) @ x.T, W_t.grad.numpy())


def test_a_bias_is_a_vector_and_a_layer_value_is_not_a_function(torch, rng):
    """Notes, section 1: b^l is (n_l, 1), one bias per neuron; for a batch the bias
    matrix is b 1^T. a^l = sigma(z^l) is a value; the function is sigma."""
    W, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    X = rng.standard_normal((3, 5))
    Z = torch.tensor(W) @ torch.tensor(X) + torch.tensor(b)    # broadcast over columns
    assert np.allclose(Z.numpy(), W @ X + b @ np.ones((1, 5)))
    a = activations.sigmoid(W @ X[:, [0]] + b)
    assert callable(activations.sigmoid) and not callable(a) and a.shape == b.shape


def test_fitting_the_weight_needs_no_backpropagation(torch):
    """Thread: fitting the weight is the goal of training; the same twenty steps run with
    differences instead of the chain rule, and backpropagation gives the gradient at any
    weight without fitting anything."""
    a_in, w0, target, R = 5.7, -23.1, 50.1, 0.007             # the thread's numbers
    cost = lambda v: (a_in * v[0] - target) ** 2
    w_chain, w_fd = w0, w0
    for _ in range(20):
        w_chain -= R * a_in * 2 * (a_in * w_chain - target)
        w_fd -= R * gradcheck.numerical_gradient(cost, np.array([w_fd]))[0]
    assert w_fd == pytest.approx(w_chain, rel=1e-6) and w_chain == pytest.approx(8.7893, abs=1e-4)
    w = _t(torch, w0)
    ((a_in * w - target) ** 2).backward()
    assert w.grad.item() == pytest.approx(a_in * 2 * (a_in * w0 - target))
