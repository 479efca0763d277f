"""backprop.fast, the FLOP count, the three ways, and the benchmark suite (python -m backprop.bench)."""

import json
import warnings

import numpy as np
import pytest
import sympy as sp
from cases import make_case, max_error, torch_loss_and_grads

from backprop import bench, fast, gradcheck, network, optim, timing
from backprop.benchmarks import build, flops, machine, profiling, redraw, step, threeways

DEPTHS = [[3, 2], [4, 5, 3], [5, 7, 6, 4], [6, 5, 4, 3, 2]]
LOSSES = ["squared_error", "cross_entropy"]


# --------------------------------------------------------------------------
# fast.loss_and_grads_fast: the same results as network.loss_and_grads
# --------------------------------------------------------------------------

@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("m", [1, 3, 16])
@pytest.mark.parametrize("sizes", DEPTHS, ids=lambda s: "-".join(map(str, s)))
def test_fast_equals_readable_float64(rng, sizes, m, loss):
    params, X, Y = make_case(rng, sizes, m, loss)
    cost, grads = network.loss_and_grads(params, X, Y, loss)
    cost_f, grads_f = fast.loss_and_grads_fast(params, X, Y, loss)
    assert isinstance(cost_f, float)
    assert abs(cost_f - cost) <= 1e-12 * abs(cost)
    assert max_error(grads_f, grads) <= 1e-12
    for (gW, gb), (W, b) in zip(grads_f, params, strict=True):
        assert gW.shape == W.shape and gb.shape == b.shape and gW.dtype == np.float64


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sizes", DEPTHS, ids=lambda s: "-".join(map(str, s)))
def test_fast_float32_keeps_dtype_and_agrees(rng, sizes, loss):
    params, X, Y = make_case(rng, sizes, 16, loss, dtype=np.float32)
    cost, grads = network.loss_and_grads(params, X, Y, loss)
    cost_f, grads_f = fast.loss_and_grads_fast(params, X, Y, loss)
    assert all(g.dtype == np.float32 for pair in grads_f for g in pair)
    assert abs(cost_f - cost) <= 1e-5 * abs(cost)
    assert max_error(grads_f, grads) <= 1e-5
    # and both are close to the float64 truth
    params64 = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
    _, grads64 = network.loss_and_grads(params64, X.astype(np.float64), Y.astype(np.float64), loss)
    assert max_error(grads_f, grads64) <= 1e-5


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("loss", LOSSES)
def test_fast_matches_finite_differences_and_pytorch(torch, rng, loss, hidden):
    params, X, Y = make_case(rng, [4, 5, 3, 3], 6, loss)
    cost_f, grads_f = fast.loss_and_grads_fast(params, X, Y, loss, hidden)
    assert max_error(grads_f, gradcheck.numerical_grads(params, X, Y, loss, hidden=hidden)) < 1e-7
    cost, grads = network.loss_and_grads(params, X, Y, loss, hidden)
    assert abs(cost_f - cost) <= 1e-12 * abs(cost) and max_error(grads_f, grads) <= 1e-12
    cost_t, grads_t = torch_loss_and_grads(torch, params, X, Y, loss, hidden)
    assert abs(cost_f - cost_t) <= 1e-12 * abs(cost_t)
    assert max_error(grads_f, grads_t) <= 1e-12


def test_fast_cross_entropy_with_targets_that_do_not_sum_to_one(torch, rng):
    params, X, Y = make_case(rng, [3, 4, 3], 5, "cross_entropy", normalized=False)
    _, grads_f = fast.loss_and_grads_fast(params, X, Y, "cross_entropy")
    _, grads_t = torch_loss_and_grads(torch, params, X, Y, "cross_entropy")
    assert max_error(grads_f, grads_t) <= 1e-12


def test_fast_does_not_modify_its_inputs(rng):
    params, X, Y = make_case(rng, [4, 5, 3, 2], 7, "cross_entropy")
    copies = [(W.copy(), b.copy()) for W, b in params], X.copy(), Y.copy()
    fast.loss_and_grads_fast(params, X, Y, "cross_entropy")
    fast.loss_and_grads_fast(params, X, Y, "squared_error")
    for (W, b), (W0, b0) in zip(params, copies[0], strict=True):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)
    assert np.array_equal(X, copies[1]) and np.array_equal(Y, copies[2])


def test_fast_saturated_sigmoid_is_finite_and_silent(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 5, "squared_error", dtype=np.float32)
    X *= 1e4                                             # z of order 1e4: exp(-z) overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # an overflow warning would fail here
        cost, grads = fast.loss_and_grads_fast(params, X, Y, "squared_error")
    assert np.isfinite(cost) and all(np.isfinite(g).all() for pair in grads for g in pair)
    _, grads_r = network.loss_and_grads(params, X, Y, "squared_error")
    assert max_error(grads, grads_r) <= 1e-5


def test_fast_converts_like_the_readable_version(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 4, "squared_error")
    as_lists = [(W.tolist(), b.tolist()) for W, b in params]
    X_int = np.round(10 * X).astype(int)
    cost, grads = network.loss_and_grads(as_lists, X_int, Y.tolist())
    cost_f, grads_f = fast.loss_and_grads_fast(as_lists, X_int, Y.tolist())
    assert cost_f == pytest.approx(cost, rel=1e-12) and max_error(grads_f, grads) <= 1e-12
    mixed = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    _, grads_mixed = fast.loss_and_grads_fast(mixed, X, Y)         # float32 params, float64 data
    assert all(g.dtype == np.float64 for pair in grads_mixed for g in pair)


def test_fast_rejects_bad_input_with_the_books_messages(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 4, "squared_error")
    with pytest.raises(ValueError, match=r"X must have shape \(n_0, m\) = \(3, m\)"):
        fast.loss_and_grads_fast(params, X.T, Y)
    with pytest.raises(ValueError, match=r"Y must have shape \(n_L, m\) = \(2, 4\)"):
        fast.loss_and_grads_fast(params, X, Y[:, :3])
    with pytest.raises(ValueError, match="Biases are columns"):
        fast.loss_and_grads_fast([(params[0][0], params[0][1][:, 0]), params[1]], X, Y)
    with pytest.raises(ValueError, match="layers do not chain"):
        fast.loss_and_grads_fast([params[1], params[0]], X, Y)
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        fast.loss_and_grads_fast(params, X, Y, "hinge")
    with pytest.raises(TypeError, match="params must be a list"):
        fast.loss_and_grads_fast(np.zeros((3, 3)), X, Y)


def test_fast_finite_check_can_be_skipped(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 4, "squared_error")
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        fast.loss_and_grads_fast(params, X, Y)                      # checked by default
    with np.errstate(invalid="ignore"):
        cost, _ = fast.loss_and_grads_fast(params, X, Y, check=False)  # a hot loop may skip it
    assert np.isnan(cost)


def test_fast_writes_into_out(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 4, "cross_entropy")
    out = [(np.empty_like(W), np.empty_like(b)) for W, b in params]
    _, grads = fast.loss_and_grads_fast(params, X, Y, "cross_entropy", out=out)
    assert grads is out
    _, reference = network.loss_and_grads(params, X, Y, "cross_entropy")
    assert max_error(out, reference) <= 1e-12
    with pytest.raises(ValueError, match=r"out\[1\] grad_W must be an array of shape \(2, 4\)"):
        fast.loss_and_grads_fast(params, X, Y, out=[out[0], (np.empty((4, 2)), out[1][1])])
    with pytest.raises(ValueError, match="out must be a list of 2"):
        fast.loss_and_grads_fast(params, X, Y, out=out[:1])


def test_sgd_step_in_place_equals_the_readable_step(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 4, "squared_error")
    _, grads = network.loss_and_grads(params, X, Y)
    expected = optim.sgd_step(params, grads, 0.3)
    arrays = [(W.copy(), b.copy()) for W, b in params]
    ids = [(id(W), id(b)) for W, b in arrays]
    result = fast.sgd_step_(arrays, grads, 0.3)
    assert result is arrays and [(id(W), id(b)) for W, b in arrays] == ids
    assert max_error(arrays, expected) <= 1e-15
    with pytest.raises(ValueError, match="eta must be positive"):
        fast.sgd_step_(arrays, grads, -1.0)
    with pytest.raises(ValueError, match="grads has 1 layers but params has 2"):
        fast.sgd_step_(arrays, grads[:1], 0.1)
    with pytest.raises(ValueError, match="do not have the shapes"):
        fast.sgd_step_(arrays, grads[::-1], 0.1)


def test_training_with_the_fast_gradients_is_the_same_training(rng):
    params, X, Y = make_case(rng, [4, 6, 3], 32, "cross_entropy")
    p_slow, h_slow = network_train(params, X, Y, network.loss_and_grads)
    p_fast, h_fast = network_train(params, X, Y, fast.loss_and_grads_fast)
    assert np.allclose(h_slow, h_fast, rtol=1e-12)
    assert max_error(p_fast, p_slow) <= 1e-12


def network_train(params, X, Y, grad_fn):
    from backprop import training

    params, history = training.train(params, X, Y, loss="cross_entropy", eta=0.5, epochs=3,
                                     batch_size=8, grad_fn=grad_fn)
    return params, history["cost"]


# --------------------------------------------------------------------------
# FLOP count
# --------------------------------------------------------------------------

def test_step_flops_by_hand():
    # 784-1024-10, m = 512: forward 2 layers, grad_W 2 layers, backward only into layer 1.
    hand = 2 * 512 * (1024 * 784 + 10 * 1024) * 2 + 2 * 512 * 10 * 1024
    assert flops.step_flops([784, 1024, 10], 512) == hand == 1_675_624_448
    assert flops.step_flops([3, 2], 1) == 4 * 3 * 2


def test_step_flops_symbolic():
    n0, n1, n2, n3, m = sp.symbols("n_0 n_1 n_2 n_3 m", positive=True, integer=True)
    per_layer = [n1 * n0, n2 * n1, n3 * n2]
    total = 4 * m * per_layer[0] + sum(6 * m * p for p in per_layer[1:])
    values = {n0: 7, n1: 5, n2: 4, n3: 3, m: 9}
    assert flops.step_flops([7, 5, 4, 3], 9) == int(total.subs(values))


@pytest.mark.parametrize("sizes,m", [([5, 4, 3], 6), ([7, 5, 4, 3], 2), ([3, 2], 5)])
def test_step_flops_counts_the_products_the_fast_step_forms(monkeypatch, rng, sizes, m):
    counted = []
    original = np.matmul

    def counting(a, b, *args, **kwargs):
        counted.append(2 * a.shape[0] * a.shape[1] * b.shape[1])
        return original(a, b, *args, **kwargs)

    params, X, Y = make_case(rng, sizes, m, "cross_entropy")
    monkeypatch.setattr(np, "matmul", counting)
    fast.loss_and_grads_fast(params, X, Y, "cross_entropy")
    monkeypatch.undo()
    assert sum(counted) == flops.step_flops(sizes, m)
    assert len(counted) == len(flops.step_products(sizes, m))


def test_step_flops_rejects_bad_sizes():
    with pytest.raises(ValueError, match="at least two positive layer sizes"):
        flops.step_flops([3], 4)
    with pytest.raises(ValueError, match="m must be a positive integer"):
        flops.step_flops([3, 2], 0)


# --------------------------------------------------------------------------
# Three ways to the same gradient
# --------------------------------------------------------------------------

@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("sizes,m", [([3, 2], 1), ([4, 5, 3], 6), ([5, 4, 4, 3], 4)])
def test_three_ways_agree(rng, sizes, m, loss):
    params, X, Y = make_case(rng, sizes, m, loss)
    cost, grads = network.loss_and_grads(params, X, Y, loss)
    for way in (threeways.per_weight_grads, threeways.per_example_grads):
        cost_w, grads_w = way(params, X, Y, loss)
        assert cost_w == pytest.approx(cost, rel=1e-12)
        assert max_error(grads_w, grads) <= 1e-12


def test_per_weight_loops_match_finite_differences(rng):
    params, X, Y = make_case(rng, [3, 4, 2], 3, "squared_error")
    _, grads = threeways.per_weight_grads(params, X, Y)
    assert max_error(grads, gradcheck.numerical_grads(params, X, Y)) < 1e-7


# --------------------------------------------------------------------------
# The benchmark suite
# --------------------------------------------------------------------------

@pytest.mark.torch          # the step section times PyTorch beside the NumPy step
def test_bench_quick_end_to_end(tmp_path, capsys):
    out = tmp_path / "report.json"
    bench.main(["--quick", "--threads", "1", "--only", "step,flops,threeways,scaling,build",
                "--out", str(out)])
    report = json.loads(out.read_text())
    m = report["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["blas"]["name"] and m["versions"]["numpy"]
    assert m["threads"] == [1] and m["date"].endswith("UTC")
    s = report["sections"]
    assert set(s) == {"step", "flops", "threeways", "scaling", "build"}
    assert len(s["step"]["rows"]) == len(step.QUICK_CASES) * 2
    for row in s["step"]["rows"]:
        assert set(row["median_s"]) == {"readable", "fast", "torch"}
        assert all(t > 0 for t in row["median_s"].values())
        assert row["ratio_to_torch"]["fast"] == pytest.approx(
            row["median_s"]["fast"] / row["median_s"]["torch"])
    for row in s["flops"]["rows"]:
        assert row["flops"] == flops.step_flops(row["sizes"], row["m"])
        assert 0 < row["fraction_of_matmul_rate"]["fast"]
    assert max(s["threeways"]["max_relative_difference"].values()) < 1e-12
    assert set(s["scaling"]["slopes"]) == {"vjp", "jacobian"}
    assert all(isinstance(t["met"], bool) for t in report["targets"])
    check = s["step"]["check"]                      # the input check's share of a 64-32-10/b64 step
    assert (check["sizes"], check["m"]) == ([64, 32, 10], 64)
    assert check["share"] == pytest.approx(
        (check["median_s"]["checked"] - check["median_s"]["unchecked"]) / check["median_s"]["checked"])
    assert any(t["target"] == "input check / readable step" and t["measured"] == check["share"]
               for t in report["targets"])
    text = capsys.readouterr().out
    assert "Training step" in text and f"wrote {out}" in text
    assert "input check of the readable step" in text
    # a subset is merged into the existing report
    bench.main(["--quick", "--threads", "1", "--only", "threeways", "--out", str(out)])
    merged = json.loads(out.read_text())
    assert set(merged["sections"]) == set(s)


def test_bench_rejects_unknown_sections():
    with pytest.raises(SystemExit):
        bench.parse_args(["--only", "step,nonsense"])
    with pytest.raises(SystemExit):
        bench.parse_args(["--threads", "0"])


def test_committed_results_are_package_data():
    report = bench.load_results()
    assert report["schema"] == bench.SCHEMA and not report["quick"]
    assert {"cpu", "cores", "blas", "versions", "date"} <= set(report["machine"])
    assert {"step", "flops", "threeways", "scaling", "profile", "redraw", "build"} <= set(report["sections"])


def test_evaluate_targets():
    report = {"sections": {
        "step": {"rows": [dict(sizes=[2, 1], m=1, dtype="float64", threads=1,
                               ratio_to_torch={"fast": 0.5, "readable": 1.2})]},
        "flops": {"rows": [dict(dtype="float32", threads=1,
                                fraction_of_matmul_rate={"fast": 0.8})]},
        "build": {"notebook_s": {"a.ipynb": 25.0}, "page_bytes": {"a.html": 100}},
    }}
    met = {(t["target"], t["where"]): t["met"] for t in bench.evaluate_targets(report)}
    assert met[("fast step / PyTorch step", "2-1 m=1 float64 1T")] is True
    assert met[("fast step FLOP rate / bare matmul rate", "float32 1T")] is False
    assert met[("notebook execution (s)", "a.ipynb")] is False
    assert met[("largest page (bytes)", "a.html")] is True


def test_autonumber_and_machine_description(monkeypatch):
    # A clock that advances 2^-10 s per reading (exact in binary): one call "takes" one tick,
    # whatever the machine is doing, so 100 ticks need 100 calls; the cap and floor are exact.
    tick = 2.0**-10
    ticks = iter(range(10**6))
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(ticks) * tick)
    assert timing.autonumber({"f": lambda: None}, min_time=100 * tick) == 100
    assert timing.autonumber({"f": lambda: None}, min_time=1.0, max_number=500) == 500
    assert timing.autonumber({"f": lambda: None}, min_time=1e-9) == 1
    monkeypatch.undo()
    with pytest.raises(ValueError, match="funcs is empty"):
        timing.autonumber({})
    with pytest.raises(ValueError, match="min_time must be positive"):
        timing.autonumber({"f": lambda: None}, min_time=0)
    d = machine.describe(threads=[1])
    assert d["cores"] >= 1 and "numpy" in d["versions"] and d["blas"]["name"]


def test_build_log_and_page_sizes(tmp_path):
    log = ("/x/chapters/notation.ipynb: Executing notebook using local CWD [mystnb]\n"
           "/x/chapters/notation.ipynb: Executed notebook in 3.25 seconds [mystnb]\n"
           "/x/chapters/gradient.ipynb: Executed notebook in 12.00 seconds [mystnb]\n")
    assert build.notebook_times(log) == {"notation.ipynb": 3.25, "gradient.ipynb": 12.0}
    (tmp_path / "chapters").mkdir()
    (tmp_path / "index.html").write_text("x" * 10)
    (tmp_path / "chapters" / "a.html").write_text("y" * 20)
    assert build.page_sizes(tmp_path) == {"chapters/a.html": 20, "index.html": 10}


def test_profile_summary_buckets():
    raw = "\n".join([
        "<module> (x.py:1);_profiled_steps (backprop/benchmarks/profiling.py:9);"
        "loss_and_grads (backprop/network.py:230);forward (backprop/network.py:155);"
        "sgemm_kernel_SKYLAKEX (libopenblas.so) 7",
        "<module> (x.py:1);_profiled_steps (backprop/benchmarks/profiling.py:9);"
        "sigmoid (backprop/activations.py:27);PyArray_Where (numpy.so) 2",
        "<module> (x.py:1);_profiled_steps (backprop/benchmarks/profiling.py:9);"
        "sgd_step (backprop/network.py:245) 1",
        "<module> (x.py:1);_find_and_load (<frozen importlib>:1) 50",     # set-up: not counted
    ])
    summary = profiling.summarize(raw)
    assert summary["samples"] == 10
    assert summary["fractions"] == {profiling.BLAS: 0.7, "sigmoid and its derivative": 0.2,
                                    "parameter update": 0.1}


def test_toc_notebooks_lists_every_chapter():
    root = bench.find_root()
    names = redraw.toc_notebooks(root)
    assert names[0] == "chapters/preface.ipynb" and "chapters/notation.ipynb" in names
    assert names.index("chapters/app_errata.ipynb") + 1 == names.index("chapters/app_errata_matrix_chapter.ipynb")
    assert all((root / n).exists() for n in names)


@pytest.mark.slow  # seconds: kept out of make check's 90 s, run by make test
def test_redraw_latency_of_a_notebook_figure(tmp_path):
    """The benchmark replays a notebook's explore(figures.M.F, ...) call in-process and times it."""
    import types

    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": "explore(figures.demo.busy, a=(-1.0, 1.0, 0.5), k=[1, 2, 3])"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "demo.ipynb").write_text(json.dumps(nb))
    demo = types.SimpleNamespace(busy=busy_setup)
    result = redraw.measure_notebook(tmp_path / "demo.ipynb", rounds=1, values=3,
                                     resolve=lambda call: getattr(demo, call.name))
    assert "error" not in result, result.get("error")
    (ex,) = result["explorers"]
    assert ex["figure"] == "demo.busy" and ex["params"] == ["a", "k"] and ex["grid"] == [5, 3]
    assert ex["moves"] == 5 and 0 < ex["median_ms"] < 5000          # a: -1, 0, 1 from 0; k: 2, 3 from 1
    assert ex["update_median_ms"] > 0 and ex["render_median_ms"] > 0
    lines = redraw.summary({"notebooks": [result]})
    assert lines[1].startswith("  demo.ipynb #0")
    assert redraw.targets({"notebooks": [result]})[0]["limit"] == redraw.TARGET_MS


# --------------------------------------------------------------------------
# The live render path (explorer._png with a cache) draws the same pixels
# --------------------------------------------------------------------------

def busy_setup(fig, a, k):
    """Lines, filled contours, points, an image with a colour bar, a log axis, legends, titles."""
    from backprop.figures import style

    xs = np.linspace(-2, 2, 40)
    ax1, ax2, ax3 = fig.subplots(1, 3)
    style.contour_panel(ax1, lambda x, y: x**2 + 3 * y**2, (-2, 2), (-2, 2), levels=8, n=30)
    points = ax1.scatter([0], [0], color="C1", label="points")
    (path,) = ax1.plot([], [], "o-", color="C3", label="path")
    ax1.legend(loc="best")
    image = ax2.imshow(np.outer(xs, xs))
    fig.colorbar(image, ax=ax2)
    (curve,) = ax3.semilogy(xs + 3, np.exp(xs), label="curve")
    note = ax3.text(0.05, 0.9, "", transform=ax3.transAxes)
    ax3.set(xlabel="x", ylabel="y")
    ax3.legend()

    def update(a, k):
        p = np.array([[a, a / 2], [a / 2, -a / 3], [0.1 * k, 0.1]])
        path.set_data(p[:, 0], p[:, 1])
        points.set_offsets(p[:2])
        image.set_data(np.outer(xs, xs) * a)
        image.set_clim(-4 * abs(a) - 0.1, 4 * abs(a) + 0.1)
        curve.set_ydata(np.exp(k * xs))
        ax3.set_ylim(np.exp(-2 * k), np.exp(2 * k))
        note.set_text(f"a = {a:.1f}")
        ax1.set_title(f"step {k}")

    update(a, k)
    return update

def busy_explorer(freeze_layout):
    from backprop import explorer

    return explorer.explore(busy_setup, a=(-1.0, 1.0, 0.5), k=[1, 2, 3], figsize=(9, 3),
                            freeze_layout=freeze_layout)


def full_draw_at_the_same_positions(fig):
    engine = fig.get_layout_engine()
    fig.set_layout_engine("none")
    try:
        fig.canvas.draw()
    finally:
        fig.set_layout_engine(engine)
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


@pytest.mark.slow  # seconds: kept out of make check's 90 s, run by make test
@pytest.mark.parametrize("freeze_layout", [True, False])
def test_live_redraws_are_pixel_exact(rng, freeze_layout):
    import io

    from PIL import Image

    ex = busy_explorer(freeze_layout)
    ex.png()
    values = list(ex.values.values())
    partial = 0
    for _ in range(30):                                   # one slider at a time, like a reader
        j = int(rng.integers(len(ex.params)))
        values[j] = ex.params[j].values[int(rng.integers(len(ex.params[j].values)))]
        ex.set(**dict(zip(ex.values, values, strict=True)))
        live = np.asarray(Image.open(io.BytesIO(ex.png())))
        partial += "background" in ex._render_cache
        assert np.array_equal(live, full_draw_at_the_same_positions(ex.fig))
    if freeze_layout:
        assert partial > 5                                # the partial redraw was exercised
    else:
        assert partial == 0                               # a layout engine at work: full draws
