"""What an exact Hessian-vector product costs, as a multiple of one gradient, measured side by side.

``curvature.hvp`` runs the forward pass and the backward pass with their
R-operators beside them. Counted in matrix products per layer ``l >= 2``:
a gradient forms three (``W A`` forward, ``grad_Z A^T`` and ``W^T grad_Z``
backward), a Hessian-vector product eight (``W A``, ``V_W A`` and
``W R{A}`` forward; ``R{grad_Z} A^T``, ``grad_Z R{A}^T``, ``W^T grad_Z``,
``V_W^T grad_Z`` and ``W^T R{grad_Z}`` backward). At layer 1, where
``R{A^0} = 0`` and nothing is passed back, it is three against two. On
64-32-10 with a batch of 64 that is 1.7 times the gradient's multiply-adds,
plus the element-wise work on ``(n_l, m)`` arrays (the second derivatives,
the softmax JVP). ``run_hvp_cost`` measures it on that network, float64,
one thread; not a section of the report (``runner``): a measurement for
the chapter on curvature.
"""

from __future__ import annotations

import numpy as np

from .. import curvature, network
from ..timing import autonumber, compare, limit_threads
from .step import _case_name, make_case

#: The case: 64-32-10, a batch of 64, float64, one thread (that of ``step.CHECK_CASE``).
CASE = ([64, 32, 10], 64, "float64")


def run_hvp_cost(case=CASE, loss="cross_entropy", hidden="sigmoid", repeats=15, min_time=0.02, progress=print):
    """Median times of one gradient and one Hessian-vector product, interleaved, and their ratio.

    Four functions in one ``timing.compare``, on one thread: the public
    ``network.loss_and_grads`` and ``curvature.hvp``, which check their input
    once, and their unchecked math (``__wrapped__``). Returns a dict with the
    case, the median seconds per call of each, and ``ratio`` (public hvp over
    public gradient) and ``math_ratio`` (the same without the checks).
    """
    sizes, m, dtype = case
    progress(f"hvp cost: {_case_name(sizes, m, dtype)}, 1 thread")
    params, X, Y = make_case(sizes, m, dtype)
    rng = np.random.default_rng(1)
    V = [(rng.standard_normal(W.shape).astype(dtype), rng.standard_normal(b.shape).astype(dtype))
         for W, b in params]
    grad_math, hvp_math = network.loss_and_grads.__wrapped__, curvature.hvp.__wrapped__
    funcs = {
        "gradient": lambda: network.loss_and_grads(params, X, Y, loss, hidden),
        "hvp": lambda: curvature.hvp(params, X, Y, V, loss, hidden),
        "gradient_math": lambda: grad_math(params, X, Y, loss, hidden),
        "hvp_math": lambda: hvp_math(params, X, Y, V, loss, hidden),
    }
    with limit_threads(1):
        number = autonumber(funcs, min_time=min_time)
        times = compare(funcs, repeats=repeats, number=number)
    return dict(sizes=list(sizes), m=m, dtype=dtype, threads=1, loss=loss, hidden=hidden, repeats=repeats,
                number=number, median_s=times, ratio=times["hvp"] / times["gradient"],
                math_ratio=times["hvp_math"] / times["gradient_math"])
