"""Check a release tag against the book (the publishing workflow runs it on every tag ``v*``).

    python -m tools.check_tag vX.Y.Z

Passes when the tag is ``"v" + backprop.__version__`` (read from ``code/backprop/__init__.py``),
every install cell of chapters/ and notebooks/ is the shared one for that version, which
installs ``git+REPOSITORY@vX.Y.Z``, and notebooks/ is in sync with chapters/: a reader in
Colab then gets the package the chapter was written for. ``make release`` (tools/release.py)
makes the same check before it tags. Exit status 1, with one line per problem, otherwise.

Needs only what ``tools/requirements.txt`` lists (PyYAML, and nbformat to regenerate the
reader notebooks in memory), no build: that file is what the workflow's tag job installs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools import book, reader_notebooks


def problems(tag: str, root: Path = book.ROOT) -> list[str]:
    """What in the files stops ``tag`` from being the book's release (an empty list: nothing).

    The tag is ``v`` + ``backprop.__version__``, and every install cell, in chapters/ and
    notebooks/, is the shared one for that version, so each installs ``git+REPOSITORY@TAG``.
    For the repository itself (``root`` is ``book.ROOT``) notebooks/ must also be in sync
    with chapters/.
    """
    found = []
    version = book.package_version(root)
    if tag != book.release_tag(version):
        found.append(f"backprop.__version__ is {version!r} (code/backprop/__init__.py), "
                     f"so the release tag is v{version}, not {tag}")
    url = book.repository_url(root)
    expected = book.install_cell_source(url=url, version=tag[1:] if tag.startswith("v") else tag)
    for folder in ("chapters", "notebooks"):
        for path in sorted((root / folder).glob("*.ipynb")):
            cell = book.install_cell_of(path)
            if cell is None or cell == expected:
                continue
            named = re.search(r'BOOK_VERSION = "([^"]*)"\nREPOSITORY = "([^"]*)"', cell)
            what = f"names v{named.group(1)} of {named.group(2)}" if named else "is not the shared one"
            found.append(f"{path.relative_to(root)}: the install cell {what}, not {tag} of "
                         f"{url} (run `python -m tools.nbtool sync` and commit)")
    if root == book.ROOT:
        on_disk = {p.name: p.read_text() for p in reader_notebooks.READERS.glob("*.ipynb")}
        # the recorded values: a tag is checked without a build (what the sync test compares)
        if on_disk != reader_notebooks.reader_texts(values="recorded"):
            found.append("notebooks/ is not in sync with chapters/ "
                         "(run `python -m tools.nbtool readers` and commit)")
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
        print(f"check_tag: {argv[0]} matches backprop {book.package_version()} and every install cell")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
