"""The layers of the test suite and their rules (tests/conftest.py).

- every collected test carries exactly one layer marker, and the markers are registered;
- the layer follows the fixtures when no marker names it, and each layer's needs follow;
- outside ``make test`` a test whose need is missing skips and says what to run; under it
  (``BACKPROP_NO_SKIP=1``) every skip is a failure;
- ``BACKPROP_FORBID_IMPORTS`` makes a module unimportable, and ``make check`` forbids torch and
  playwright while it runs the unit layer.

The mechanisms are run on a small test file of their own, by pytest in a subprocess.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import tomllib
from conftest import LAYER_KEY, LAYERS

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

SAMPLE = '''
import pytest


def test_plain():
    pass


def test_uses_torch(torch):
    pass


def test_uses_chromium(chromium):
    pass


def test_uses_the_site(chromium, book_url):
    pass


@pytest.mark.site
def test_reads_the_site():
    pass


@pytest.mark.site(needs=())
def test_builds_its_own_site():
    pass


@pytest.mark.notebook(needs=("kernel", "book"))
@pytest.mark.slow
def test_runs_notebooks_against_the_build():
    pass


@pytest.mark.pdf
def test_reads_the_pdf():
    pass


@pytest.mark.unit
@pytest.mark.site
def test_two_layers():
    pass


def test_skips():
    pytest.skip("a reason of its own")


def test_torch_is_forbidden():
    with pytest.raises(ModuleNotFoundError, match="BACKPROP_FORBID_IMPORTS"):
        import torch  # noqa: F401
'''

#: A plugin that writes every collected test's layers and needs, as tests/conftest.py decided them.
DUMP = '''
import json
import os

from conftest import LAYER_KEY, NEEDS_KEY


def pytest_collection_finish(session):
    layers = session.config.stash[LAYER_KEY]
    found = {item.name: [layers[item.nodeid], list(item.stash[NEEDS_KEY])] for item in session.items}
    with open(os.environ["LAYER_DUMP"], "w") as f:
        json.dump(found, f)
'''


def run_sample(tmp_path, no_skip, *args):
    """pytest with tests/conftest.py as a plugin on :data:`SAMPLE`.

    Returns ``(exit code, output, layers, outcomes)``: the layers and needs of each test
    (:data:`DUMP`), and ``{test name: (outcome, message)}`` read from pytest's JUnit XML.

    No built book (``BACKPROP_BOOK_HTML`` names an empty folder), and torch and playwright
    forbidden, so that what is missing does not depend on this machine.
    """
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "layerdump.py").write_text(DUMP)
    (tmp_path / "no_book").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKPROP_", "PYTEST_"))}
    env.update(PYTHONPATH=os.pathsep.join([str(TESTS), str(tmp_path), str(ROOT / "code")]),
               BACKPROP_BOOK_HTML=str(tmp_path / "no_book"), BACKPROP_FORBID_IMPORTS="torch,playwright",
               BACKPROP_NO_SKIP="1" if no_skip else "0", LAYER_DUMP=str(tmp_path / "layers.json"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "layerdump", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(tmp_path), "--noconftest", "-p", "no:cacheprovider",
         f"--junitxml={tmp_path / 'report.xml'}", *args,
         str(tmp_path / "test_sample.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    layers = json.loads((tmp_path / "layers.json").read_text())
    outcomes = {}
    for case in ElementTree.parse(tmp_path / "report.xml").iter("testcase"):
        found = [(e.tag, e.get("message", "")) for e in case if e.tag in ("skipped", "failure", "error")]
        outcomes[case.get("name")] = found[0] if found else ("passed", "")
    return result.returncode, result.stdout + result.stderr, layers, outcomes


def test_every_test_carries_exactly_one_layer(request):
    layers = request.config.stash[LAYER_KEY]
    assert layers, "no test collected"
    bad = {nodeid: names for nodeid, names in layers.items() if len(names) != 1}
    assert not bad, f"tests with no layer or more than one: {bad}"
    assert {names[0] for names in layers.values()} <= set(LAYERS)


def test_the_layers_are_registered_markers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    registered = {line.split(":")[0] for line in config["markers"]}
    assert set(LAYERS) | {"slow"} <= registered
    assert "--strict-markers" in config["addopts"]


def test_layers_and_needs_follow_the_markers_and_fixtures_and_a_missing_need_skips(tmp_path):
    code, output, layers, found = run_sample(tmp_path, False)
    assert layers == {
        "test_plain": [["unit"], []],
        "test_uses_torch": [["torch"], ["torch"]],
        "test_uses_chromium": [["site"], ["chromium"]],        # a page of its own: no built book
        "test_uses_the_site": [["site"], ["book", "chromium"]],
        "test_reads_the_site": [["site"], ["book"]],
        "test_builds_its_own_site": [["site"], []],
        "test_runs_notebooks_against_the_build": [["notebook"], ["book", "kernel"]],
        "test_reads_the_pdf": [["pdf"], ["pdf"]],
        "test_two_layers": [["site", "unit"], ["book"]],        # test_every_test_... refuses it
        "test_skips": [["unit"], []],
        "test_torch_is_forbidden": [["unit"], []],
    }, output
    # Outside make test: a missing need skips, and says what to run.
    assert code == 0, output
    for name in ["test_plain", "test_builds_its_own_site", "test_torch_is_forbidden"]:
        assert found[name] == ("passed", ""), output
    assert found["test_uses_torch"][0] == "skipped" and "needs PyTorch: run `make test`" in found["test_uses_torch"][1]
    assert found["test_uses_chromium"][0] == "skipped"
    assert "needs Chromium and Playwright: run `make chromium`" in found["test_uses_chromium"][1]
    for name in ["test_uses_the_site", "test_reads_the_site", "test_runs_notebooks_against_the_build",
                 "test_two_layers"]:
        outcome, message = found[name]
        assert outcome == "skipped" and "needs the built book" in message and "run `make book`" in message
    assert found["test_skips"] == ("skipped", "a reason of its own")
    pdf_missing = ("skipped", "needs the PDF (_build/pdf/book.pdf): run `make pdf`")
    assert found["test_reads_the_pdf"] in {("passed", ""), pdf_missing}        # as this machine has it


def test_under_make_test_every_skip_fails(tmp_path):
    code, output, _, found = run_sample(tmp_path, True, "-k", "not pdf")
    assert code == 1, output
    skipping = ["test_uses_torch", "test_uses_chromium", "test_uses_the_site", "test_reads_the_site",
                "test_runs_notebooks_against_the_build", "test_two_layers", "test_skips"]
    for name in skipping:          # a failure in its setup (an error) or in its call
        outcome, message = found[name]
        assert outcome in ("error", "failure"), (name, outcome)
        assert "under `make test` (BACKPROP_NO_SKIP=1) nothing may skip" in message, message
    assert "needs the built book" in found["test_reads_the_site"][1]
    assert "a reason of its own" in found["test_skips"][1]
    assert {found[name] for name in ["test_plain", "test_builds_its_own_site", "test_torch_is_forbidden"]} \
        == {("passed", "")}
    assert "skipped" not in output.splitlines()[-1], output


def test_make_check_runs_the_unit_layer_without_torch_and_make_test_allows_no_skip():
    makefile = (ROOT / "Makefile").read_text()
    check = re.search(r"^check:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert check, "the Makefile has no check target"
    recipe = check.group(1)
    assert re.search(r"BACKPROP_FORBID_IMPORTS=\S*\btorch\b", recipe) and "playwright" in recipe
    assert 'pytest -m "unit and not slow"' in recipe
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert test and re.search(r"BACKPROP_NO_SKIP=1 \$\(BIN\)/python -m pytest\b", test.group(1))
    assert "torch" not in (ROOT / "requirements-check.txt").read_text()


def test_the_readme_gives_make_check_to_contributors():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```\n(.*?)```", readme, re.S)
    assert "make check\n" in blocks, "the README must give `make check` as the inner loop"

