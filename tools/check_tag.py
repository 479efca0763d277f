"""Check a release tag against the book (the publishing workflow runs it on every tag ``v*``).

    python tools/check_tag.py vX.Y.Z

Passes when the tag is ``"v" + backprop.__version__`` (read from ``code/backprop/__init__.py``),
every install cell of chapters/ and notebooks/ is the shared one for that version, which
installs ``git+REPOSITORY@vX.Y.Z``, and notebooks/ is in sync with chapters/: a reader in
Colab then gets the package the chapter was written for. It is ``make release``'s own check
(``nbtool.tag_problems``). Exit status 1, with one line per problem, otherwise. Needs PyYAML
and nbformat only (no build).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_spec = importlib.util.spec_from_file_location("nbtool", ROOT / "tools" / "nbtool.py")
nbtool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbtool)


def problems(tag: str, root: Path = ROOT) -> list[str]:
    """What is wrong with releasing the book under ``tag`` (an empty list: nothing).

    The same check that ``make release`` makes before it tags (``nbtool.tag_problems``).
    """
    return nbtool.tag_problems(tag, root)


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
