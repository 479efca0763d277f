"""The one local web server and the one Chromium launch, for the tests and the benchmarks.

``serve(folder)`` serves a folder on 127.0.0.1 (a free port) from a daemon thread, quietly;
``launch(playwright)`` starts Debian's Chromium (``make chromium`` installs it: no tool may
download its own browser) with the settings every caller needs on a machine without a GPU,
a sandbox or a network.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser that hangs up is fine


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder``; yields its address ``http://127.0.0.1:PORT`` (no trailing slash)."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def installed() -> bool:
    """Whether Debian's Chromium is on this machine."""
    return Path(CHROMIUM).exists()


def launch(playwright):
    """Chromium started through ``playwright`` (a ``sync_playwright()`` context)."""
    if not installed():
        raise RuntimeError("Chromium is missing: `make chromium` installs Debian's chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
