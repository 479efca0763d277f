"""backprop.curvature: the largest eigenvalue of the cost's Hessian, against PyTorch's Hessian."""

from __future__ import annotations

import numpy as np
import pytest

from backprop import curvature, data, network


def _torch_hessian(torch, params, X, Y, loss):
    """The dense Hessian of network.cost in PyTorch, parameters flattened in the package's order."""
    shapes = [(W.shape, b.shape) for W, b in params]
    theta0 = torch.tensor(np.concatenate([a.ravel() for pair in params for a in pair]))
    X_t, Y_t = torch.tensor(X), torch.tensor(Y)

    def cost(theta):
        k, A = 0, X_t
        L = len(shapes)
        for l, (sW, sb) in enumerate(shapes, start=1):
            W = theta[k:k + sW[0] * sW[1]].reshape(sW)
            k += sW[0] * sW[1]
            b = theta[k:k + sb[0]].reshape(sb)
            k += sb[0]
            Z = W @ A + b
            if l < L:
                A = torch.sigmoid(Z)
            elif loss == "cross_entropy":
                return -(Y_t * torch.log_softmax(Z, dim=0)).sum() / X.shape[1]
            else:
                return 0.5 * ((torch.sigmoid(Z) - Y_t) ** 2).sum() / X.shape[1]

    return torch.autograd.functional.hessian(cost, theta0).numpy()


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_largest_curvature_is_the_top_eigenvalue_of_the_hessian(torch, loss):
    rng = np.random.default_rng(0)
    params = network.init_params([3, 4, 2], seed=1)
    X = rng.standard_normal((3, 7))
    Y = data.as_onehot(rng.integers(0, 2, 7), 2) if loss == "cross_entropy" else rng.random((2, 7))
    H = _torch_hessian(torch, params, X, Y, loss)
    v = rng.standard_normal(H.shape[0])
    assert np.allclose(curvature.hessian_vector_product(params, X, Y, v, loss), H @ v, atol=1e-6)
    eigenvalues = np.linalg.eigvalsh(H)
    lam = curvature.largest_curvature(params, X, Y, loss, iterations=500)
    # power iteration finds the eigenvalue of largest magnitude
    top = eigenvalues[np.argmax(np.abs(eigenvalues))]
    assert lam == pytest.approx(top, rel=1e-3)
    once, twice = curvature.learning_rate_thresholds(params, X, Y, loss, iterations=500)
    assert once == pytest.approx(1 / top, rel=1e-3) and twice == pytest.approx(2 * once)


def test_bad_input_is_refused():
    params = network.init_params([2, 1], seed=0)
    X, Y = np.ones((2, 3)), np.ones((1, 3))
    with pytest.raises(ValueError, match="v must have shape"):
        curvature.hessian_vector_product(params, X, Y, np.ones(5))
    with pytest.raises(ValueError, match="iterations"):
        curvature.largest_curvature(params, X, Y, iterations=0)
    with pytest.raises(ValueError, match="eps"):
        curvature.hessian_vector_product(params, X, Y, np.ones(3), eps=-1.0)
