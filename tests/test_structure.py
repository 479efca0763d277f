"""The repository's structure: notebooks, table of contents, install cells, images, commands."""

import fnmatch
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from tools import book

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def toc_files():
    """Every page of ``_toc.yml``, the ``sections:`` of a chapter included."""
    return [doc for doc, _ in book.toc_pages()]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    for k, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: cell {k} has outputs"
            assert cell["execution_count"] is None, f"{path.name}: cell {k} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_kernel_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_toc_and_chapter_files_match():
    listed = toc_files()
    assert len(listed) == len(set(listed)), "a file is listed twice in _toc.yml"
    on_disk = {f"chapters/{p.stem}" for p in CHAPTERS}
    missing = [f for f in listed if f not in on_disk]
    orphaned = sorted(on_disk - set(listed))
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"
    assert not orphaned, f"chapter files missing from _toc.yml: {orphaned}"


def test_no_stray_pages_in_the_book_folder():
    stray = [p.name for p in (ROOT / "chapters").iterdir()
             if p.suffix in {".md", ".rst", ".py"} or (p.is_dir() and not p.name.startswith("."))]
    assert not stray, f"only notebooks belong in chapters/: {stray}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_install_cell_is_the_shared_one(path):
    cells = code_cells(load(path))
    if not cells:
        return  # a page of prose only (the preface) needs no package
    first = cells[0]
    assert source(first) == book.install_cell_source(), (
        f"{path.name}: the first code cell is not the shared install cell; "
        "run `python -m tools.nbtool sync`")
    assert "hide-output" in first.get("metadata", {}).get("tags", [])
    for cell in cells[1:]:
        assert "pip install" not in source(cell), f"{path.name}: a second install cell"


def test_install_cell_matches_config_and_version():
    import backprop

    text = book.install_cell_source()
    url, version = book.repository_url(), book.package_version()
    assert version == backprop.__version__, "tools/book.py reads another version than the package's"
    assert url.startswith("https://github.com/") and not url.endswith("/")
    assert f'"{url}"' in text and f'"{version}"' in text
    assert "git+{REPOSITORY}@v{BOOK_VERSION}" in text


def _repository_files():
    """Every file of the repository, found without git (an unpacked archive has no .git).

    Skipped: .git itself and whatever .gitignore names (build products, the venv, caches),
    matched per path component, as git matches a pattern without a slash in it.
    """
    patterns = [line.strip().rstrip("/") for line in (ROOT / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    patterns.append(".git")
    ignored = lambda name: any(fnmatch.fnmatch(name, pat) for pat in patterns)
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not ignored(d))   # never descends into .venv or _build
        for name in sorted(files):
            if not ignored(name):
                yield (Path(folder) / name).relative_to(ROOT).as_posix()


def test_repository_url_is_written_once():
    """The address lives in _config.yml; notebooks carry generated copies (checked above).

    notebooks/ holds the reader notebooks, generated from chapters/ by tools/reader_notebooks.py
    (tests/test_reader_notebooks.py checks that they are in sync)."""
    url = book.repository_url()
    holders = [f for f in _repository_files()
               if not f.startswith(("chapters/", "notebooks/")) and url in (ROOT / f).read_text(errors="ignore")]
    assert holders == ["_config.yml"], holders


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_reads_no_relative_path(path):
    for k, cell in enumerate(code_cells(load(path))[1:], start=1):
        text = source(cell)
        for pattern in (r"\.\./", r"\bopen\(", r"read_csv", r"np\.load\(", r"Path\("):
            assert not re.search(pattern, text), (
                f"{path.name}, code cell {k}: {pattern!r}; data must come from the package")


#: Every chapter but the preface, each with the pages of its ``sections:`` (the errata's one
#: page per source document): the recipe below holds for a chapter as a whole.
CONTENT = {e["doc"]: [ROOT / f"{d}.ipynb" for d in [e["doc"], *book.toc_sections(e["doc"])]]
           for e in book.toc_entries() if e["parent"] is None and e["doc"] != "chapters/preface"}


@pytest.mark.parametrize("doc", CONTENT, ids=lambda d: d.split("/")[-1])
def test_chapter_pairs_sympy_numpy_and_a_widget(doc):
    """Every chapter asserts a SymPy derivation, runs NumPy code, and has an explore figure."""
    nbs = [load(path) for path in CONTENT[doc]]
    code = "\n".join(source(c) for nb in nbs for c in code_cells(nb))
    markdown = "\n".join(source(c) for nb in nbs for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"assert .*(sp\.|simplify|sympy|Matrix|zeros)", code), "no asserted SymPy result"
    assert "np." in code, "no NumPy code"
    assert "explore(" in code, "no backprop.explorer.explore figure"
    n_exercises = markdown.count("{exercise}")
    assert 3 <= n_exercises <= 5, f"{n_exercises} exercises; the recipe asks for 3 to 5"
    assert markdown.count("{solution-start}") == n_exercises, "an exercise without a solution"
    assert ":class: tip" in markdown, "no summary box"
    assert "## References" in markdown


def test_a_chapter_with_sections_is_split_as_the_errata_are():
    """The errata: an index page and one page per source document, each with its own label."""
    assert book.toc_sections("chapters/app_errata") == [
        "chapters/app_errata_matrix_chapter", "chapters/app_errata_thread", "chapters/app_errata_notes"]
    for doc in book.toc_sections("chapters/app_errata"):
        markdown = "\n".join(source(c) for c in load(ROOT / f"{doc}.ipynb")["cells"] if c["cell_type"] == "markdown")
        assert "(errata-" in markdown, f"{doc} holds no entry"
        assert len(re.findall(r"^# ", markdown, re.M)) == 1, f"{doc}: one title, and entries as sections"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_its_label(path):
    first = source(load(path)["cells"][0])
    label = "ch-" + path.stem.replace("_", "-") if not path.stem.startswith("app_") \
        else "app-" + path.stem[4:].replace("_", "-")
    assert first.startswith(f"({label})="), f"{path.name} must start with the label ({label})="


def test_images_are_all_referenced():
    texts = [(ROOT / f).read_text(errors="ignore")
             for f in ["_config.yml", "README.md", *(str(p.relative_to(ROOT)) for p in CHAPTERS)]]
    for image in (ROOT / "images").iterdir():
        assert any(image.name in t for t in texts), f"images/{image.name} is not referenced"


def test_readme_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```\n(.*?)```", readme, re.S)
    assert "make book\nmake test\n" in blocks, "the README must give the two commands"
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make book$", ci, re.M) and re.search(r"^make test$", ci, re.M)
    # make check runs first, in the fresh clone: no build and no PyTorch yet
    assert ci.index("\nmake check\n") < ci.index("\nmake book\n") < ci.index("\nmake test\n")
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run must be executable"
    assert "set -euo pipefail" in ci


def test_config_is_strict():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    execute = config["execute"]
    assert execute["execute_notebooks"] == "force"
    assert execute["allow_errors"] is False and execute["raise_on_error"] is True
    assert execute["timeout"] > 0
    assert config["only_build_toc_files"] is True
    for pattern in ["_build", ".venv", "tests", "build"]:
        assert pattern in config["exclude_patterns"]
    sphinx = config["sphinx"]["config"]
    assert sphinx["nb_execution_raise_on_error"] is True
    assert ["html", "text/latex", 45] in sphinx["nb_mime_priority_overrides"]
    assert config["copyright"] and config["author"]
    makefile = (ROOT / "Makefile").read_text()
    assert "build . --all -W -n --keep-going" in makefile
    assert "jupyter-book>=1.0.4,<2" in (ROOT / "requirements.txt").read_text()


def test_gitignore():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in ["_build/", ".venv/", "build/", "*.egg-info", ".ipynb_checkpoints"]:
        assert entry in ignored


def test_code_is_not_a_package():
    assert not (ROOT / "code" / "__init__.py").exists()
    assert (ROOT / "code" / "backprop" / "__init__.py").exists()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_widget_goes_through_explore(path):
    """No ipywidgets used directly: one call gives both the live and the static experience."""
    for k, cell in enumerate(code_cells(load(path))):
        text = source(cell)
        if text == book.install_cell_source():
            continue  # it names ipywidgets to check its version after pip, and makes no widget
        for pattern in (r"\bipywidgets\b", r"\binteract(ive)?\(", r"FloatSlider", r"IntSlider"):
            assert not re.search(pattern, text), f"{path.name}, code cell {k}: {pattern!r}; use explore"


#: The repository's own packages of maintenance code: the tools and the Sphinx extensions.
TOOL_PACKAGES = ("tools", "_ext")


def _tool_modules():
    """``{module name: parsed source}`` of every module of tools/ and _ext/."""
    import ast

    return {f"{folder}.{path.stem}": ast.parse(path.read_text())
            for folder in TOOL_PACKAGES for path in sorted((ROOT / folder).glob("*.py"))}


def test_tools_extensions_and_package_import_each_other_by_name():
    """No module of tools/, _ext/ or the package loads another by its file's path or by a name
    built at run time, or edits sys.path: every arrow between them is an import statement, which
    readers and the import graph can see."""
    hidden = re.compile(r"spec_from_file_location|sys\.path\.(insert|append)|import_module\(|__import__\(")
    # (tools/book.py's install cell puts ../code on a clone's path: notebook code in a string)
    found = [f"{path.relative_to(ROOT)}:{k}: {line.strip()}"
             for folder in [*TOOL_PACKAGES, "code/backprop"] for path in sorted((ROOT / folder).rglob("*.py"))
             for k, line in enumerate(path.read_text().splitlines(), start=1)
             if hidden.search(line) and 'pathlib.Path("../code")' not in line]
    assert found == []


def test_tools_and_extensions_have_no_import_cycle():
    import ast

    modules = _tool_modules()
    imports = {}
    for name, tree in modules.items():
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        imports[name] = sorted(t for t in targets if t in modules and t != name)
    assert imports["tools.nbtool"] == ["tools.book", "tools.reader_notebooks"]
    assert "tools.book" in imports["_ext.numbering"] and "tools.book" in imports["_ext.colablinks"]

    def cycle_from(name, path):
        if name in path:
            return path[path.index(name):] + [name]
        for target in imports[name]:
            found = cycle_from(target, path + [name])
            if found:
                return found
        return None

    cycles = [c for c in (cycle_from(name, []) for name in modules) if c]
    assert cycles == [], f"import cycles among tools/ and _ext/: {cycles}"
