"""A copy of this book in a fresh git repository, released with tools.release, served as a bare repository.

Used by tests/test_release.py and tests/test_colab_runtime.py. It needs no git
history of the checkout the tests run in (the tree is copied, not cloned), and
``file://`` stands in for GitHub, so ``pip install "git+URL@vX.Y.Z"`` runs for
real without any network but the package registries (for the build backend).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tools import book

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "build", "dist", "*.egg-info", ".pytest_cache",
                                "__pycache__", ".ruff_cache", ".hypothesis", "bench-results")
GIT_ENV = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}


def version() -> str:
    return book.package_version()


def git(cwd, *args, check=True):
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def work_copy(dest: Path) -> Path:
    """The tree of this book, committed in a new repository at ``dest``."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "the book")
    return dest


def release(work: Path, *args: str):
    """Run the copy's own ``python -m tools.release`` (as ``make release`` does); returns the CompletedProcess.

    ``-m`` from the copy's root imports the copy's tools, whatever else is on the path."""
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run([sys.executable, "-m", "tools.release", *args], cwd=work, env=env,
                          capture_output=True, text=True)


def tagged_bare_repository(base: Path) -> tuple[str, str]:
    """(file:// URL of a bare repository carrying the release tag, the tag)."""
    work = work_copy(base / "work")
    tag = f"v{version()}"
    result = release(work, tag)
    assert result.returncode == 0, result.stdout + result.stderr
    bare = base / "book.git"
    git(base, "clone", "-q", "--bare", str(work), str(bare))
    return bare.as_uri(), tag
