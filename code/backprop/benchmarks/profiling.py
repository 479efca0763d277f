"""Where the time of a training step goes: a sampling profile by py-spy.

Appendix "Performance", section "Where the time goes". The step (readable or
fast) runs in a loop in a child process, which ``py-spy record --native``
samples; every sample's stack is put in one bucket, by the deepest function
of the package on the stack, except that time inside BLAS (the OpenBLAS
``gemm`` kernels and their packing routines) is always "matrix products".
Run ``python -m backprop.benchmarks.profiling readable 784,1024,10 512 float32 100``
to get the loop that is profiled.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: Bucket of each function of the package, by name.
BUCKETS = {
    "sigmoid": "sigmoid and its derivative", "sigmoid_prime": "sigmoid and its derivative",
    "sigmoid_": "sigmoid and its derivative",
    "softmax": "softmax and cost", "log_softmax": "softmax and cost", "mean_loss": "softmax and cost",
    "entry": "input checks",
    "as_array": "input checks", "check_batch": "input checks", "check_params": "input checks",
    "float_dtype": "input checks", "check_shape": "input checks", "is_array_batch": "input checks",
    "check_choice": "input checks", "check_scalar": "input checks",
    "sgd_step": "parameter update", "sgd_step_": "parameter update",
}
BLAS = "matrix products (BLAS)"
OTHER = "other element-wise work"
DRIVER = "_profiled_steps"


def _py_spy():
    exe = Path(sys.executable).with_name("py-spy")
    return str(exe) if exe.exists() else shutil.which("py-spy")


def bucket_of(frames) -> str:
    """The bucket of one sample, given its stack (outermost first) in py-spy's raw format."""
    leaf = frames[-1]
    if "gemm" in leaf or "openblas" in leaf.lower():
        return BLAS
    for frame in reversed(frames):
        if "backprop/" in frame:
            name = frame.split(" (", 1)[0].split(".<locals>")[0]
            return BUCKETS.get(name, OTHER)
    return OTHER


def _leaf_name(frame: str) -> str:
    """``"sgemm_kernel (libopenblas.so)"`` -> ``"sgemm_kernel"``; an unresolved address -> its library."""
    name, _, where = frame.partition(" (")
    if name.startswith("0x"):
        return f"{where.rstrip(')') or 'native code'} (no symbol)"
    return name


def summarize(raw_text: str) -> dict:
    """Fractions of the step's samples per bucket, and the most frequent native leaf functions."""
    buckets, leaves = collections.Counter(), collections.Counter()
    total = 0
    for line in raw_text.splitlines():
        if not line.strip():
            continue
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any(DRIVER in f for f in frames):
            continue                                  # imports and set-up, not the step
        n = int(count)
        total += n
        buckets[bucket_of(frames)] += n
        leaves[_leaf_name(frames[-1])] += n
    return {
        "samples": total,
        "fractions": {k: v / total for k, v in buckets.most_common()} if total else {},
        "top_leaves": [[k, v / total] for k, v in leaves.most_common(8)] if total else [],
    }


def profile_step(which, sizes=(784, 1024, 10), m=512, dtype="float32", steps=100, rate=250):
    """Run ``steps`` training steps of ``which`` (``"readable"`` or ``"fast"``) under py-spy."""
    exe = _py_spy()
    if exe is None:
        return {"error": "py-spy is not installed (pip install -r requirements-dev.txt)"}
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "profile.txt"
        cmd = [exe, "record", "--native", "--rate", str(rate), "--format", "raw",
               "--output", str(raw), "--", sys.executable, "-m", "backprop.benchmarks.profiling",
               which, ",".join(map(str, sizes)), str(m), dtype, str(steps)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not raw.exists():
            return {"error": f"py-spy failed ({proc.returncode}): {proc.stderr.strip()[-400:]}"}
        return summarize(raw.read_text())


def run_profile(sizes=(784, 1024, 10), m=512, dtype="float32", steps=100, progress=print):
    """Section 7: the profile of the readable and of the fast step, one thread."""
    out = {"sizes": list(sizes), "m": m, "dtype": dtype, "threads": 1, "steps": steps}
    for which in ("readable", "fast"):
        progress(f"profile: {which} step under py-spy")
        out[which] = profile_step(which, sizes, m, dtype, steps)
    return out


def measure(opts):
    """The section for ``python -m backprop.bench`` (a small network when quick)."""
    if opts.quick:
        return run_profile(sizes=(64, 32, 10), m=64, steps=300, progress=opts.progress)
    return run_profile(progress=opts.progress)


def targets(data):
    return []                                  # where the time goes: read, not budgeted


def summary(data):
    lines = [f"Where the time goes ({'-'.join(map(str, data['sizes']))}, m={data['m']}, {data['dtype']})"]
    for which in ("readable", "fast"):
        d = data.get(which, {})
        if "error" in d:
            lines.append(f"  {which}: {d['error']}")
        else:
            lines.append(f"  {which}: " + ", ".join(f"{k} {100 * v:.0f}%"
                                                    for k, v in d.get("fractions", {}).items()))
    return lines


def _profiled_steps(step, steps):
    """The loop that is profiled: only samples under this function count."""
    for _ in range(steps):
        step()


def _main(which, sizes, m, dtype, steps):
    from ..timing import limit_threads
    from .step import make_case, numpy_steps

    params, X, Y = make_case(sizes, m, dtype)
    step = numpy_steps(params, X, Y)[which]             # the benchmark's own step functions
    with limit_threads(1):
        step()                                          # warm-up, outside the profiled loop
        _profiled_steps(step, steps)


if __name__ == "__main__":
    _which, _sizes, _m, _dtype, _steps = sys.argv[1:6]
    _main(_which, [int(n) for n in _sizes.split(",")], int(_m), _dtype, int(_steps))
