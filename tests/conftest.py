"""Shared fixtures, and the layers of the test suite.

Helpers the tests share are modules of this folder: ``cases`` (``make_case``, the PyTorch
reference network, ``max_error``) and ``figharness`` (the figure registry's calls, and
``figure_data``: what a figure draws).

Layers. Every test carries exactly one layer marker (``tests/test_layers.py`` checks it);
``slow`` may be added on top of any of them:

- ``unit``: the package, the figures, the tools and the repository's structure, with no built
  book, no PyTorch and no browser. ``make check`` runs this layer: the inner loop.
- ``torch``: cross-checks against PyTorch autograd.
- ``notebook``: runs notebooks in a kernel, or builds and installs the package's wheel.
- ``site``: the built book (``make book``), read as files or opened in Chromium.
- ``pdf``: the book as a PDF (``make pdf``).

A test's layer is its marker when it has one (a decorator, or the module's ``pytestmark``);
otherwise :func:`pytest_collection_modifyitems` gives it one by the fixtures it uses:
``torch`` -> ``torch``; ``chromium`` or ``book_url`` -> ``site``; none of these -> ``unit``.

Needs. What a test needs beyond the unit layer's environment (:data:`NEEDS`) follows from its
fixtures and its layer (:data:`LAYER_NEEDS`); a layer marker's ``needs=`` replaces its layer's,
e.g. ``pytest.mark.notebook(needs=("kernel", "book"))`` or ``pytest.mark.site(needs=())``.
Outside ``make test`` a test whose need is missing skips and says what to run. Under
``make test`` (``BACKPROP_NO_SKIP=1``, and so in CI) any skip fails the run: nothing can hide.

``BACKPROP_FORBID_IMPORTS=torch,playwright`` (``make check`` sets it) makes those modules
unimportable for the whole run, so the unit layer is proven not to need them.
"""

import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The package is installed editable (make book, make check); code/ first on the path keeps the
# tests on this checkout's package when they run with another checkout's environment.
sys.path.insert(0, str(ROOT / "code"))
# The repository root, so that the tests import the maintenance tools by name (`from tools import
# book`) wherever pytest is started from: tools/ is the repository's, not an installed package.
sys.path.insert(0, str(ROOT))

from tools import browser  # noqa: E402  (the one local server and Chromium launch)

# -- forbidden imports (make check) ----------------------------------------------------------

#: Top-level modules that no test of this run may import (``make check``: torch, playwright).
FORBIDDEN = sorted(set(os.environ.get("BACKPROP_FORBID_IMPORTS", "").replace(",", " ").split()))


class _Forbidden(importlib.abc.MetaPathFinder):
    """An import finder that refuses the modules of :data:`FORBIDDEN` (and their submodules)."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in FORBIDDEN:
            raise ModuleNotFoundError(
                f"{name} may not be imported in this run (BACKPROP_FORBID_IMPORTS={','.join(FORBIDDEN)}): "
                "a test that needs it belongs to another layer than `unit`", name=name)
        return None


if FORBIDDEN:
    _loaded = [m for m in FORBIDDEN if m in sys.modules]
    if _loaded:
        raise RuntimeError(f"imported before the tests started, although forbidden: {_loaded}")
    sys.meta_path.insert(0, _Forbidden())

import matplotlib  # noqa: E402

# Tests draw off-screen. Set in-process (not through MPLBACKEND, which notebook
# kernels started by the tests would inherit, losing their inline figures).
matplotlib.use("Agg")

# -- layers and needs ------------------------------------------------------------------------

LAYERS = ("unit", "torch", "notebook", "site", "pdf")

#: The built book. ``BACKPROP_BOOK_HTML`` points the built-site tests at another folder,
#: e.g. a small book built to check the local Sphinx extensions.
BOOK_HTML = Path(os.environ.get("BACKPROP_BOOK_HTML", ROOT / "_build" / "html"))
#: The book as one PDF (make pdf).
PDF = ROOT / "_build" / "pdf" / "book.pdf"

#: ``make test`` sets it: a skip is then a failure.
NO_SKIP = os.environ.get("BACKPROP_NO_SKIP", "") not in ("", "0")


def _importable(*modules):
    for module in modules:
        try:
            if importlib.util.find_spec(module) is None:
                return False
        except ImportError:           # a forbidden module (BACKPROP_FORBID_IMPORTS)
            return False
    return True


def _rel(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


#: Every need: ``(is it there?, what to run when it is not)``.
NEEDS = {
    "torch": (lambda: _importable("torch"),
              "needs PyTorch: run `make test`, or `pip install -r requirements-dev.txt`"),
    "book": (lambda: (BOOK_HTML / "index.html").exists(),
             f"needs the built book ({_rel(BOOK_HTML)}): run `make book`"),
    "pdf": (lambda: PDF.exists(), f"needs the PDF ({_rel(PDF)}): run `make pdf`"),
    "chromium": (lambda: browser.installed() and _importable("playwright"),
                 "needs Chromium and Playwright: run `make chromium` and `pip install -r requirements-dev.txt` "
                 "(`make test` does both)"),
    "kernel": (lambda: _importable("nbclient", "ipykernel"),
               "needs nbclient and a Python kernel: run `make test`, or `pip install -r requirements-dev.txt`"),
}

#: What each layer needs by itself (the fixtures add theirs: ``torch``, ``chromium``, ``book_url``).
LAYER_NEEDS = {"unit": (), "torch": ("torch",), "notebook": ("kernel",), "site": ("book",), "pdf": ("pdf",)}
FIXTURE_NEEDS = {"torch": "torch", "chromium": "chromium", "book_url": "book"}

LAYER_KEY = pytest.StashKey[dict]()      # config: {nodeid: [layer markers]} of every collected test
NEEDS_KEY = pytest.StashKey[tuple]()     # item: its needs


def layer_markers(item):
    """The layer markers a test carries (its own, its class's and its module's)."""
    return [m for m in item.iter_markers() if m.name in LAYERS]


@pytest.hookimpl(tryfirst=True)   # before `-m` selects by the markers given here
def pytest_collection_modifyitems(config, items):
    layers = {}
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        needs = {FIXTURE_NEEDS[f] for f in fixtures if f in FIXTURE_NEEDS}
        marks = layer_markers(item)
        if not marks:
            layer = ("torch" if "torch" in fixtures else
                     "site" if {"chromium", "book_url"} & fixtures else "unit")
            item.add_marker(layer)     # its fixtures bring its needs (Chromium alone needs no built book)
            marks = layer_markers(item)
        else:
            for mark in marks:         # a marker's needs= replaces its layer's own needs
                extra = mark.kwargs.get("needs", LAYER_NEEDS[mark.name])
                needs.update([extra] if isinstance(extra, str) else extra)
        if "chromium" in fixtures and not any(m.name == "browser" for m in item.iter_markers()):
            item.add_marker("browser")
        unknown = needs - set(NEEDS)
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown needs {sorted(unknown)}; known: {sorted(NEEDS)}")
        layers[item.nodeid] = sorted({m.name for m in marks})
        item.stash[NEEDS_KEY] = tuple(sorted(needs))
    config.stash[LAYER_KEY] = layers


def require(need):
    """Skip, saying what to run, unless ``need`` of :data:`NEEDS` is there (under ``make test``: fail)."""
    present, instruction = NEEDS[need]
    if not present():
        pytest.skip(instruction)


@pytest.hookimpl(tryfirst=True)   # before a skip mark's own reason (an empty parameter set)
def pytest_runtest_setup(item):
    for need in item.stash.get(NEEDS_KEY, ()):
        require(need)


def _no_skip(report):
    """Under ``make test`` a skipped report becomes a failure that says why it was skipped."""
    if NO_SKIP and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if getattr(report, "wasxfail", None) is not None:
            reason = f"expected failure: {report.wasxfail}"
        report.outcome = "failed"
        report.longrepr = f"skipped, and under `make test` (BACKPROP_NO_SKIP=1) nothing may skip: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    _no_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    _no_skip(report)
    return report


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def rng():
    """A seeded generator, fresh for every test."""
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def torch():
    """PyTorch, a test dependency (requirements-dev.txt): skips without it, or fails under ``make test``."""
    require("torch")
    import torch as _torch

    _torch.set_default_dtype(_torch.float64)
    return _torch


# -- the built book, served and opened in Chromium (tests of the built site) ----------------

@pytest.fixture(scope="module")
def book_url():
    """The address of ``BOOK_HTML`` served on 127.0.0.1 by the one quiet local server."""
    require("book")
    with browser.serve(BOOK_HTML) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright (``make test`` installs it; never downloaded)."""
    require("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = browser.launch(p)
        yield launched
        launched.close()
