"""Mini-batch gradient descent for the networks of ``backprop.network``.

Chapter "Mini-batches and real data". One *epoch* visits every example once,
in a random order (seeded), ``batch_size`` columns at a time; each mini-batch
gives one update ``W <- W - eta * grad_W`` with the gradient of that batch's
cost (the mean loss over its columns).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_choice, check_scalar
from .network import LOSSES, check_batch, loss_and_grads, predict, sgd_step


def accuracy(params, X, labels, loss="cross_entropy"):
    """Fraction of the columns of ``X`` whose largest output is the true class.

    ``labels`` are integers of shape ``(m,)``. For a single sigmoid output
    (``n_L = 1``) the prediction is ``a > 0.5``.
    """
    labels = np.asarray(labels)
    A = predict(params, X, loss)                         # (n_L, m)
    guess = (A[0] > 0.5).astype(int) if A.shape[0] == 1 else A.argmax(axis=0)
    if labels.shape != guess.shape:
        raise ValueError(f"labels must have shape ({A.shape[1]},); got shape {labels.shape}")
    return float(np.mean(guess == labels))


class Progress:
    """Prints one line per ``every`` epochs: ``epoch k/n  cost ...``. Deterministic text."""

    def __init__(self, every=1):
        self.every = int(every)

    def __call__(self, epoch, epochs, record):
        if epoch % self.every == 0 or epoch == epochs:
            fields = "  ".join(f"{k} {v[-1]:.4f}" for k, v in record.items() if v)
            print(f"epoch {epoch:>{len(str(epochs))}}/{epochs}  {fields}", flush=True)


def train(params, X, Y, *, loss="cross_entropy", eta=0.5, epochs=10, batch_size=32, seed=0,
          X_test=None, Y_test=None, progress=None, grad_fn=loss_and_grads):
    """Train by mini-batch gradient descent. Returns ``(params, history)``.

    Parameters
    ----------
    params : list of (W, b)
        Starting parameters (not modified).
    X, Y : arrays of shape ``(n_0, m)`` and ``(n_L, m)``
        Training data, one example per column.
    loss : ``"squared_error"`` or ``"cross_entropy"``
    eta : float
        Learning rate.
    epochs : int
        Passes over the training data.
    batch_size : int or None
        Columns per update; ``None`` means the whole batch (plain gradient descent).
    seed : int
        Seeds the shuffling, so a run is reproducible.
    X_test, Y_test : arrays, optional
        Held-out data; its cost is recorded after every epoch.
    progress : callable, optional
        Called as ``progress(epoch, epochs, history)`` after every epoch,
        e.g. ``Progress(every=10)``.
    grad_fn : callable
        ``grad_fn(params, X, Y, loss) -> (cost, grads)``; the book's
        ``network.loss_and_grads`` by default.

    Returns
    -------
    params : list of (W, b)
        The trained parameters.
    history : dict of lists
        ``"cost"``: the training cost after each epoch (with ``epochs + 1``
        entries, the first before training); ``"test_cost"`` likewise when
        test data are given.
    """
    check_choice(loss, "loss", LOSSES)
    eta = check_scalar(eta, "eta", positive=True)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
    params, X, Y = check_batch(params, X, Y, loss)
    m = X.shape[1]
    if batch_size is None:
        batch_size = m
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer or None; got {batch_size!r}")
    has_test = X_test is not None or Y_test is not None
    if has_test:
        _, X_test, Y_test = check_batch(params, X_test, Y_test, loss)
    rng = np.random.default_rng(seed)
    history = {"cost": [grad_fn(params, X, Y, loss)[0]]}
    if has_test:
        history["test_cost"] = [grad_fn(params, X_test, Y_test, loss)[0]]
    for epoch in range(1, epochs + 1):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            cols = order[start:start + batch_size]
            _, grads = grad_fn(params, X[:, cols], Y[:, cols], loss)
            params = sgd_step(params, grads, eta)
        history["cost"].append(grad_fn(params, X, Y, loss)[0])
        if has_test:
            history["test_cost"].append(grad_fn(params, X_test, Y_test, loss)[0])
        if progress is not None:
            progress(epoch, epochs, history)
    return params, history
