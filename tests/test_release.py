"""``make release`` (tools/release.py) and the install from a tagged repository (issue 12)."""

import json
import os
import subprocess
import venv

import pytest
from _tagged_repo import git, release, tagged_bare_repository, version, work_copy

pytestmark = pytest.mark.slow     # each test copies the repository and runs git: seconds, out of make check


@pytest.fixture
def work(tmp_path):
    return work_copy(tmp_path / "work")


def test_release_tags_a_clean_tree_whose_notebooks_install_the_tag(work):
    tag = f"v{version()}"
    result = release(work, tag)
    assert result.returncode == 0, result.stderr
    assert git(work, "tag", "--list").stdout.split() == [tag]
    assert git(work, "rev-parse", f"{tag}^{{commit}}").stdout == git(work, "rev-parse", "HEAD").stdout
    again = release(work, tag)
    assert again.returncode == 1 and "exists already" in again.stderr


def test_release_refuses_a_dirty_tree(work):
    (work / "README.md").write_text((work / "README.md").read_text() + "\nan uncommitted line\n")
    result = release(work, f"v{version()}")
    assert result.returncode == 1
    assert "not clean" in result.stderr and "README.md" in result.stderr
    assert git(work, "tag", "--list").stdout == ""


def test_release_refuses_an_untracked_file(work):
    (work / "stray.txt").write_text("x")
    result = release(work, f"v{version()}")
    assert result.returncode == 1 and "stray.txt" in result.stderr


def test_release_refuses_a_tag_that_is_not_the_version(work):
    result = release(work, "v99.0.0")
    assert result.returncode == 1
    assert f"backprop.__version__ is '{version()}'" in result.stderr
    assert git(work, "tag", "--list").stdout == ""


def test_release_refuses_a_notebook_that_installs_another_tag(work):
    path = work / "notebooks" / "gradient.ipynb"
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"])
    cell["source"] = source.replace(f'BOOK_VERSION = "{version()}"', 'BOOK_VERSION = "0.0.1"')
    assert cell["source"] != source
    path.write_text(json.dumps(nb, indent=1) + "\n")
    git(work, "commit", "-qam", "an old install cell")
    result = release(work, f"v{version()}")
    assert result.returncode == 1
    assert "notebooks/gradient.ipynb: the install cell names v0.0.1" in result.stderr
    assert git(work, "tag", "--list").stdout == ""


def test_release_refuses_a_malformed_tag(work):
    result = release(work, version())          # no leading v
    assert result.returncode == 1 and "vX.Y.Z" in result.stderr


@pytest.mark.notebook(needs=())   # builds and installs the wheel
def test_pip_installs_the_package_from_the_tagged_repository(tmp_path):
    """The install cell's ``pip install "git+URL@vX.Y.Z"``, with a local bare repository for GitHub."""
    url, tag = tagged_bare_repository(tmp_path)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check",
                             f"git+{url}@{tag}"], capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Successfully installed backprop" in result.stdout
    out = subprocess.run([python, "-c", "import backprop, importlib.metadata as m; "
                          "print(backprop.__version__, m.version('backprop'), backprop.__file__)"],
                         capture_output=True, text=True, check=True, cwd="/", env=clean).stdout.split()
    assert out[:2] == [version(), version()]
    assert out[2].startswith(str(env_dir)), out[2]
    missing = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check",
                              f"git+{url}@v99.0.0"], capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert missing.returncode != 0, "a tag that was never released must not install"
