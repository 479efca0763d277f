"""A description of the machine a benchmark ran on, recorded next to its results."""

from __future__ import annotations

import datetime as _dt
import os
import platform
from importlib import metadata

_VERSIONS = ("numpy", "torch", "matplotlib", "ipywidgets", "pillow", "sympy", "jupyter-book",
             "myst-nb", "nbclient", "threadpoolctl", "py-spy")


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (or ``platform.processor()``)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_info() -> dict:
    """NumPy's BLAS as reported by ``np.show_config(mode="dicts")``, plus the runtime thread pools."""
    import numpy as np

    info = {}
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        info = {k: blas.get(k) for k in ("name", "version", "openblas configuration") if k in blas}
    except Exception as exc:  # very old NumPy: no mode="dicts"
        info = {"error": str(exc)}
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {k: pool.get(k) for k in ("user_api", "internal_api", "num_threads", "version",
                                      "architecture", "threading_layer")}
            for pool in threadpool_info()
        ]
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    return info


def versions() -> dict:
    """Versions of Python and of the libraries that matter for the timings (``None`` if absent)."""
    out = {"python": platform.python_version()}
    for name in _VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def load_average():
    """The 1, 5 and 15 minute load averages (a busy machine makes timings noisy), or ``None``."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def now() -> str:
    """The current date and time in UTC, to the minute."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def describe(threads=None) -> dict:
    """Everything the report records about the machine: CPU, cores, BLAS, versions, date."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "blas": blas_info(),
        "versions": versions(),
        "threads": threads,
        "thread_env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                  "MKL_NUM_THREADS") if k in os.environ},
        "load_average": load_average(),
        "date": now(),
    }
