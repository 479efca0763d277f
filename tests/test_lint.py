"""ruff over the package, the tests, the tools, the Sphinx extension and the chapters (pyproject.toml).

The command is the Makefile's ``LINT``, the one ``make lint`` and ``make test`` run.
"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_command():
    """The Makefile's ``LINT := $(BIN)/ruff check ...``, with this environment's ruff."""
    line = re.search(r"^LINT := \$\(BIN\)/(ruff .*)$", (ROOT / "Makefile").read_text(), re.M)
    assert line, "the Makefile has no LINT := $(BIN)/ruff ... line"
    words = shlex.split(line.group(1))
    return [shutil.which("ruff") or str(Path(sys.executable).parent / "ruff"), *words[1:]]


def test_lint_covers_every_source_folder():
    assert lint_command()[1:] == ["check", "code", "tests", "tools", "_ext", "chapters"]


def test_ruff_is_clean():
    result = subprocess.run(lint_command(), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
