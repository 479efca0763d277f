"""The Jupyter path: each reader notebook runs alone, outside the repository, on the installed wheel.

The package is built as a wheel and installed, with the book's requirements,
into a fresh virtual environment (a reader's own Jupyter with ``backprop``
installed). Each reader notebook (notebooks/, what Colab and Jupyter readers
open) is then copied ALONE into an empty temporary directory outside the
repository and executed there with that environment's kernel. It must pass
with only the installed package: no relative paths, no files from the
repository, and its install cell must not run pip (the package is there). The
kernel reports where it imported ``backprop`` from, and the test checks that
it is the wheel. Colab's own runtime is tests/test_colab_runtime.py.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
READERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: The environment of every subprocess: nothing of this checkout on the path (PYTHONPATH would make
#: pip see code/backprop as installed and skip the wheel).
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in {"PYTHONPATH", "VIRTUAL_ENV", "BACKPROP_STATIC_HTML", "JUPYTER_PATH"}}

RUNNER = r'''
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import backprop, json; print(json.dumps({'backprop_file': backprop.__file__}))"))
client = NotebookClient(nb, timeout=300, kernel_name="python3")
failed = None
try:
    client.execute(cwd=sys.argv[2])
except CellExecutionError as err:
    failed = str(err)[-3000:]
last = nb.cells[-1].get("outputs", [])
where = [o["text"] for o in last if o.get("output_type") == "stream"]
code = [c for c in nb.cells if c.cell_type == "code"]
install = "".join(o.get("text", "") for o in code[0].get("outputs", [])) if len(code) > 1 else ""
print(json.dumps({"failed": failed, "where": where, "install": install}))
'''


@pytest.fixture(scope="module")
def colab_env(tmp_path_factory):
    """A fresh virtual environment with the wheel and the book's requirements."""
    base = tmp_path_factory.mktemp("colab")
    assert not str(base).startswith(str(ROOT)), "the temporary directory must be outside the repository"
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, env=CLEAN_ENV)
    wheels = list(dist.glob("backprop-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheels[0]), "-r", str(ROOT / "requirements.txt")], check=True, env=CLEAN_ENV)
    runner = base / "run_notebook.py"
    runner.write_text(RUNNER)
    yield python, runner, base
    shutil.rmtree(base, ignore_errors=True)


def test_wheel_contains_only_the_package(colab_env):
    python, _, _ = colab_env
    out = subprocess.run([str(python), "-c", "import backprop, os; print(os.path.dirname(backprop.__file__))"],
                         capture_output=True, text=True, check=True, cwd="/", env=CLEAN_ENV).stdout.strip()
    assert "site-packages" in out and not out.startswith(str(ROOT))


@pytest.mark.slow
@pytest.mark.parametrize("path", READERS, ids=lambda p: p.name)
def test_notebook_runs_alone_outside_the_repository(colab_env, path, tmp_path):
    python, runner, base = colab_env
    alone = tmp_path / "alone"
    alone.mkdir()
    assert not str(alone).startswith(str(ROOT))
    shutil.copy(path, alone / path.name)
    env = dict(CLEAN_ENV)
    env["PATH"] = f"{python.parent}:{env.get('PATH', '')}"
    result = subprocess.run([str(python), str(runner), str(alone / path.name), str(alone)],
                            capture_output=True, text=True, env=env, cwd=str(alone), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] is None, f"{path.name} failed outside the repository:\n{report['failed']}"
    assert "pip" not in report["install"], f"the install cell ran pip with backprop installed: {report['install']}"
    if any(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"):
        where = json.loads(report["where"][0])["backprop_file"]
        assert str(base) in where and not where.startswith(str(ROOT)), where
    assert sorted(p.name for p in alone.iterdir()) == [path.name], "the notebook wrote files next to itself"
