"""The install cell's logic, run in-process with pip, the disk and Colab's modules monkeypatched.

The cell (``tools/book.py``'s ``install_cell_source``) must do nothing heavy
where ``backprop`` is importable, and in Colab run pip visibly (as ``!pip``),
then compare each package the session had already imported with the version
pip left on disk, and say exactly what to do when they differ.
"""

import importlib.metadata
import importlib.util
import sys
import types
from pathlib import Path

import pytest

from tools import book

ROOT = Path(__file__).resolve().parents[1]

VERSION = book.package_version()
URL = book.repository_url()


class Shell:
    """What the cell uses of IPython: ``system`` (the ``!`` command) and ``user_ns``."""

    def __init__(self, on_system=None, exit_code=0):
        self.commands, self.user_ns = [], {}
        self.on_system, self.exit_code = on_system, exit_code

    def system(self, command):
        self.commands.append(command)
        self.user_ns["_exit_code"] = self.exit_code
        if self.on_system and self.exit_code == 0:
            self.on_system()


@pytest.fixture
def colab(monkeypatch, tmp_path):
    """A session without backprop, where numpy and matplotlib are already imported (as in Colab)."""
    monkeypatch.chdir(tmp_path)              # no ../code/backprop here
    monkeypatch.delitem(sys.modules, "backprop", raising=False)
    loaded = {"numpy": "2.1.3", "matplotlib": "3.10.0"}
    for name, version in loaded.items():
        monkeypatch.setitem(sys.modules, name, types.SimpleNamespace(__version__=version))
    monkeypatch.delitem(sys.modules, "ipywidgets", raising=False)
    on_disk = dict(loaded, ipywidgets="7.7.1")
    state = {"installed": False}
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name == "backprop" and not state["installed"]:
            return None
        return real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(importlib.metadata, "version", lambda name: on_disk[name])

    def install(changes=None):
        def pip():
            state["installed"] = True
            sys.modules["backprop"] = types.SimpleNamespace(__version__=VERSION)
            on_disk.update(changes or {})
        return pip

    yield install
    sys.modules.pop("backprop", None)


def run_cell(shell):
    exec(compile(book.install_cell_source(), "<install cell>", "exec"), {"get_ipython": lambda: shell})


def test_where_backprop_is_importable_the_cell_only_imports_it():
    shell = Shell()
    run_cell(shell)              # tests/conftest.py puts code/ on sys.path, as the book's build does
    assert shell.commands == []


def test_in_a_clone_the_cell_uses_the_repositorys_code(monkeypatch, tmp_path):
    (tmp_path / "code" / "backprop").mkdir(parents=True)
    (tmp_path / "code" / "backprop" / "__init__.py").write_text(f'__version__ = "{VERSION}"\n')
    (tmp_path / "chapters").mkdir()
    monkeypatch.chdir(tmp_path / "chapters")
    monkeypatch.delitem(sys.modules, "backprop", raising=False)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not p.endswith("/code")])
    shell = Shell()
    run_cell(shell)
    assert shell.commands == []
    assert sys.modules["backprop"].__file__ == str(tmp_path / "code" / "backprop" / "__init__.py")
    del sys.modules["backprop"]


def test_in_colab_pip_runs_visibly_from_the_release_tag(colab, capsys):
    shell = Shell(on_system=colab())
    run_cell(shell)
    assert shell.commands == [f'"{sys.executable}" -m pip install "git+{URL}@v{VERSION}"']
    assert " -q" not in shell.commands[0], "pip's output (and Colab's restart prompt) must show"
    assert capsys.readouterr().out == ""        # nothing loaded was changed: no restart needed


def test_a_changed_package_that_was_imported_asks_for_a_restart(colab, capsys):
    shell = Shell(on_system=colab({"numpy": "2.3.5"}))
    with pytest.raises(RuntimeError, match="Restart session"):
        run_cell(shell)
    out = capsys.readouterr().out
    assert "numpy 2.1.3 is loaded but pip installed 2.3.5" in out
    assert "In Colab: Runtime → Restart session, then run this cell again." in out
    assert "matplotlib" not in out


def test_a_changed_package_that_was_not_imported_needs_no_restart(colab, capsys):
    shell = Shell(on_system=colab({"ipywidgets": "8.1.9"}))
    run_cell(shell)
    assert "Restart" not in capsys.readouterr().out


def test_a_failed_pip_stops_the_cell_with_a_reason(colab):
    shell = Shell(on_system=colab(), exit_code=1)
    with pytest.raises(RuntimeError, match="pip could not install"):
        run_cell(shell)
