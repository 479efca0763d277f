"""Small data sets, generated or shipped with a package. Nothing is downloaded.

Every function returns examples as **columns**: ``X`` of shape ``(n_0, m)``
and targets ``Y`` of shape ``(n_L, m)``, and is deterministic for a seed.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int, check_labels


def as_onehot(labels, n_classes):
    """One-hot targets of shape ``(n_classes, m)`` for integer labels of shape ``(m,)``.

    Column ``i`` is ``1`` in row ``labels[i]`` and ``0`` elsewhere (float64).
    """
    labels = check_labels(labels, "labels", n_classes=n_classes)
    Y = np.zeros((n_classes, labels.shape[0]))
    Y[labels, np.arange(labels.shape[0])] = 1.0
    return Y


def xor(m=200, noise=0.15, seed=0):
    """The XOR problem: 4 clusters at the corners of the unit square, label = x1 XOR x2.

    Returns ``X`` of shape ``(2, m)`` and ``Y`` of shape ``(1, m)`` with values 0 or 1.
    No straight line separates the classes, so a network needs a hidden layer.
    """
    m = check_int(m, "m")
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(2, m))
    X = corners + noise * rng.standard_normal((2, m))
    Y = (corners[0] ^ corners[1]).astype(np.float64).reshape(1, m)
    return X, Y


def blobs(m=300, k=3, spread=0.6, seed=0):
    """``k`` Gaussian clusters on a circle, with one-hot targets.

    ``X``: ``(2, m)``; ``Y``: ``(k, m)``, one-hot columns; also returns the
    integer labels of shape ``(m,)``.
    """
    m = check_int(m, "m")
    k = check_int(k, "k")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, size=m)
    angles = 2 * np.pi * np.arange(k) / k
    centres = 2.0 * np.vstack([np.cos(angles), np.sin(angles)])
    X = centres[:, labels] + spread * rng.standard_normal((2, m))
    return X, as_onehot(labels, k), labels


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with scikit-learn).

    Pixel values 0..16 are scaled to [0, 1]. The split is seeded: a fixed
    random permutation puts ``test_fraction`` of the images in the test set.

    Returns a dict with ``X_train`` ``(64, m_train)``, ``Y_train`` ``(10, m_train)``
    (one-hot), ``labels_train`` ``(m_train,)``, the same three for ``test``,
    and ``images_test`` ``(m_test, 8, 8)`` for display.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be strictly between 0 and 1; got {test_fraction}")
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X = bunch.data.T / 16.0                      # (64, 1797), examples as columns
    labels = bunch.target.astype(np.int64)
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    n_test = int(round(test_fraction * m))
    test, train = order[:n_test], order[n_test:]
    Y = as_onehot(labels, 10)
    return {
        "X_train": X[:, train], "Y_train": Y[:, train], "labels_train": labels[train],
        "X_test": X[:, test], "Y_test": Y[:, test], "labels_test": labels[test],
        "images_test": bunch.images[test] / 16.0,
    }
