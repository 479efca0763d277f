"""The one figure-test harness: the book's figures as the chapters call them, and what they draw.

- ``pages()``: the notebooks of ``chapters/``;
- ``interactive_calls()``: every ``explore(figures.MODULE.NAME, **literals)`` call of the
  chapters, read by ``tools/replay.py`` (no kernel), with its figure function found in
  ``backprop.figures.registry`` (a call of an unregistered figure fails here);
- ``static_calls(path)``: the ``figures.MODULE.NAME(...)`` calls of one notebook;
- ``figure_data(fig)``: what a figure draws, so that a test can tell whether a slider changed it;
- ``assert_labelled(fig)``: every axis says what it shows.

The sliders' grids are the explorer's own (``backprop.explorer.params``): a test makes the
chapter's explorer with ``explore(function, **call.kwargs)`` and moves ``ex.params``.
"""

import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from backprop.figures import registry
from tools import replay

ROOT = Path(__file__).resolve().parents[1]


def pages() -> list:
    """The notebooks of the book, ``chapters/*.ipynb``, sorted by name."""
    return sorted((ROOT / "chapters").glob("*.ipynb"))


@cache
def interactive_calls() -> list:
    """``[(page, call, function)]``: every ``explore`` call of the chapters and the registered
    figure it makes (``page`` is the notebook's stem)."""
    return [(path.stem, call, replay.figure_function(call))
            for path in pages() for call in replay.figure_calls(path, strict=True)]


def static_calls(path) -> set:
    """``{"MODULE.NAME"}`` of every static figure drawn by the notebook at ``path``
    (``figures.style`` apart: it styles, it draws nothing)."""
    found = set()
    for cell in json.loads(Path(path).read_text())["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            found |= set(re.findall(r"(?<![\w(])figures\.(\w+)\.(\w+)\(", source))
    return {f"{m}.{n}" for m, n in found if m != "style"}


def registered(page: str) -> registry.Page:
    """The registry's entry of ``page`` (empty if it draws no figure)."""
    return registry.REGISTRY.get(page, registry.Page())


def figure_data(fig, texts: bool = True) -> list:
    """The data a figure draws: axes limits, line vertices, collection offsets and arrays,
    images, bars and (with ``texts``) texts. Tick labels are left out: matplotlib writes them
    only when it draws, and the limits already say what the axes show.

    Two calls return equal lists exactly when the drawn data are equal, so a
    test can tell whether moving a slider changed the figure.
    """
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    out = []

    def visit(artist):
        if not artist.get_visible() or isinstance(artist, Axis):
            return
        for getter in ("get_xydata", "get_offsets", "get_array", "get_segments"):
            fn = getattr(artist, getter, None)
            if fn is None:
                continue
            try:
                value = fn()
            except (TypeError, ValueError, AttributeError):
                continue
            if value is None:
                continue
            if isinstance(value, list):
                value = [np.asarray(v, dtype=float) for v in value]
                out.append((type(artist).__name__, getter,
                            tuple(np.round(v, 12).tobytes() for v in value)))
            else:
                arr = np.ma.filled(np.asarray(value, dtype=float), np.nan)
                out.append((type(artist).__name__, getter, np.round(arr, 12).tobytes()))
        if texts and isinstance(artist, Text):
            out.append(("text", artist.get_text()))
        if hasattr(artist, "get_path") and hasattr(artist, "get_height"):  # bars
            out.append(("patch", round(float(artist.get_height()), 12),
                        round(float(artist.get_width()), 12)))
        for child in artist.get_children():
            visit(child)

    for ax in fig.axes:
        out.append(("limits", tuple(np.round(ax.get_xlim(), 12)), tuple(np.round(ax.get_ylim(), 12))))
        visit(ax)
    return out


def _worded(labels):
    return any(t.get_text().strip() and not t.get_text().lstrip("−-").replace(".", "").isdigit()
               for t in labels)


def assert_labelled(fig):
    """Every axis says what it shows: an axis label, or word tick labels (categories); an image
    panel without axes has a title; a colorbar has a label; a 3-D axes has a z label."""
    fig.canvas.draw()
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            assert ax.get_ylabel() or ax.get_xlabel(), "colorbar without a label"
        elif not ax.axison:
            assert ax.get_title(), "an image panel without a title"
        else:
            assert ax.get_xlabel() or _worded(ax.get_xticklabels()), f"no x label: {ax.get_title()!r}"
            assert ax.get_ylabel() or _worded(ax.get_yticklabels()), f"no y label: {ax.get_title()!r}"
            if hasattr(ax, "get_zlabel"):
                assert ax.get_zlabel(), f"no z label: {ax.get_title()!r}"
