"""Shared fixtures. The package is imported from code/ (installed editable by make).

Helpers the tests share are modules of this folder: ``cases`` (``make_case``, the PyTorch
reference network, ``max_error``) and ``figdata`` (``figure_data``, what a figure draws).
"""

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "code"))

import matplotlib  # noqa: E402

# Tests draw off-screen. Set in-process (not through MPLBACKEND, which notebook
# kernels started by the tests would inherit, losing their inline figures).
matplotlib.use("Agg")


@pytest.fixture
def rng():
    """A seeded generator, fresh for every test."""
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def torch():
    """PyTorch, a test dependency (requirements-dev.txt). Its absence is a failure, not a skip."""
    import torch as _torch

    _torch.set_default_dtype(_torch.float64)
    return _torch
