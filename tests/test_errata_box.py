"""The "Related errata" box is the same collapsed box in every chapter (issue 25, item 4).

The boxes are written in the chapters' sources (no generator writes them); this checks the
sources, and ``tests/test_site.py`` checks the built pages.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOX = re.compile(r"^(:{3,}|`{3,})\{admonition\}\s*Related errata\s*\n((?::[\w-]+:.*\n)*)", re.M)


def test_every_related_errata_box_is_a_collapsed_dropdown():
    options = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                         if c["cell_type"] == "markdown")
        boxes = BOX.findall(text)
        assert len(boxes) <= 1, f"{path.name}: {len(boxes)} boxes"
        if boxes:
            options[path.stem] = boxes[0][1].strip()
    assert len(options) >= 12, sorted(options)
    assert set(options.values()) == {":class: seealso dropdown"}, options
