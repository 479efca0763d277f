"""What the tests of the network share: one ``make_case``, one PyTorch reference, one error measure."""

import numpy as np

from backprop import data, gradcheck, network
from backprop.benchmarks.step import torch_cost


def make_case(rng, sizes, m, loss, dtype=np.float64, normalized=True):
    """``(params, X, Y)`` for layer sizes ``sizes`` and ``m`` examples, drawn from ``rng``.

    Targets: in ``[0, 1)`` for ``"squared_error"``; one-hot columns for
    ``"cross_entropy"``, or (``normalized=False``) columns that do not sum to 1.
    """
    params = network.init_params(sizes, seed=int(rng.integers(1 << 30)), dtype=dtype)
    X = rng.standard_normal((sizes[0], m)).astype(dtype)
    if loss == "squared_error":
        Y = rng.random((sizes[-1], m))
    elif normalized:
        Y = data.as_onehot(rng.integers(0, sizes[-1], m), sizes[-1])
    else:
        Y = 2 * rng.random((sizes[-1], m))              # columns do not sum to 1
    return params, X, Y.astype(dtype)


def torch_loss_and_grads(torch, params, X, Y, loss, hidden="sigmoid"):
    """PyTorch autograd on the book's network, built from ``network.architecture``
    (``benchmarks.step.torch_cost``): ``(cost, grads)``."""
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    cost = torch_cost(tp, torch.tensor(X), torch.tensor(Y), loss, hidden)
    cost.backward()
    return cost.item(), [(W.grad.numpy(), b.grad.numpy()) for W, b in tp]


def max_error(grads_a, grads_b):
    """The largest ``gradcheck.relative_error`` over every ``(grad_W, grad_b)`` of two gradient lists."""
    return max(gradcheck.relative_error(a, b)
               for pa, pb in zip(grads_a, grads_b, strict=True) for a, b in zip(pa, pb, strict=True))


def flat(pairs):
    """Every array of a list of pairs (``params``, gradients, directions), raveled in order: ``(P,)``."""
    return np.concatenate([a.ravel() for pair in pairs for a in pair])


def torch_flat_cost(torch, params, X, Y, loss, hidden="sigmoid"):
    """``(cost, theta0)``: the cost of ``torch_cost`` as a function of one flat parameter
    tensor, in the package's order (``flat``), and ``params`` as that tensor."""
    shapes = [W.shape for W, _ in params]
    X_t, Y_t = torch.tensor(X), torch.tensor(Y)

    def cost(theta):
        tp, k = [], 0
        for n_l, n_prev in shapes:
            W = theta[k:k + n_l * n_prev].reshape(n_l, n_prev)
            k += n_l * n_prev
            b = theta[k:k + n_l].reshape(n_l, 1)
            k += n_l
            tp.append((W, b))
        return torch_cost(tp, X_t, Y_t, loss, hidden)

    return cost, torch.tensor(flat(params))
