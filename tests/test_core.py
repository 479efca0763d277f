"""activations, jacobian, gradcheck, conventions, optim, timing: FD and PyTorch checks."""

import warnings
from pathlib import Path

import numpy as np
import pytest

from backprop import activations, conventions, gradcheck, jacobian, optim, timing

ELEMENTWISE = ["sigmoid", "tanh", "relu", "identity"]


def torch_activation(torch, name):
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
            "identity": lambda t: t}[name]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_derivatives_match_pytorch(torch, rng, name):
    f, f_prime = activations.get_activation(name)
    z = rng.standard_normal(50) * 3
    z[np.abs(z) < 1e-3] = 0.5  # keep ReLU away from its kink
    zt = torch.tensor(z, requires_grad=True)
    torch_activation(torch, name)(zt).sum().backward()
    assert np.allclose(f(z), torch_activation(torch, name)(torch.tensor(z)).numpy(), atol=1e-15)
    assert gradcheck.relative_error(f_prime(z), zt.grad.numpy()) < 1e-12


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_jacobian_is_diagonal_and_matches_fd(rng, name):
    f, _ = activations.get_activation(name)
    z = rng.standard_normal(6) + 0.1
    J = jacobian.elementwise_jacobian(z, name)
    assert np.count_nonzero(J - np.diag(np.diag(J))) == 0
    assert gradcheck.relative_error(J, jacobian.numerical_jacobian(f, z)) < 1e-8


def test_softmax_jacobian_matches_pytorch_and_fd(torch, rng):
    z = rng.standard_normal(5)
    J = jacobian.softmax_jacobian(z)
    J_t = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, 0), torch.tensor(z)).numpy()
    assert gradcheck.relative_error(J, J_t) < 1e-12
    assert gradcheck.relative_error(J, jacobian.numerical_jacobian(activations.softmax, z)) < 1e-8
    assert np.allclose(J, J.T) and np.allclose(J.sum(axis=0), 0)


def test_affine_jacobian_is_W(rng):
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(3)
    x = rng.standard_normal(4)
    J = jacobian.numerical_jacobian(lambda v: W @ v + b, x)
    assert gradcheck.relative_error(jacobian.affine_jacobian(W), J) < 1e-9


def test_numerical_jacobian_accepts_columns(rng):
    W = rng.standard_normal((2, 3))
    x = rng.standard_normal((3, 1))
    J = jacobian.numerical_jacobian(lambda v: W @ v, x)
    assert J.shape == (2, 3) and np.allclose(J, W, atol=1e-8)


def test_stable_activations_at_extremes():
    z = np.array([-1e4, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activations.sigmoid(z)
        sp = activations.sigmoid_prime(z)
        a = activations.softmax(np.array([[1e4], [-1e4], [0.0]]))
        la = activations.log_softmax(np.array([[1000.0], [-1000.0]]))
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[2] == pytest.approx(np.exp(-40.0) / (1 + np.exp(-40.0)), rel=1e-12)
    assert np.all(np.isfinite(sp))
    assert np.allclose(a[:, 0], [1, 0, 0])
    assert la[0, 0] == 0.0 and la[1, 0] == -2000.0


def test_activations_keep_float32():
    z = np.linspace(-5, 5, 7, dtype=np.float32)
    for name in ELEMENTWISE:
        f, f_prime = activations.get_activation(name)
        assert f(z).dtype == np.float32 and f_prime(z).dtype == np.float32
    assert activations.softmax(z.reshape(-1, 1)).dtype == np.float32


def test_unknown_activation_name():
    with pytest.raises(ValueError, match="unknown activation 'swish'.*'sigmoid'"):
        activations.get_activation("swish")


def test_numerical_gradient_of_known_function(rng):
    x = rng.standard_normal((2, 3))
    g = gradcheck.numerical_gradient(lambda v: np.sum(v ** 3), x)
    assert g.shape == x.shape
    assert gradcheck.relative_error(g, 3 * x ** 2) < 1e-8


def test_relative_error():
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0 + 1e-9]) == pytest.approx(5e-10)
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error(np.zeros(2), np.zeros(3))


def test_gradient_check_catches_a_wrong_gradient(rng):
    """The finite-difference check can fail: a gradient with the wrong sign is caught."""
    x = rng.standard_normal(4)
    wrong = -2 * x
    assert gradcheck.relative_error(wrong, gradcheck.numerical_gradient(lambda v: v @ v, x)) > 1


def test_row_convention_translation(rng):
    W_r, B = rng.standard_normal((4, 3)), rng.standard_normal((1, 3))
    X = rng.standard_normal((4, 6))
    W, b = conventions.from_row_convention(W_r, B)
    assert np.allclose((X.T @ W_r + B).T, W @ X + b)
    with pytest.raises(ValueError, match="B must have shape"):
        conventions.from_row_convention(W_r, rng.standard_normal((1, 2)))


def test_torch_linear_translation_against_pytorch(torch, rng):
    layer = torch.nn.Linear(4, 3).double()
    X = rng.standard_normal((4, 5))
    W, b = conventions.from_torch_linear(layer.weight.detach().numpy(), layer.bias.detach().numpy())
    expected = layer(torch.tensor(X.T)).detach().numpy().T   # PyTorch: examples as rows
    assert np.allclose(W @ X + b, expected, atol=1e-14)
    assert b.shape == (3, 1)


def test_denominator_layout_translation(torch, rng):
    A = rng.standard_normal((3, 2))
    J_num = torch.autograd.functional.jacobian(lambda t: torch.tensor(A) @ t,
                                               torch.tensor(rng.standard_normal(2))).numpy()
    assert J_num.shape == (3, 2)
    assert np.allclose(conventions.from_denominator_layout(J_num.T), J_num)


def test_gradient_descent_on_a_quadratic():
    H = np.diag([1.0, 4.0])
    path, costs = optim.gradient_descent(lambda w: H @ w, [1.0, 1.0], 0.1, 50,
                                         cost=lambda w: 0.5 * w @ H @ w)
    assert path.shape == (51, 2) and costs.shape == (51,)
    assert np.all(np.diff(costs) <= 0) and costs[-1] < 1e-4
    # Above 2 / lambda_max = 0.5 the iterates diverge (here by a factor 2.6 per step),
    # and the path records it without warnings.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = optim.gradient_descent(lambda w: H @ w, [1.0, 1.0], 0.9, 2000)
    assert not np.isfinite(path[-1]).all()
    with pytest.raises(ValueError, match="eta must be positive"):
        optim.gradient_descent(lambda w: w, [1.0], -0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        optim.gradient_descent(lambda w: w, [1.0], 0.1, -1)


def test_timing_compare_and_slope():
    calls = {"a": 0, "b": 0}

    def f():
        calls["a"] += 1

    def g():
        calls["b"] += 1

    medians = timing.compare({"a": f, "b": g}, repeats=5, number=2)
    assert set(medians) == {"a", "b"} and all(t >= 0 for t in medians.values())
    assert calls == {"a": 11, "b": 11}   # one warm-up call, then 5 rounds of 2
    assert timing.loglog_slope([10, 100, 1000], [1e-3, 1e-1, 1e1]) == pytest.approx(2.0)
    from threadpoolctl import threadpool_info

    seen = []
    timing.compare({"a": lambda: seen.append([i["num_threads"] for i in threadpool_info()
                                              if i["user_api"] == "blas"])}, repeats=1, blas_threads=1)
    assert seen and all(n == 1 for threads in seen for n in threads)
    with pytest.raises(ValueError):
        timing.compare({})
    with pytest.raises(ValueError, match="positive"):
        timing.loglog_slope([1, 2], [0, 1])


def test_cost_bands_draws_one_image_and_checks_its_input():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from backprop.figures import style

    ax = Figure().add_subplot()
    image = style.cost_bands(ax, lambda x, y: x**2 + y**2 + 1, (-1, 1), (-2, 2), 10, log=True, n=50)
    assert image.get_array().shape == (50, 50) and ax.get_xlim() == (-1, 1)
    with pytest.raises(ValueError, match="positive cost"):
        style.cost_bands(ax, lambda x, y: x, (-1, 1), (-1, 1), 5, log=True)
    with pytest.raises(ValueError, match="xlim must be a pair"):
        style.cost_bands(ax, lambda x, y: x, (1, -1), (-1, 1), 5)


def test_the_module_map_lists_every_module():
    import backprop

    package = Path(backprop.__file__).parent
    names = [p.stem for p in package.glob("*.py") if p.stem != "__init__"]
    names += [p.name for p in package.iterdir() if (p / "__init__.py").exists()]
    names += [f"explorer.{p.stem}" for p in (package / "explorer").glob("*.py") if p.stem != "__init__"]
    missing = [n for n in names if f"``{n}``" not in backprop.__doc__]
    assert not missing, f"backprop/__init__.py's module map does not list {missing}"
