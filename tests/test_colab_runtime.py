"""Colab's runtime, reproduced: every reader notebook runs alone on Colab's pins, installing itself (issue 12).

A virtual environment is pinned to ``tests/colab-core-2026.08.txt``
(Colab's numpy, matplotlib, ipywidgets 7.7.1, ipykernel 6.17.1, IPython 7.34,
...), on Python 3.13 when pyenv has it, once per test session. Nothing of the
book is installed in it. Each reader notebook is then copied ALONE into an
empty folder and run in a kernel of that environment, as Colab would:

- numpy is imported first (Colab preloads it), so the install cell's check of
  already-imported packages runs for real;
- the install cell takes its Colab branch: ``pip install "git+URL@vX.Y.Z"``
  with URL a local bare repository carrying the release tag (made by
  tools/release.py from a copy of this tree), or, to keep the session short,
  the wheel built once from that tag (the first notebook uses the repository);
- every explorer's widget view must be displayed; each of its sliders is moved
  by a ``comm_msg`` on the kernel's shell channel, exactly what a front end
  sends, and the kernel must answer with a new image on the Image widget's comm;
- ``pip freeze`` after the notebook equals ``pip freeze`` before it, apart from
  backprop itself: pip changed nothing that Colab had.

Colab's browser side (its widget manager, Markdown renderer, forms, restart
prompt) cannot be reached from here; this test stops at the kernel's messages.
"""

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from _tagged_repo import tagged_bare_repository

ROOT = Path(__file__).resolve().parents[1]
#: Colab's pins (googlecolab/backend-info at a724079, 2026-08-19), the subset that matters to the book.
PINS = ROOT / "tests" / "colab-core-2026.08.txt"
READERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def pinned_interpreter() -> str:
    """Python 3.13 from pyenv when there is one (Colab's 2026.08 runtime), else this machine's Python."""
    roots = [os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv")]
    found = sorted(p for r in roots if r for p in glob.glob(f"{r}/versions/3.13*/bin/python3"))
    return found[-1] if found else shutil.which("python3") or sys.executable


def clean_env(extra_path=None):
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "BACKPROP_STATIC_HTML", "JUPYTER_PATH", "MPLBACKEND"}}
    if extra_path:
        env["PATH"] = f"{extra_path}:{env.get('PATH', '')}"
    return env


def freeze(python) -> dict:
    out = subprocess.run([str(python), "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True, env=clean_env()).stdout
    pins = {}
    for line in out.splitlines():
        name, _, version = line.partition("==")
        if not version:
            name = line.split(" @ ")[0]
        pins[name.strip().lower().replace("_", "-")] = version or line
    return pins


def pins_file() -> dict:
    return {n.lower().replace("_", "-"): v for n, v in
            (line.split("==") for line in PINS.read_text().split() if "==" in line)}


def cached_environment_dir() -> Path:
    """Where the pinned environment is kept: the user's cache, keyed by the pins and the interpreter."""
    key = hashlib.sha256(PINS.read_bytes() + pinned_interpreter().encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "backprop-book"
    return cache / f"colab-venv-{key}"


def pinned_environment() -> Path:
    """The virtual environment pinned to Colab's versions, built once and kept between sessions.

    Building it takes minutes (ipywidgets 7 brings the classic notebook), so it
    is kept in the user's cache, keyed by the pins and the interpreter, and
    rebuilt whenever ``pip freeze`` shows it is no longer exactly the pins plus
    their dependencies as first installed (``freeze.json``). The cached one is
    never run: each session copies it (``session_copy``) and installs the book
    into its copy, and a lock file makes a second test session on the same
    machine wait while the first checks or builds it.
    """
    env_dir = cached_environment_dir()
    python, record = env_dir / "bin" / "python", env_dir / "freeze.json"
    if record.exists() and python.exists():
        try:
            if freeze(python) == json.loads(record.read_text()):
                return env_dir
        except subprocess.CalledProcessError:
            pass
    shutil.rmtree(env_dir, ignore_errors=True)
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([pinned_interpreter(), "-m", "venv", str(env_dir)], check=True, env=clean_env())
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(PINS)],
                   check=True, env=clean_env())
    record.write_text(json.dumps(freeze(python)))
    return env_dir


@contextlib.contextmanager
def cache_lock(env_dir: Path):
    """An exclusive lock beside the cached environment, held while it is checked, built or copied."""
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(env_dir.parent / f"{env_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def session_copy(env_dir: Path, to: Path) -> Path:
    """A copy of the virtual environment at ``to``, for one session to install into.

    A venv finds its prefix from where its ``bin/python`` is, so ``to/bin/python -m ...``
    runs in the copy; the scripts' ``#!`` lines, which name the original, are rewritten."""
    shutil.copytree(env_dir, to, symlinks=True)
    for script in (to / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            data = script.read_bytes()
            if data.startswith(b"#!" + str(env_dir).encode()):
                script.write_bytes(data.replace(str(env_dir).encode(), str(to).encode(), 1))
    return to


def session_environment(base: Path) -> Path:
    """This session's own copy of the pinned environment (never the shared, cached one)."""
    with cache_lock(cached_environment_dir()):
        return session_copy(pinned_environment(), base / "colab-venv")


@pytest.fixture(scope="session")
def colab(tmp_path_factory):
    """The pinned environment's python, a kernelspec for it, the tagged repository's URL and tag, a wheel."""
    base = tmp_path_factory.mktemp("colab-runtime")
    assert not str(base).startswith(str(ROOT))
    python = session_environment(base) / "bin" / "python"
    url, tag = tagged_bare_repository(base)
    wheels = base / "wheels"
    subprocess.run([str(python), "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
                    "-w", str(wheels), f"git+{url}@{tag}"], check=True, env=clean_env(), cwd=base)
    (wheel,) = wheels.glob("backprop-*.whl")
    kernels = base / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab's pins", "language": "python"}))
    yield {"python": python, "jupyter": base / "jupyter", "url": url, "tag": tag, "wheel": wheel,
           "before": freeze(python), "first": []}
    shutil.rmtree(base, ignore_errors=True)


def test_the_pinned_environment_is_colabs(colab):
    """The environment has exactly the pinned versions (a precondition of the other tests)."""
    have = colab["before"]
    wrong = {name: (version, have.get(name)) for name, version in pins_file().items() if have.get(name) != version}
    assert not wrong, f"pinned versions not installed: {wrong}"
    assert "backprop" not in have and "comm" not in have
    version = subprocess.run([str(colab["python"]), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout
    print("pinned environment on Python", version.strip())


def test_the_session_runs_in_its_own_copy_of_the_environment(colab):
    """Notebooks install the book into the session's copy; the cached environment, which a
    second test session on the machine may be using, is never run (issue 16)."""
    python = colab["python"]
    assert not str(python).startswith(str(cached_environment_dir()))
    prefix = subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"], capture_output=True,
                            text=True, check=True, env=clean_env()).stdout.strip()
    assert Path(prefix) == python.parent.parent, f"the copy runs as {prefix}"
    assert freeze(cached_environment_dir() / "bin" / "python") == colab["before"]


def test_package_ranges_admit_colabs_versions():
    """Each of pyproject.toml's ranges holds Colab's version, so pip installs nothing but backprop."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for extra in project.get("optional-dependencies", {}).values() for r in extra]
    colab = pins_file()
    for req in requirements:
        name = req.name.lower().replace("_", "-")
        assert name in colab, f"{req}: Colab's runtime does not have {name}"
        assert req.specifier.contains(colab[name]), f"{req} rejects Colab's {name} {colab[name]}"


DRIVER = r'''
import base64, json, sys
import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

path, cwd = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
nb.cells.insert(0, nbformat.v4.new_code_cell("import numpy  # Colab preloads numpy"))
client = NotebookClient(nb, timeout=600, kernel_name="colab", resources={"metadata": {"path": cwd}})
report = {"failed": None, "install_output": "", "views": [], "moves": [], "explore_cells": 0, "unviewed": []}


def stream_text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o["output_type"] == "stream")


async def move(kc, comm_id, state):
    """Send what a front end sends when the reader drags a slider; collect the kernel's comm replies."""
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id,
                                      "data": {"method": "update", "state": state, "buffer_paths": []}})
    kc.shell_channel.send(msg)
    replies = []
    while True:
        reply = await kc.get_iopub_msg(timeout=120)
        if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if reply["msg_type"] == "comm_msg":
            replies.append(reply)
        elif reply["msg_type"] == "error":
            replies.append({"error": reply["content"]})
        elif reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            return replies


def children(state):
    return [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]


with client.setup_kernel(cwd=cwd):
    try:
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    except Exception as err:
        report["failed"] = f"cell {index}: {str(err)[-3000:]}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    if len(code) > 1:
        report["install_output"] = stream_text(code[1])
    report["explore_cells"] = sum("explore(" in c.source for c in code)
    states, buffers = client.widget_state, client.widget_buffers
    for cell in code:
        views = [o for o in cell.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        if "explore(" in cell.source and not views:  # what the reader sees instead of the sliders
            report["unviewed"].append([o.get("text") or o.get("data", {}).get("text/plain", "")
                                       for o in cell.get("outputs", [])])
        for out in views:
            view = out["data"]["application/vnd.jupyter.widget-view+json"]
            report["views"].append(view["model_id"])
            box = states[view["model_id"]]
            controls, image = children(box)
            image_state = states[image]
            assert image_state["_model_name"] == "ImageModel", image_state["_model_name"]
            last = base64.b64decode(buffers[image][("value",)]["data"])
            for slider in children(states[controls]):
                s = states[slider]
                if s["_model_name"] == "SelectionSliderModel":
                    change = {"index": (s["index"] + 1) % len(s["_options_labels"])}
                else:
                    change = {"value": s["min"] if s["value"] != s["min"] else s["max"]}
                replies = run_sync(move)(client.kc, slider, change)
                errors = [r["error"] for r in replies if "error" in r]
                images = [r for r in replies if "error" not in r and r["content"]["comm_id"] == image
                          and ["value"] in r["content"]["data"].get("buffer_paths", [])]
                new = bytes(images[-1]["buffers"][0]) if images else None
                report["moves"].append({"slider": s.get("description"), "change": change,
                                        "errors": [e.get("evalue") for e in errors],
                                        "redrawn": new is not None and new != last,
                                        "png": bool(new) and new[:8] == b"\x89PNG\r\n\x1a\n"})
                last = new or last
print(json.dumps(report))
'''


@pytest.mark.parametrize("path", READERS, ids=lambda p: p.name)
def test_reader_notebook_runs_on_colabs_pins(colab, path, tmp_path):
    python = colab["python"]
    alone = tmp_path / "session" / "content"          # like Colab's /content: nothing around it
    alone.mkdir(parents=True)
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if code:
        source = "".join(code[0]["source"])
        repository = re.search(r'REPOSITORY = "([^"]+)"', source).group(1)
        if not colab["first"]:   # the first notebook installs from the tagged repository ...
            colab["first"].append(path.name)
            source = source.replace(f'"{repository}"', f'"{colab["url"]}"')
        else:                    # ... the others from the wheel built from that tag (faster)
            source = source.replace('"git+{REPOSITORY}@v{BOOK_VERSION}"', f'"{colab["wheel"]}"')
        assert source != "".join(code[0]["source"]), "the install cell did not take the local source"
        code[0]["source"] = source
    (alone / path.name).write_text(json.dumps(nb))
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = clean_env(extra_path=python.parent)
    env["JUPYTER_PATH"] = str(colab["jupyter"])
    try:
        result = subprocess.run([sys.executable, str(driver), str(alone / path.name), str(alone)],
                                capture_output=True, text=True, env=env, cwd=str(alone), timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(result.stdout.strip().splitlines()[-1])
        after = freeze(python)
    finally:
        subprocess.run([str(python), "-m", "pip", "uninstall", "-y", "-q", "backprop"],
                       capture_output=True, env=clean_env())
    assert report["failed"] is None, f"{path.name} failed on Colab's pins:\n{report['failed']}"
    if code:
        assert "Successfully installed backprop" in report["install_output"], report["install_output"][-2000:]
        assert "Restart session" not in report["install_output"]
    changed = {n: (colab["before"].get(n), v) for n, v in after.items()
               if n != "backprop" and colab["before"].get(n) != v}
    removed = sorted(set(colab["before"]) - set(after))
    assert not changed and not removed, f"pip changed Colab's packages: {changed} {removed}"
    assert len(report["views"]) == report["explore_cells"], (
        f"{report['explore_cells']} explore cells but {len(report['views'])} widget views: on ipywidgets 7 "
        f"the explorer must display its widget (issue 12); the reader sees instead: {report['unviewed']}")
    assert all(m["redrawn"] and m["png"] and not m["errors"] for m in report["moves"]), report["moves"]
    if report["explore_cells"]:
        assert report["moves"], "no slider was moved"
    shown = sorted(p.name for p in alone.iterdir())
    assert shown == [path.name], f"the notebook wrote files next to itself: {shown}"
