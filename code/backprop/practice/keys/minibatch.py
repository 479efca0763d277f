"""Numeric keys of the minibatch chapter's self-checks (``quizzes/minibatch.json``)."""

import numpy as np

from ... import data, network, training
from ...benchmarks import flops

SIZES = [784, 100, 10]   # the network whose training step is counted
BATCH, ETA = 16, 0.5     # the summed-cost run: batches of 16, learning rate 0.5


def step_multiply_adds():
    """Multiply-adds of the matrix products of one step, per example: FLOPs / 2."""
    return flops.step_flops(SIZES, 1) / 2


def step_multiply_adds_with_input_error():
    """Three products for every layer, the unused error sent back from layer 1 included."""
    return step_multiply_adds() + SIZES[1] * SIZES[0]


def step_flops_per_example():
    """FLOPs, two per multiply-add, instead of multiply-adds."""
    return flops.step_flops(SIZES, 1)


def forward_multiply_adds():
    """The forward products alone, one multiply-add per weight and example."""
    return sum(p["flops"] for p in flops.step_products(SIZES, 1) if p["phase"] == "forward") / 2


def _gradient_ratio():
    """|grad of the summed cost| / |grad of the mean cost| on a batch of BATCH columns (= BATCH)."""
    rng = np.random.default_rng(0)
    params = network.init_params([4, 3, 2], seed=0)
    X = rng.standard_normal((4, BATCH))
    Y = data.as_onehot(rng.integers(0, 2, BATCH), 2)
    _, mean_grads = network.loss_and_grads(params, X, Y, "cross_entropy")
    _, sum_grads = training.summed()(params, X, Y, "cross_entropy")
    return np.linalg.norm(sum_grads[0][0]) / np.linalg.norm(mean_grads[0][0])


def summed_effective_eta():
    """The mean-cost learning rate that takes the summed cost's steps: BATCH * ETA."""
    return _gradient_ratio() * ETA


def summed_divided_eta():
    """ETA / BATCH: the other direction, the rate the summed cost needs to match the mean."""
    return ETA / _gradient_ratio()


def unchanged_eta():
    """ETA itself: the belief that dropping the 1/m changes nothing."""
    return ETA
