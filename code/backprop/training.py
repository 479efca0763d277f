"""Mini-batch gradient descent for the networks of ``backprop.network``.

Chapter "Mini-batches and real data". One *epoch* visits every example once,
in a random order (seeded), ``batch_size`` columns at a time; each mini-batch
gives one update ``W <- W - eta * grad_W`` with the gradient of that batch's
cost (the mean loss over its columns).

The networks of the book are small, so their matrix products run faster and,
above all, reproducibly on one BLAS thread: ``train`` limits the BLAS thread
pool to one thread while it runs (``timing.limit_threads``).
"""

from __future__ import annotations

import numpy as np

from . import network
from ._checks import check_batch, check_choice, check_int, check_labels, check_scalar
from .network import HIDDEN, LOSSES, loss_and_grads
from .optim import sgd_step
from .timing import limit_threads


def predict(params, X, loss="squared_error", hidden="sigmoid"):
    """The network's output ``A^L`` for the columns of ``X`` ``(n_0, m)``: shape ``(n_L, m)``.

    The forward pass of ``network.forward``, after one check of the input.
    """
    check_choice(loss, "loss", LOSSES)
    check_choice(hidden, "hidden activation", HIDDEN)
    params, X, _ = check_batch(params, X)
    _, activations = network.forward(params, X, loss, hidden)
    return activations[-1]


def predict_labels(params, X, loss="cross_entropy", hidden="sigmoid"):
    """The predicted class of every column of ``X``: integers of shape ``(m,)``.

    The class is the row of the largest output ``a^L``; for a single sigmoid
    output (``n_L = 1``) it is ``a > 0.5``. ``hidden`` is the hidden activation.
    """
    A = predict(params, X, loss, hidden)                 # (n_L, m)
    return (A[0] > 0.5).astype(np.int64) if A.shape[0] == 1 else A.argmax(axis=0)


def accuracy(params, X, labels, loss="cross_entropy", hidden="sigmoid"):
    """Fraction of the columns of ``X`` whose largest output is the true class.

    ``labels`` are integers of shape ``(m,)``. For a single sigmoid output
    (``n_L = 1``) the prediction is ``a > 0.5``. ``hidden`` is the hidden activation.
    """
    guess = predict_labels(params, X, loss, hidden)
    labels = check_labels(labels, "labels", m=guess.shape[0])
    return float(np.mean(guess == labels))


def dead_units(params, X, hidden="relu"):
    """The hidden units that are off on every column of ``X``: one boolean mask per hidden layer.

    Returns ``[dead^1, ..., dead^{L-1}]``, ``dead^l`` of shape ``(n_l,)``, with
    ``dead^l[j]`` true when ``Z^l[j, k] <= 0`` for every example ``k``. For a
    ReLU unit that means ``a = relu(z) = 0`` and ``relu'(z) = 0`` on all of
    ``X``: the unit outputs nothing, and, when ``X`` is the training set, the
    gradient of every mini-batch's cost with respect to its incoming weights
    and bias is exactly 0, so gradient descent never changes them again
    (chapter "What the gradient costs, and what comes after it", section
    "ReLU and its kink"). ``X`` has shape ``(n_0, m)``; ``hidden`` is the
    hidden activation, which shapes ``Z^2, ...`` through ``A^1, ...``.
    """
    check_choice(hidden, "hidden activation", HIDDEN)
    params, X, _ = check_batch(params, X)
    zs, _ = network.forward(params, X, hidden=hidden)
    return [np.all(Z <= 0, axis=1) for Z in zs[:-1]]   # (n_l,) for l = 1, ..., L - 1


def confusion_matrix(labels, predicted, n_classes):
    """Counts of (true class, predicted class) pairs: an integer array ``(n_classes, n_classes)``.

    Entry ``[i, j]`` is the number of examples of class ``i`` predicted as
    class ``j``; the diagonal holds the correct predictions, each row sums to
    the number of examples of its class. ``labels`` and ``predicted`` are
    integers of shape ``(m,)`` in ``[0, n_classes)``.
    """
    n_classes = check_int(n_classes, "n_classes")
    labels = check_labels(labels, "labels", n_classes=n_classes)
    predicted = check_labels(predicted, "predicted", n_classes=n_classes, m=labels.shape[0])
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts


def summed(grad_fn=loss_and_grads):
    """The same gradient function for the *summed* cost ``sum_k L_k`` instead of the mean.

    Returns ``grad_fn_sum(params, X, Y, loss) -> (m * cost, [m * grads])``, to
    pass to ``train(..., grad_fn=...)``. A step with the summed cost and
    learning rate ``eta`` is exactly a step with the mean cost and learning
    rate ``m * eta``, where ``m`` is the number of columns of the batch
    (chapter "Mini-batches and real data").
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function; got {type(grad_fn).__name__}")

    def grad_fn_sum(params, X, Y, loss):
        cost, grads = grad_fn(params, X, Y, loss)
        m = np.shape(X)[1]
        return m * cost, [(m * gW, m * gb) for gW, gb in grads]

    inner_cost = _cost_function(grad_fn)
    grad_fn_sum.cost_fn = lambda params, X, Y, loss: np.shape(X)[1] * inner_cost(params, X, Y, loss)
    return grad_fn_sum


def _cost_function(grad_fn):
    """``(params, X, Y, loss) -> cost`` for ``grad_fn``, without a backward pass when possible.

    The book's ``loss_and_grads`` has a forward-only twin, ``network.cost``,
    which gives the same number; a function made by ``summed`` carries its
    own as ``cost_fn``; for any other ``grad_fn`` the cost is its first result.
    """
    if grad_fn is loss_and_grads:
        return network.cost
    own = getattr(grad_fn, "cost_fn", None)
    if own is not None:
        return own
    return lambda params, X, Y, loss: grad_fn(params, X, Y, loss)[0]


class Progress:
    """Prints one line per ``every`` epochs: ``epoch k/n  cost ...``. Deterministic text."""

    def __init__(self, every=1):
        self.every = check_int(every, "every")

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
        ``network.loss_and_grads`` by default (``summed()`` gives the summed cost).
        The costs recorded in ``history`` come from ``network.cost`` for the
        default (the same numbers, without a backward pass), from a
        ``cost_fn`` attribute if ``grad_fn`` has one, and otherwise from ``grad_fn``.

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
    epochs = check_int(epochs, "epochs", minimum=0)
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function; got {type(grad_fn).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function or None; got {type(progress).__name__}")
    params, X, Y = check_batch(params, X, Y)
    m = X.shape[1]
    batch_size = m if batch_size is None else check_int(batch_size, "batch_size (an int, or None)")
    has_test = X_test is not None or Y_test is not None
    if has_test:
        _, X_test, Y_test = check_batch(params, X_test, Y_test)
    rng = np.random.default_rng(seed)
    cost_of = _cost_function(grad_fn)          # the recorded costs need no backward pass
    if grad_fn is loss_and_grads:              # the data were checked above, once: not per batch
        grad_fn, cost_of = loss_and_grads.__wrapped__, network.cost.__wrapped__
    with limit_threads(1):
        history = {"cost": [cost_of(params, X, Y, loss)]}
        if has_test:
            history["test_cost"] = [cost_of(params, X_test, Y_test, loss)]
        for epoch in range(1, epochs + 1):
            order = rng.permutation(m)
            for start in range(0, m, batch_size):
                cols = order[start:start + batch_size]
                _, grads = grad_fn(params, X[:, cols], Y[:, cols], loss)
                params = sgd_step(params, grads, eta)
            history["cost"].append(cost_of(params, X, Y, loss))
            if has_test:
                history["test_cost"].append(cost_of(params, X_test, Y_test, loss))
            if progress is not None:
                progress(epoch, epochs, history)
    return params, history
