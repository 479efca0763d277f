"""Tag a release of the book, the tag that every install cell installs (``make release TAG=vX.Y.Z``).

    python -m tools.release vX.Y.Z [--push]

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

import re
import subprocess
import sys

from tools import check_tag
from tools.book import ROOT


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"release: git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def problems(tag: str) -> list[str]:
    """Every reason not to tag ``tag`` now (an empty list: release)."""
    if not re.fullmatch(r"v\d+\.\d+\.\d+", tag):
        return [f"the tag must be vX.Y.Z, got {tag!r}"]
    found = []
    status = git("status", "--porcelain", "--untracked-files=all")
    if status.strip():
        found.append("the working tree is not clean:\n" + status.rstrip())
    if git("tag", "--list", tag).strip():
        found.append(f"the tag {tag} exists already")
    return found + check_tag.problems(tag)  # the version, every install cell, notebooks/


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
