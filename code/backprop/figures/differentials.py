"""Figures of the chapter `differentials` (drawing code only; the math lives in the package).

- ``least_squares_descent(fig, eta, stretch)``: gradient descent on the cost
  ``C(W) = ||W X - Y||_F^2 / (2m)`` of a linear layer ``W`` of shape ``(1, 2)``,
  with the gradient read off the differential (the "least squares" row of
  ``backprop.identities``), over the bands of equal cost; and the cost per step.
- ``remainder_orders()``: the differential is the linear part of the change:
  ``|f(X + t dX) - f(X) - t <G, dX>|`` shrinks like ``t^2``, the change itself like ``t``.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import identities
from . import style

STEPS = 40
W_START = (-1.5, 2.5)
XLIM, YLIM = (-2.0, 3.0), (-1.5, 3.0)
W_TRUE = np.array([[1.5, 0.5]])                     # (1, 2)


@functools.cache
def least_squares_data(stretch, m=50, seed=0):
    """``X`` (2, m) with row scales 1 and ``stretch``; ``Y = W_true X`` + noise, (1, m)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m)) * np.array([[1.0], [float(stretch)]])
    Y = W_TRUE @ X + 0.1 * rng.standard_normal((1, m))
    return X, Y


_LSQ = next(row for row in identities.TABLE if row.name == "least squares")


def ls_cost(W, stretch):
    """``C(W) = ||W X - Y||_F^2 / (2m)`` for ``W`` of shape (1, 2)."""
    X, Y = least_squares_data(stretch)
    return _LSQ.f(identities.NUMPY, X=W, B=X, Y=Y) / X.shape[1]


def ls_grad(W, stretch):
    """``grad_W C = (W X - Y) X^T / m``, shape (1, 2): the identity's ``G`` over ``m``."""
    X, Y = least_squares_data(stretch)
    return _LSQ.G(identities.NUMPY, X=W, B=X, Y=Y) / X.shape[1]


@functools.cache
def ls_descent(eta, stretch, steps=STEPS):
    """Gradient descent ``W <- W - eta grad_W C``. Returns the path (steps + 1, 2) and costs."""
    W = np.array([W_START])
    path, costs = [W.ravel().copy()], [ls_cost(W, stretch)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            W = W - eta * ls_grad(W, stretch)
            path.append(W.ravel().copy())
            costs.append(ls_cost(W, stretch))
    return np.array(path), np.array(costs)


def _grid_cost(stretch):
    X, Y = least_squares_data(stretch)
    m = X.shape[1]

    def f(w1, w2):                                   # the cost at every grid point at once
        R = w1[..., None] * X[0] + w2[..., None] * X[1] - Y[0]
        return np.sum(R * R, axis=-1) / (2 * m)
    return f


def least_squares_descent(fig, eta, stretch):
    """Interactive: bands of equal cost with the descent path, and the cost per step."""
    ax_path, ax_cost = fig.subplots(1, 2)
    state = {"stretch": None, "bands": None}
    (path_line,) = ax_path.plot([], [], "o-", ms=3, color=style.COLORS[1], label="descent path")
    ax_path.plot(*W_TRUE.ravel(), "k*", ms=10, label="weights of the data")
    ax_path.set(xlabel="$W_{11}$", ylabel="$W_{12}$", title="descent on $C(W)$")
    style.legend_below(fig, axes=[ax_path])                  # below the axes: it covers no data
    (cost_line,) = ax_cost.semilogy([], [], color=style.COLORS[0])
    ax_cost.set(xlabel="gradient-descent step", ylabel="cost $C$ (log scale)",
                title="cost", xlim=(0, STEPS), ylim=(1e-3, 1e2))

    def update(eta, stretch):
        if state["stretch"] != stretch:              # new data: new bands
            if state["bands"] is not None:
                state["bands"].remove()
            state["bands"] = style.cost_bands(ax_path, _grid_cost(stretch), XLIM, YLIM, 15,
                                              log=True, n=150)
            state["stretch"] = stretch
        path, costs = ls_descent(eta, stretch)
        path_line.set_data(*style.clip_path(path, XLIM, YLIM).T)
        cost_line.set_data(np.arange(STEPS + 1), np.clip(np.nan_to_num(costs, nan=1e3), 1e-4, 1e3))

    update(eta, stretch)
    return update


def remainder_orders():
    """Static: the change of ``ln det X`` along ``t dX`` and what is left after the differential."""
    import matplotlib.pyplot as plt

    row = next(r for r in identities.TABLE if r.name == "log-determinant")
    X = identities.sample(row, seed=0)["X"]
    dX = np.random.default_rng(1).standard_normal(X.shape)
    G = row.G(identities.NUMPY, X=X)
    f = lambda M: row.f(identities.NUMPY, X=M)               # noqa: E731
    ts = np.geomspace(1e-5, 1e-1, 30)
    change = np.array([abs(f(X + t * dX) - f(X)) for t in ts])
    rest = np.array([abs(f(X + t * dX) - f(X) - t * np.sum(G * dX)) for t in ts])
    fig, ax = plt.subplots(figsize=(6.0, 4.0), layout="constrained")
    ax.loglog(ts, change, "o-", ms=3, label=r"$|f(X + t\,dX) - f(X)|$  (slope 1)")
    ax.loglog(ts, rest, "s-", ms=3, label=r"$|f(X + t\,dX) - f(X) - t\langle G, dX\rangle|$  (slope 2)")
    ax.set(xlabel="step size $t$", ylabel="size (log scale)",
           title=r"$f = \ln\det X$: the differential is the linear part")
    style.legend_below(fig, ncol=1)                          # below the axes: it covers no data
    return fig
