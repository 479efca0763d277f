"""What a gradient keeps in memory, and checkpointing: memory traded for time.

Chapter "What the gradient costs, and what comes after it". Shapes as in
``network``: ``X`` is ``(n_0, m)``, ``W^l`` is ``(n_l, n_{l-1})``, ``b^l`` is
``(n_l, 1)``, ``Z^l`` and ``A^l`` are ``(n_l, m)``. Memory is counted in
floats (8 bytes each in float64).

- ``step_floats(sizes, m)``: what a training step of ``network.loss_and_grads``
  keeps, counted: ``Z^l`` and ``A^l`` of every layer for the backward pass
  (``2 n_l`` floats per example), the input ``X``, the parameters and their
  gradients;
- ``tape_floats(C)``: the floats held by the values of a tape, measured by
  walking the graph from the cost ``C``; ``tape_formula`` predicts it;
- ``peak_bytes(f)``: the peak of the memory allocated while ``f()`` runs,
  measured with ``tracemalloc`` (NumPy reports its arrays to it);
- ``checkpointed_grads``: the gradient on ``backprop.tape`` with ``A`` kept
  only every ``k`` layers, each segment recomputed on the way back;
- ``held_layers``, ``recomputed_layers``, ``best_interval``: the counts of
  the trade-off, in layers of activations and layer evaluations.
"""

from __future__ import annotations

import math
import tracemalloc

from . import tape
from ._checks import check_batch, check_choice
from .activations import FUNCTIONS
from .network import HIDDEN, LOSSES, architecture


def _check_sizes(sizes, m):
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {sizes}")
    if int(m) != m or m < 1:
        raise ValueError(f"the batch size m must be a positive integer; got {m!r}")
    return sizes, int(m)


def step_floats(sizes, m):
    """Floats a training step keeps, counted for layer sizes ``[n_0, ..., n_L]`` and batch ``m``.

    Returns a dict: ``"per_layer"``, a list of ``L`` counts ``2 n_l m``
    (``Z^l`` and ``A^l``, kept by the forward pass for the backward pass);
    ``"input"``, ``n_0 m`` (``X = A^0``); ``"kept"``, their sum, which grows
    with the depth and with ``m``; ``"parameters"`` and ``"gradients"``, both
    ``P = sum n_l (n_{l-1} + 1)``, fixed; and ``"total"``.
    """
    sizes, m = _check_sizes(sizes, m)
    per_layer = [2 * n_l * m for n_l in sizes[1:]]
    P = sum(n_l * (n_prev + 1) for n_prev, n_l in zip(sizes[:-1], sizes[1:]))
    kept = sizes[0] * m + sum(per_layer)
    return {"per_layer": per_layer, "input": sizes[0] * m, "kept": kept,
            "parameters": P, "gradients": P, "total": kept + 2 * P}


def tape_floats(C):
    """Floats held by the values of every Variable the tape of ``C`` reaches: measured.

    ``C`` is a ``tape.Variable`` (a cost). The graph is walked from ``C`` back
    to its inputs (``C._topological_order()``), and ``.value.size`` summed;
    the parameters, ``X`` and ``Y`` are inputs of the tape and count too.
    """
    if not isinstance(C, tape.Variable):
        raise TypeError(f"tape_floats needs a tape.Variable; got {type(C).__name__}")
    return sum(v.value.size for v in C._topological_order())


def tape_formula(sizes, m, loss="squared_error", hidden="sigmoid"):
    """The floats of ``tape.network_cost``'s tape, predicted: what ``tape_floats`` measures.

    Per layer ``3 n_l m``: the product ``W^l A^{l-1}``, ``Z^l`` and ``A^l``
    (``2 n_l m`` for a linear hidden layer, whose ``A^l`` is ``Z^l``, and for
    the softmax output, which lives in the cost); the inputs ``X``, ``Y`` and
    the ``P`` parameters; the cost's own values: for squared error the
    residual and its square (``n_L m`` each), the mean over the columns
    (``n_L``), the sum, the constant ``1/2`` and ``C``; for cross-entropy
    ``ln softmax`` and ``Y ⊙ ln softmax`` (``n_L m`` each), the mean, the sum
    and ``C``.
    """
    check_choice(loss, "loss", LOSSES)
    check_choice(hidden, "hidden activation", HIDDEN)
    sizes, m = _check_sizes(sizes, m)
    L, n_L = len(sizes) - 1, sizes[-1]
    per_layer = {f: (2 if f in ("identity", "softmax") else 3)
                 for f in ("sigmoid", "tanh", "relu", "identity", "softmax")}
    layers = sum(per_layer[f] * n_l * m for f, n_l in zip(architecture(L, loss, hidden), sizes[1:]))
    P = step_floats(sizes, m)["parameters"]
    cost = 2 * n_L * m + n_L + (3 if loss == "squared_error" else 2)
    return layers + sizes[0] * m + n_L * m + P + cost


def peak_bytes(f):
    """Peak bytes allocated while ``f()`` runs, above what was allocated before: an int.

    Measured with ``tracemalloc``; NumPy reports its array buffers to it, so
    the peak counts the arrays a step creates and keeps (and Python's small
    objects). The arguments ``f`` closes over were allocated before and are
    not counted. Tracing slows Python down: time ``f`` separately.
    """
    if not callable(f):
        raise TypeError(f"peak_bytes needs a function of no arguments; got {type(f).__name__}")
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return int(peak - before)


# --------------------------------------------------------------------------
# Checkpointing
# --------------------------------------------------------------------------

def _check_interval(L, k):
    if isinstance(k, bool) or int(k) != k:
        raise TypeError(f"the checkpoint interval k must be an integer; got {k!r}")
    if k < 1:
        raise ValueError(f"the checkpoint interval k must be at least 1 (a checkpoint every "
                         f"k layers); got k = {k}")
    if L < 1:
        raise ValueError(f"the network needs at least one layer; got L = {L}")
    return int(k)


def segments(L, k):
    """The segments of ``L`` layers cut every ``k``: a list of ``(first, last)`` layers, 1-based.

    ``segments(7, 3) == [(1, 3), (4, 6), (7, 7)]``; ``k >= L`` gives one segment.
    The input ``A^{first - 1}`` of each segment is its checkpoint.
    """
    k = _check_interval(L, k)
    return [(first, min(first + k - 1, L)) for first in range(1, L + 1, k)]


def _hidden_segment(params, a, hidden):
    """Layers of ``params`` (Variables) on the tape from ``a``, all with the hidden activation."""
    for W, b in params:
        a = tape.ELEMENTWISE[hidden](W @ a + b)
    return a


def checkpointed_grads(params, X, Y, k, loss="squared_error",
                       hidden="sigmoid"):
    """Cost and gradients, keeping ``A`` only every ``k`` layers.

    Same arguments and result as ``network.loss_and_grads``,
    ``(cost, grads)``, and the same numbers: ``params`` a list of
    ``(W^l, b^l)``, ``X`` ``(n_0, m)``, ``Y`` ``(n_L, m)``; ``grads``
    a list of ``(grad_W, grad_b)``.

    1. A forward pass without a tape keeps ``A^{first - 1}``, the
       input of each segment of ``segments(L, k)``, and nothing else.
    2. From the last segment to the first: rebuild the segment on the
       tape from its checkpoint, run it, and sweep back. The last
       segment ends in the cost ``C``. Any other ends in its output
       ``A^{last}``, whose gradient ``G = nabla_{A^{last}} C`` the next
       segment has computed, and its sweep starts from
       ``tape.sum(A^{last} * G)``, whose gradient with respect to
       ``A^{last}`` is ``G``. The checkpoint's ``.grad`` is the ``G``
       of the segment before.
    """
    check_choice(loss, "loss", LOSSES)
    check_choice(hidden, "hidden activation", HIDDEN)
    params, X, Y = check_batch(params, X, Y)
    L = len(params)
    parts = segments(L, k)
    checkpoints, A = {}, X              # A^{first - 1} of each segment
    for first, last in parts:
        checkpoints[first] = A
        if last == L:
            break
        for W, b in params[first - 1:last]:   # no tape: values only
            A = FUNCTIONS[hidden](W @ A + b)
    del A                               # the checkpoints hold what is kept
    grads, G, cost = [None] * L, None, None
    for first, last in reversed(parts):
        a_in = tape.Variable(checkpoints.pop(first))   # used once
        P = [(tape.Variable(W), tape.Variable(b))
             for W, b in params[first - 1:last]]
        if last == L:                   # the segment that ends in C
            C = tape.network_cost(P, a_in, Y, loss, hidden)
            cost = float(C.value)
            C.backward()
            del C                       # let the segment's tape go
        else:
            out = _hidden_segment(P, a_in, hidden)
            tape.sum(out * G).backward()    # seeds out.grad = G
            del out
        for l, (W, b) in zip(range(first, last + 1), P):
            grads[l - 1] = (W.grad, b.grad)
        G = a_in.grad                   # nabla_{A^{first - 1}} C
        del a_in, P
    return cost, grads


def held_layers(L, k, tape_cost=1):
    """Layers of activations held at the peak of the checkpointed backward sweep: counted.

    While segment ``s`` (0-based) is swept, the checkpoints of segments
    ``0, ..., s`` are held (the later ones are no longer needed) and so are
    the segment's recomputed layers, each worth ``tape_cost`` activations
    (1 if only ``A^l`` is kept; a tape that keeps the product, ``Z^l``,
    ``A^l`` and their gradients keeps about 6). The peak over the segments
    is about ``L / k + tape_cost k``, least near ``k = sqrt(L / tape_cost)``.
    Without checkpointing (``k = L``) it is ``1 + tape_cost L``.
    """
    if tape_cost <= 0:
        raise ValueError(f"tape_cost, the activations one taped layer keeps, must be positive; "
                         f"got {tape_cost}")
    return max(s + 1 + tape_cost * (last - first + 1)
               for s, (first, last) in enumerate(segments(L, k)))


def recomputed_layers(L, k):
    """Layer evaluations beyond one forward pass: those of the forward pass without a tape.

    Every layer but those of the last segment is evaluated twice, once to
    find the checkpoints and once on the tape: at most ``L - 1`` extra, about
    one forward pass; none for ``k >= L``.
    """
    return L - (segments(L, k)[-1][1] - segments(L, k)[-1][0] + 1)


def best_interval(L, tape_cost=1):
    """The interval ``k`` in ``1, ..., L`` with the fewest ``held_layers``; the smallest if tied."""
    return min(range(1, L + 1), key=lambda k: (held_layers(L, k, tape_cost), k))


def sqrt_interval(L, tape_cost=1):
    """``sqrt(L / tape_cost)``: where ``L / k + tape_cost k`` is least over real ``k > 0``."""
    return math.sqrt(L / tape_cost)


__all__ = ["best_interval", "checkpointed_grads", "held_layers", "peak_bytes", "recomputed_layers",
           "segments", "sqrt_interval", "step_floats", "tape_floats", "tape_formula"]
