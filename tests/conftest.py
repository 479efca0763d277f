"""Shared fixtures. The package is imported from code/ (installed editable by make).

Helpers the tests share are modules of this folder: ``cases`` (``make_case``, the PyTorch
reference network, ``max_error``) and ``figdata`` (``figure_data``, what a figure draws).
The tools in tools/ are imported by name (``import nbtool``), as their own command lines do.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "code"))
# tools/ too: the tests import the maintenance tools they check (nbtool, reader_notebooks)
sys.path.insert(0, str(ROOT / "tools"))

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


# -- the built book, served and opened in Chromium (tests of the built site) ----------------

#: The built book. ``BACKPROP_BOOK_HTML`` points the built-site tests at another folder,
#: e.g. a small book built to check the local Sphinx extensions.
BOOK_HTML = Path(os.environ.get("BACKPROP_BOOK_HTML", ROOT / "_build" / "html"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]


@pytest.fixture(scope="module")
def book_url():
    """The address of ``BOOK_HTML`` served on 127.0.0.1 by a quiet local server."""
    import functools
    import http.server
    import threading

    assert (BOOK_HTML / "index.html").exists(), f"the book is not built at {BOOK_HTML}: run `make book`"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(BOOK_HTML)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright (``make test`` installs it; never downloaded)."""
    import shutil

    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(path).exists(), "Chromium is missing: `make test` installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
