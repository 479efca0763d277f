"""Tag a release of the book, the tag that every install cell installs (``make release TAG=vX.Y.Z``).

    python tools/release.py vX.Y.Z [--push]

Refuses, with the reason, unless

- the working tree is clean (nothing modified, staged or untracked);
- ``backprop.__version__`` is X.Y.Z, so that the tag is ``v`` + the version;
- the tag does not exist yet;
- every notebook's install cell, in chapters/ and in the reader notebooks of
  notebooks/, is the shared one for that version and the repository of
  ``_config.yml`` (so each installs ``git+URL@vX.Y.Z``), and notebooks/ is in
  sync with chapters/.

Then it creates the annotated tag ``vX.Y.Z`` at HEAD (and pushes it to
``origin`` with ``--push``). The Colab buttons open ``notebooks/NAME.ipynb`` at
that tag, so the tag must be pushed before the site that links to it is
published.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbtool  # tools/nbtool.py, next to this script: the install cell, the tag, the reader notebooks

ROOT = Path(__file__).resolve().parents[1]


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"release: git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def _install_cell(path: Path) -> str | None:
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    if not cells:
        return None
    source = cells[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    return source.split("\n", 1)[1] if source.startswith("#@title") else source


def problems(tag: str) -> list[str]:
    """Every reason not to tag ``tag`` now (an empty list: release)."""
    found = []
    if not re.fullmatch(r"v\d+\.\d+\.\d+", tag):
        return [f"the tag must be vX.Y.Z, got {tag!r}"]
    status = git("status", "--porcelain", "--untracked-files=all")
    if status.strip():
        found.append("the working tree is not clean:\n" + status.rstrip())
    version = nbtool.package_version()
    if tag != nbtool.release_tag(version):
        found.append(f"backprop.__version__ is {version!r} (code/backprop/__init__.py), "
                     f"so the release tag is v{version}, not {tag}")
    if git("tag", "--list", tag).strip():
        found.append(f"the tag {tag} exists already")
    expected = nbtool.install_cell_source(version=tag[1:])
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        cell = _install_cell(path)
        if cell is not None and cell != expected:
            named = re.search(r'BOOK_VERSION, REPOSITORY = "([^"]*)", "([^"]*)"', cell)
            what = f"names v{named.group(1)} of {named.group(2)}" if named else "is not the shared one"
            found.append(f"{path.relative_to(ROOT)}: the install cell {what}, not {tag} of "
                         f"{nbtool.repository_url()} (run `python tools/nbtool.py sync` and commit)")
    texts = nbtool.reader_texts()
    on_disk = {p.name: p.read_text() for p in (ROOT / "notebooks").glob("*.ipynb")}
    if on_disk != texts:
        found.append("notebooks/ is not in sync with chapters/ (run `python tools/nbtool.py readers` and commit)")
    return found


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--push"]
    if len(args) != 1:
        print(__doc__)
        return 2
    tag = args[0]
    found = problems(tag)
    if found:
        print(f"release: refusing to tag {tag}:", file=sys.stderr)
        for reason in found:
            print(f"  - {reason}", file=sys.stderr)
        return 1
    git("tag", "-a", tag, "-m", f"Release {tag} of the book and its package")
    print(f"release: tagged {tag} at {git('rev-parse', '--short', 'HEAD').strip()}")
    if "--push" in argv:
        git("push", "origin", tag)
        print(f"release: pushed {tag} to origin")
    else:
        print(f"release: now push it (`git push origin {tag}`) before publishing the site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
