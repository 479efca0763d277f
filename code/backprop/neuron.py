"""One neuron with one weight, and a chain of two such neurons, trained by gradient descent.

Chapter "One neuron, one weight". Everything here is a scalar, so that each
step of backpropagation can be read off by hand before the chapter "The
two-layer network" writes it with matrices (``backprop.network``).

The neuron has no bias and, by default, no activation (its cost is
``one_weight_cost``)::

    a^1 = w x,        C(w) = (a^1 - y)^2,        dC/dw = 2 x (w x - y)

The chain feeds one neuron into another, ``a^0 = x``::

    z^1 = w^1 a^0,  a^1 = f(z^1),  z^2 = w^2 a^1,  a^2 = f(z^2),  C = (a^2 - y)^2

with ``f`` the identity (linear neurons) or any activation of
``backprop.activations``. The cost has no factor 1/2, as in the worked
example the chapter follows; ``network.loss_and_grads`` uses
``1/2 ||a - y||^2``, so its gradients are half of these.

Shapes: ``x``, ``y``, ``eta`` are scalars. A weight ``w`` may be a scalar or
an array of any shape (the cost is then evaluated entry by entry, which is
how the chapter draws ``C`` against ``w``). The chain's weights are one array
``w`` of shape ``(2, ...)`` holding ``(w^1, w^2)`` along its first axis.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, check_scalar
from .activations import get_activation
from .optim import gradient_descent

# --------------------------------------------------------------------------
# One neuron, one weight
# --------------------------------------------------------------------------


def _weight(w, name="w"):
    return np.asarray(as_array(w, name), dtype=np.float64)


def _nonzero(x, name="x"):
    x = check_scalar(x, name)
    if x == 0:
        raise ValueError(f"{name} must be nonzero: with {name} = 0 the output w * {name} "
                         "does not depend on w, so there is nothing to learn")
    return x


def output(w, x):
    """The neuron's output ``a^1 = w x``. Shape of ``w``; ``x`` is a scalar."""
    return _weight(w) * check_scalar(x, "x")


def one_weight_cost(w, x, y):
    """The cost ``C(w) = (w x - y)^2`` of one neuron with one weight, on one example. Shape of ``w``.

    ``x`` (the input ``a^0``) and ``y`` (the target) are scalars.
    """
    r = output(w, x) - check_scalar(y, "y")
    return r * r


def grad(w, x, y):
    """``dC/dw = 2 x (w x - y)``: the derivative of ``one_weight_cost`` with respect to ``w``. Shape of ``w``.

    The factor ``x`` is ``d a^1 / d w``, the neuron's *input*, not its output.
    """
    x = check_scalar(x, "x")
    return 2.0 * x * (output(w, x) - check_scalar(y, "y"))


def descend(w0, x, y, eta, steps):
    """Gradient descent ``w <- w - eta * 2 x (w x - y)`` from ``w0``.

    Parameters
    ----------
    w0 : float
        The starting weight.
    x, y : float
        Input and target; ``x`` must be nonzero.
    eta : float
        Learning rate, > 0.
    steps : int
        Number of updates, >= 0.

    Returns
    -------
    ndarray, shape ``(steps + 1,)``
        ``w[k]`` is the weight after ``k`` updates; ``w[0] = w0``. A diverging
        run is not stopped (its later entries may be ``inf``).
    """
    w0 = check_scalar(w0, "w0")
    x, y = _nonzero(x), check_scalar(y, "y")
    return gradient_descent(lambda w: grad(w, x, y), w0, eta, steps)


def contraction(x, eta):
    """The factor ``r = 1 - 2 eta x^2`` with ``w_{k+1} - w* = r (w_k - w*)``, ``w* = y / x``.

    ``0 < r < 1``: monotone convergence; ``-1 < r < 0``: oscillating
    convergence; ``r < -1``: divergence. A float.
    """
    x = _nonzero(x)
    eta = check_scalar(eta, "eta", positive=True)
    return 1.0 - 2.0 * eta * x * x


def learning_rate_thresholds(x):
    """The learning rates where descent on ``(w x - y)^2`` changes behaviour: ``(1/(2x^2), 1/x^2)``.

    The cost's curvature is ``lambda_max = 2 x^2``, so these are
    ``(1/lambda_max, 2/lambda_max)``, as for every cost of the book
    (``landscapes.learning_rate_thresholds``, ``curvature.learning_rate_thresholds``).
    Above the first, the iterates overshoot the minimum and oscillate around
    it; above the second, the oscillation grows and the run diverges. At the
    first, one step lands exactly on the minimum. Returns two floats.
    """
    x = _nonzero(x)
    return 1.0 / (2.0 * x * x), 1.0 / (x * x)


# --------------------------------------------------------------------------
# Two neurons in a chain
# --------------------------------------------------------------------------


def _pair(w, name="w"):
    w = _weight(w, name)
    if w.ndim == 0 or w.shape[0] != 2:
        raise ValueError(f"{name} must hold the two weights (w^1, w^2) along its first axis, "
                         f"shape (2,) or (2, ...); got shape {w.shape}")
    return w


def chain_forward(w, x, activation="identity"):
    """Forward pass of the chain. Returns ``(z1, a1, z2, a2)``, each of shape ``w.shape[1:]``.

    ``w`` has shape ``(2, ...)``: ``w[0]`` is ``w^1``, ``w[1]`` is ``w^2``
    (the book's layer ``l`` is ``w[l - 1]``). ``z^1 = w^1 x``,
    ``a^1 = f(z^1)``, ``z^2 = w^2 a^1``, ``a^2 = f(z^2)``.
    """
    f, _ = get_activation(activation)
    w = _pair(w)
    x = check_scalar(x, "x")
    z1 = w[0] * x
    a1 = f(z1)
    z2 = w[1] * a1
    a2 = f(z2)
    return z1, a1, z2, a2


def chain_cost(w, x, y, activation="identity"):
    """The chain's cost ``(a^2 - y)^2``. Shape ``w.shape[1:]`` (a 0-d array for ``w`` of shape ``(2,)``)."""
    *_, a2 = chain_forward(w, x, activation)
    r = a2 - check_scalar(y, "y")
    return r * r


def chain_grad(w, x, y, activation="identity"):
    """Backpropagation through the chain: ``(dC/dw^1, dC/dw^2)`` stacked, the shape of ``w``.

    The scalar form of the book's four equations::

        delta^2 = 2 (a^2 - y) f'(z^2)        dC/dw^2 = delta^2 a^1
        delta^1 = w^2 delta^2 f'(z^1)        dC/dw^1 = delta^1 a^0,   a^0 = x

    Both derivatives are taken at the same point ``w``; a gradient-descent
    step then updates both weights at once.
    """
    _, f_prime = get_activation(activation)
    w = _pair(w)
    x, y = check_scalar(x, "x"), check_scalar(y, "y")
    z1, a1, z2, a2 = chain_forward(w, x, activation)
    delta2 = 2.0 * (a2 - y) * f_prime(z2)
    delta1 = w[1] * delta2 * f_prime(z1)
    return np.stack([delta1 * x, delta2 * a1])


def chain_descend(w0, x, y, eta, steps, activation="identity"):
    """Gradient descent on both weights of the chain at once.

    ``w0`` has shape ``(2,)``: the starting ``(w^1, w^2)``. Returns the
    iterates, shape ``(steps + 1, 2)``; row ``k`` is ``(w^1, w^2)`` after
    ``k`` updates, each update using ``chain_grad`` at the current row.
    """
    w0 = _pair(w0, "w0")
    if w0.shape != (2,):
        raise ValueError(f"w0 must have shape (2,), the starting (w^1, w^2); got shape {w0.shape}")
    x, y = check_scalar(x, "x"), check_scalar(y, "y")
    get_activation(activation)
    return gradient_descent(lambda w: chain_grad(w, x, y, activation), w0, eta, steps)


__all__ = [
    "chain_cost", "chain_descend", "chain_forward", "chain_grad", "contraction", "descend", "grad",
    "learning_rate_thresholds", "one_weight_cost", "output",
]
