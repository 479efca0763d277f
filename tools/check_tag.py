"""Check a release tag against the book (the publishing workflow runs it on every tag ``v*``).

    python tools/check_tag.py vX.Y.Z

Passes when the tag is ``"v" + backprop.__version__`` (read from ``code/backprop/__init__.py``)
and every chapter's install cell is the shared one for that version, which installs
``git+REPOSITORY@vX.Y.Z``: a reader in Colab then gets the package the chapter was written
for. Exit status 1, with one line per problem, otherwise. Needs PyYAML only (no build).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_spec = importlib.util.spec_from_file_location("nbtool", ROOT / "tools" / "nbtool.py")
nbtool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbtool)


def problems(tag: str, root: Path = ROOT) -> list[str]:
    """What is wrong with releasing the book under ``tag`` (an empty list: nothing)."""
    found = []
    version = nbtool.package_version()
    if tag != f"v{version}":
        found.append(f"the tag {tag} is not v{version}, the version in code/backprop/__init__.py")
    expected = nbtool.install_cell_source(version=tag[1:] if tag.startswith("v") else tag)
    for path in sorted((root / "chapters").glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        if not cells:
            continue  # a page of prose only (the preface) installs nothing
        source = cells[0]["source"]
        source = "".join(source) if isinstance(source, list) else source
        if source != expected:
            found.append(f"{path.name}: its install cell does not install {tag} "
                         "(run `python tools/nbtool.py sync` after changing the version)")
    return found


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__)
        return 2
    found = problems(argv[0])
    for line in found:
        print(f"check_tag: {line}", file=sys.stderr)
    if not found:
        print(f"check_tag: {argv[0]} matches backprop {nbtool.package_version()} and every install cell")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
