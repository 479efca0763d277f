"""backprop.curvature: the largest eigenvalue of the cost's Hessian, against PyTorch's Hessian.

The Hessian-vector products themselves are tested in ``test_hvp.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from cases import torch_flat_cost

from backprop import curvature, data, network


def _torch_hessian(torch, params, X, Y, loss, hidden="sigmoid"):
    """The dense Hessian of the cost of ``torch_cost``, parameters flattened in the package's order."""
    cost, theta0 = torch_flat_cost(torch, params, X, Y, loss, hidden)
    return torch.autograd.functional.hessian(cost, theta0).numpy()


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_largest_curvature_is_the_top_eigenvalue_of_the_hessian(torch, loss, hidden):
    rng = np.random.default_rng(0)
    params = network.init_params([3, 4, 2], seed=1)
    X = rng.standard_normal((3, 7))
    Y = data.as_onehot(rng.integers(0, 2, 7), 2) if loss == "cross_entropy" else rng.random((2, 7))
    H = _torch_hessian(torch, params, X, Y, loss, hidden)
    v = rng.standard_normal(H.shape[0])
    Hv = curvature.hessian_vector_product(params, X, Y, v, loss, hidden)
    assert np.abs(Hv - H @ v).max() <= 1e-12 * np.abs(H @ v).max()
    eigenvalues = np.linalg.eigvalsh(H)
    lam = curvature.largest_curvature(params, X, Y, loss, hidden, iterations=500)
    assert lam == pytest.approx(eigenvalues[-1], rel=1e-6)
    once, twice = curvature.learning_rate_thresholds(params, X, Y, loss, hidden, iterations=500)
    assert once == pytest.approx(1 / eigenvalues[-1], rel=1e-6) and twice == pytest.approx(2 * once)


def test_a_dominant_negative_eigenvalue_is_shifted_away(torch):
    # A 2-3-2 network with large weights, far from a minimum: its most negative
    # eigenvalue (about -0.198) is five times lambda_max (about 0.039).
    rng = np.random.default_rng(3)
    params = [(3 * W, b) for W, b in network.init_params([2, 3, 2], seed=3)]
    X, Y = rng.standard_normal((2, 5)), rng.random((2, 5))
    eigenvalues = np.linalg.eigvalsh(_torch_hessian(torch, params, X, Y, "squared_error"))
    assert -eigenvalues[0] > 4 * eigenvalues[-1] > 0
    # plain power iteration finds lambda_min ...
    H = np.column_stack([curvature.hessian_vector_product(params, X, Y, e) for e in np.eye(eigenvalues.size)])
    assert curvature._power_iteration(lambda v: H @ v, H.shape[0], 300, 0) == pytest.approx(eigenvalues[0])
    # ... and largest_curvature, lambda_max
    lam = curvature.largest_curvature(params, X, Y, iterations=300)
    assert lam == pytest.approx(eigenvalues[-1], rel=1e-6)


def test_bad_input_is_refused():
    params = network.init_params([2, 1], seed=0)
    X, Y = np.ones((2, 3)), np.ones((1, 3))
    with pytest.raises(ValueError, match="v must have shape"):
        curvature.hessian_vector_product(params, X, Y, np.ones(5))
    with pytest.raises(ValueError, match="iterations"):
        curvature.largest_curvature(params, X, Y, iterations=0)
    with pytest.raises(ValueError, match="unknown loss"):
        curvature.largest_curvature(params, X, Y, loss="hinge")
    with pytest.raises(ValueError, match="Y must have shape"):
        curvature.largest_curvature(params, X, np.ones((2, 3)))
