"""Side-by-side timing: interleaved repetitions, a warm-up, medians.

A lone absolute time says little (it depends on the machine and on what else
it is doing); a ratio of two functions measured in the same process, in
alternation, says much more. ``compare`` runs every function once to warm up,
then ``repeats`` rounds in which each function runs once, in a shuffled order,
so that a slow moment of the machine hits all of them alike.
"""

from __future__ import annotations

import contextlib
import sys
import time

import numpy as np


@contextlib.contextmanager
def limit_threads(n):
    """Limit the thread pools of BLAS (and of any OpenMP library) to ``n`` inside the block.

    With ``threadpoolctl`` (a dependency of the package). PyTorch's own pool is
    limited too when PyTorch is already imported (it is never imported here).
    On a small shared machine one thread gives steadier, comparable times, and
    the book's small networks run reproducibly.
    """
    from threadpoolctl import threadpool_limits

    torch = sys.modules.get("torch")
    old = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(int(n))
    try:
        with threadpool_limits(limits=int(n)):
            yield
    finally:
        if old is not None:
            torch.set_num_threads(old)


def compare(funcs, repeats=7, number=1, seed=0, blas_threads=None):
    """Median seconds per call of each function, measured interleaved.

    Parameters
    ----------
    funcs : dict of name -> callable
        Functions of no arguments.
    repeats : int
        Rounds; each round calls every function ``number`` times, in a random order.
    number : int
        Calls per timing (for functions much faster than a millisecond).
    seed : int
        Seeds the order of the calls within a round.
    blas_threads : int, optional
        Limit BLAS to this many threads while measuring (``limit_threads``).

    Returns
    -------
    dict of name -> float
        The median over rounds of the time per call, in seconds.
    """
    if not funcs:
        raise ValueError("funcs is empty: expected a dict of name -> callable")
    if repeats < 1 or number < 1:
        raise ValueError(f"repeats and number must be >= 1; got {repeats} and {number}")
    if blas_threads is not None:
        with limit_threads(blas_threads):
            return compare(funcs, repeats=repeats, number=number, seed=seed)
    names = list(funcs)
    for name in names:  # warm-up: caches, lazy imports, BLAS thread pools
        funcs[name]()
    samples = {name: [] for name in names}
    rng = np.random.default_rng(seed)
    for _ in range(repeats):
        for k in rng.permutation(len(names)):
            name = names[k]
            f = funcs[name]
            start = time.perf_counter()
            for _ in range(number):
                f()
            samples[name].append((time.perf_counter() - start) / number)
    return {name: float(np.median(samples[name])) for name in names}


def loglog_slope(sizes, times):
    """Slope of the least-squares line through ``(log n, log t)``: the empirical exponent."""
    sizes = np.asarray(sizes, dtype=float)
    times = np.asarray(times, dtype=float)
    if sizes.shape != times.shape or sizes.size < 2:
        raise ValueError(f"need at least two (size, time) pairs of equal length; got "
                         f"{sizes.shape} and {times.shape}")
    if (sizes <= 0).any() or (times <= 0).any():
        raise ValueError("sizes and times must be positive to take logarithms")
    slope, _ = np.polyfit(np.log(sizes), np.log(times), 1)
    return float(slope)


def autonumber(funcs, min_time=0.01, max_number=100_000):
    """Calls per timing such that ``number`` calls of the fastest function last ``min_time`` seconds.

    Use it to pick ``compare``'s ``number`` for functions much faster than a
    millisecond, whose single-call times would be dominated by the clock's
    resolution and the loop's overhead. Each function is called once (which
    also warms it up).
    """
    if not funcs:
        raise ValueError("funcs is empty: expected a dict of name -> callable")
    if min_time <= 0:
        raise ValueError(f"min_time must be positive; got {min_time}")
    fastest = float("inf")
    for f in funcs.values():
        start = time.perf_counter()
        f()
        fastest = min(fastest, time.perf_counter() - start)
    return int(min(max_number, max(1, np.ceil(min_time / max(fastest, 1e-9)))))
