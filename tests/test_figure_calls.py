"""Every interactive figure of the book, made in-process from the chapter's own call, moves with every slider.

A chapter calls a figure in one line, ``explore(figures.CHAPTER.NAME, **literals)``
(the contract of ``backprop.figures``). ``backprop.explorer.replay`` reads
those calls with ``ast`` and makes the same explorers here, with no kernel;
each slider is then moved through its whole grid through the live widget, as
a reader would, and every move must change what the figure draws and the
image sent to the widget.
"""

from pathlib import Path

import pytest
from figdata import figure_data

from backprop.explorer import replay

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_explore_call_follows_the_contract(path):
    """An inline setup or a computed argument could not be replayed without a kernel."""
    replay.figure_calls(path, strict=True)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_slider_value_changes_the_figure(path):
    for call, ex in replay.replay(path):
        _ = ex.widget                                         # the live view: sliders and image
        for p in ex.params:
            slider, start = ex.sliders[p.name], ex.values[p.name]
            for v in [v for v in p.values if v != start] + [start]:
                data, png = figure_data(ex.fig), ex._image.value
                slider.value = v
                assert ex.values[p.name] == v, f"{call}: the slider {p.name} did not reach {v!r}"
                assert figure_data(ex.fig) != data, f"{call}: {p.name}={v!r} does not change the figure"
                assert ex._image.value != png, f"{call}: {p.name}={v!r} sends no new image"
