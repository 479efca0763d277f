"""Point the Colab launch button and the notebook download at the reader notebooks (issue 12).

sphinx-book-theme builds its Colab link from the repository's address, the
branch and the page's source path
(``{colab_url}/github/{org}/{repo}/blob/{branch}/{pagename}{extension}``,
in ``header_buttons/launch.py``), and its ``.ipynb`` download button from the
page's source in ``_sources/``. Both would hand a Colab reader the MyST
chapter at ``main``. This extension runs after the theme's handlers and
rewrites them:

- Colab opens ``notebooks/NAME.ipynb`` at the release tag ``v`` +
  ``backprop.__version__``, the tag the install cell installs
  (``tools.book.colab_url``, the one place the address is made);
- the download button offers the same reader notebook, copied next to the
  page's source as ``_sources/notebooks/NAME.ipynb``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tools import book


def _buttons(buttons):
    for button in buttons:
        yield button
        yield from _buttons(button.get("buttons", []))


def rewrite_buttons(app, pagename, templatename, context, doctree):
    """The ``html-page-context`` handler: reader notebook at the tag, for Colab and the download."""
    name, root = Path(pagename).name, Path(app.srcdir)
    reader = root / "notebooks" / f"{name}.ipynb"
    if not reader.exists() or "header_buttons" not in context:
        return
    for button in _buttons(context["header_buttons"]):
        url = button.get("url", "")
        if button.get("text") == "Colab" or url.startswith("https://colab.research.google.com/"):
            button["url"] = book.colab_url(name, root=root)
            button["tooltip"] = f"Open the reader notebook in Colab ({book.release_tag(root=root)})"
        elif button.get("label") in {"download-notebook-button", "download-source-button"} \
                and url.endswith(".ipynb"):
            target = Path(app.outdir) / "_sources" / "notebooks" / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(reader, target)
            button["url"] = f"{context['pathto']('_sources', 1)}/notebooks/{name}.ipynb"
            button["tooltip"] = "Download the notebook (for Jupyter or Colab)"


def setup(app):
    app.connect("html-page-context", rewrite_buttons, priority=600)  # the theme's run at 501
    return {"parallel_read_safe": True, "parallel_write_safe": True}
