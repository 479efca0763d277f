"""backprop.memory: the floats a step keeps, the tape's count measured against its formula,
checkpointed gradients equal to the plain ones, the counts of the trade-off, and the
self-check keys and the exercise of the chapter gradient_cost's memory sections."""

from __future__ import annotations

import numpy as np
import pytest
from cases import make_case, max_error, torch_loss_and_grads

from backprop import memory, network, tape

LOSSES = ("squared_error", "cross_entropy")
HIDDEN = ("sigmoid", "tanh", "relu", "identity")


def _case(rng, L, m, loss, bias=0.3):
    sizes = [3] + [4 + (l % 3) for l in range(1, L)] + [3]
    params, X, Y = make_case(rng, sizes, m, loss)
    return [(W, bias * rng.standard_normal(b.shape)) for W, b in params], X, Y


def _tape_grads(params, X, Y, loss, hidden):
    P = [(tape.Variable(W), tape.Variable(b)) for W, b in params]
    C = tape.network_cost(P, X, Y, loss, hidden)
    C.backward()
    return float(C.value), [(W.grad, b.grad) for W, b in P]


def _abs_error(grads_a, grads_b):
    return max(np.max(np.abs(a - b)) for pa, pb in zip(grads_a, grads_b, strict=True)
               for a, b in zip(pa, pb, strict=True))


# ---------------------------------------------------------------- counts


@pytest.mark.unit
def test_step_floats_by_hand():
    counted = memory.step_floats([3, 4, 2], 5)
    assert counted["per_layer"] == [2 * 4 * 5, 2 * 2 * 5]       # Z^l and A^l
    assert counted["input"] == 15
    assert counted["kept"] == 15 + 40 + 20
    assert counted["parameters"] == counted["gradients"] == 4 * 4 + 2 * 5
    assert counted["total"] == 75 + 2 * 26


@pytest.mark.unit
def test_step_floats_are_the_arrays_network_forward_keeps(rng):
    sizes, m = [5, 7, 6, 3], 4
    params, X, _ = make_case(rng, sizes, m, "squared_error")
    zs, activations = network.forward(params, X)
    kept = sum(z.size for z in zs) + sum(a.size for a in activations)
    assert kept == memory.step_floats(sizes, m)["kept"]
    assert sum(W.size + b.size for W, b in params) == memory.step_floats(sizes, m)["parameters"]


@pytest.mark.unit
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("L, m", [(1, 3), (2, 1), (4, 6)])
def test_the_tape_holds_what_the_formula_counts(rng, loss, hidden, L, m):
    params, X, Y = _case(rng, L, m, loss)
    sizes = [X.shape[0]] + [W.shape[0] for W, _ in params]
    C = tape.network_cost([(tape.Variable(W), tape.Variable(b)) for W, b in params], X, Y,
                          loss, hidden)
    assert memory.tape_floats(C) == memory.tape_formula(sizes, m, loss, hidden)


@pytest.mark.unit
def test_the_peak_of_a_step_grows_with_depth_and_batch_as_counted(rng):
    """One more layer of width n adds about 2 n m floats to the peak: Z^l and A^l."""
    n, m = 32, 256

    def peak(L, m):
        sizes = [n] * (L + 1)
        params, X, Y = make_case(rng, sizes, m, "squared_error")
        return memory.peak_bytes(lambda: network.loss_and_grads(params, X, Y))

    per_layer = (peak(8, m) - peak(4, m)) / 4 / 8           # floats per extra layer
    assert 0.8 < per_layer / (2 * n * m) < 1.3, per_layer / (2 * n * m)
    assert peak(4, 2 * m) > 1.7 * peak(4, m)


@pytest.mark.unit
def test_peak_bytes_counts_an_array_made_inside():
    held = memory.peak_bytes(lambda: np.ones((1000, 100)))
    assert 800_000 <= held < 900_000
    with pytest.raises(TypeError, match="function of no arguments"):
        memory.peak_bytes(3)


# ---------------------------------------------------------------- checkpointing


@pytest.mark.unit
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("hidden", ("sigmoid", "tanh", "relu"))
@pytest.mark.parametrize("L", [1, 2, 3, 5, 7])
def test_checkpointed_gradients_equal_the_plain_ones(rng, loss, hidden, L):
    params, X, Y = _case(rng, L, 6, loss)
    cost, grads = network.loss_and_grads(params, X, Y, loss, hidden)
    tape_cost, tape_grads = _tape_grads(params, X, Y, loss, hidden)
    for k in sorted({1, 2, 3, L, L + 1}):            # 2 and 3 do not divide 5 or 7
        c_k, g_k = memory.checkpointed_grads(params, X, Y, k, loss, hidden)
        assert [tuple(g.shape for g in pair) for pair in g_k] == \
               [tuple(p.shape for p in pair) for pair in params]
        assert abs(c_k - cost) < 1e-12
        assert _abs_error(g_k, grads) < 1e-12
        assert _abs_error(g_k, tape_grads) < 1e-12
        assert c_k == tape_cost


@pytest.mark.unit
def test_checkpointing_bad_input_is_a_clear_error(rng):
    params, X, Y = _case(rng, 3, 4, "squared_error")
    with pytest.raises(ValueError, match="k must be at least 1"):
        memory.checkpointed_grads(params, X, Y, 0)
    with pytest.raises(TypeError, match="must be an integer"):
        memory.checkpointed_grads(params, X, Y, 1.5)
    with pytest.raises(TypeError, match="must be an integer"):
        memory.checkpointed_grads(params, X, Y, True)
    with pytest.raises(ValueError, match="loss"):
        memory.checkpointed_grads(params, X, Y, 2, loss="hinge")
    with pytest.raises(ValueError, match="hidden activation"):
        memory.checkpointed_grads(params, X, Y, 2, hidden="swish")
    with pytest.raises(ValueError, match="X"):
        memory.checkpointed_grads(params, X[:2], Y, 2)
    with pytest.raises(ValueError, match="tape_cost"):
        memory.held_layers(9, 3, tape_cost=0)
    with pytest.raises(ValueError, match="sizes"):
        memory.step_floats([3], 4)
    with pytest.raises(ValueError, match="batch size"):
        memory.step_floats([3, 2], 0)
    with pytest.raises(TypeError, match="tape.Variable"):
        memory.tape_floats(np.ones((2, 2)))


@pytest.mark.unit
def test_segments_and_the_counts_of_the_trade_off():
    assert memory.segments(7, 3) == [(1, 3), (4, 6), (7, 7)]
    assert memory.segments(4, 9) == [(1, 4)]
    for L in range(1, 40):
        assert memory.held_layers(L, L) == L + 1                 # no checkpointing
        assert memory.recomputed_layers(L, L) == 0
        for k in range(1, L + 1):
            held = memory.held_layers(L, k)
            S = -(-L // k)                                      # ceil(L / k) segments
            r = L - (S - 1) * k                                 # the last segment's layers
            # the peak is while the last segment is swept, or the one before it
            assert held == max(S + r, S - 1 + k if S > 1 else 0)
            assert held <= L / k + k + 1
            assert 0 <= memory.recomputed_layers(L, k) <= L - 1
        best = memory.best_interval(L)
        assert abs(best - np.sqrt(L)) <= np.sqrt(L) / 2 + 1      # near sqrt(L)
        assert memory.held_layers(L, best) <= 2 * np.sqrt(L) + 2
    assert memory.held_layers(16, 4) == 8 and memory.best_interval(16) == 3
    # a taped layer worth 6 activations moves the best interval down to about sqrt(L / 6)
    assert memory.best_interval(64, tape_cost=6) in (3, 4)
    assert memory.sqrt_interval(64, 6) == pytest.approx(np.sqrt(64 / 6))


@pytest.mark.torch
@pytest.mark.parametrize("loss", LOSSES)
def test_checkpointed_gradients_equal_pytorch(torch, rng, loss):
    params, X, Y = _case(rng, 5, 7, loss)
    cost, grads = memory.checkpointed_grads(params, X, Y, 2, loss, "tanh")
    t_cost, t_grads = torch_loss_and_grads(torch, params, X, Y, loss, "tanh")
    assert abs(cost - t_cost) < 1e-12
    assert max_error(grads, t_grads) < 1e-10


# ---------------------------------------------------------------- the chapter's practice


# ---------------------------------------------------------------- one statement of the cost

COST_STATEMENT = (
    "Counted in the multiply-adds of its matrix products, one gradient of the book's network "
    "costs between 2 and 3 forward passes (exactly 2 for a single layer), however many "
    "parameters the network has; this is the cheap-gradient principle of reverse mode, which "
    "bounds the operations of a gradient by a small constant times those of the function, at "
    "the price of memory")


@pytest.mark.unit
@pytest.mark.parametrize("chapter", ["preface", "differentials", "gradient_cost"])
def test_the_chapters_share_one_statement_of_the_cost(chapter):
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "chapters" / f"{chapter}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = " ".join(" ".join("".join(c["source"]).split())
                    for c in cells if c["cell_type"] == "markdown")
    assert text.count(COST_STATEMENT) == 1
    if chapter != "gradient_cost":                   # the others point to where it is shown
        assert COST_STATEMENT + " ({ref}`ch-gradient-cost`)." in text


# ---------------------------------------------------------------- the static figure


@pytest.mark.unit
def test_peak_memory_figure_draws_measured_and_counted(rng):
    import matplotlib.pyplot as plt
    from figharness import assert_labelled

    from backprop import figures

    n, m = 16, 32
    depths, batches = [1, 2, 4], [16, 32, 64]

    def peak(L, m):
        params, X, Y = make_case(rng, [n] * (L + 1), m, "squared_error")
        return memory.peak_bytes(lambda: network.loss_and_grads(params, X, Y))

    counted = [8 * memory.step_floats([n] * (L + 1), m)["kept"] for L in depths]
    fig = figures.gradient_cost.peak_memory(
        depths, [peak(L, m) for L in depths], batches, [peak(2, mb) for mb in batches],
        counted, [8 * memory.step_floats([n] * 3, mb)["kept"] for mb in batches], m, 2)
    assert_labelled(fig)
    lines = fig.axes[0].get_lines()
    assert np.allclose(lines[1].get_ydata(), np.asarray(counted) / 1e6)
    plt.close(fig)
