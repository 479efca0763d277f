"""Every chapter runs from a fresh kernel, gives the same text as the build, and its sliders move.

Each notebook is executed cell by cell with nbclient (a failure names the
cell), then, in the same live kernel, every slider of every
``backprop.explorer.explore`` figure is moved through its grid: the test
asserts that the data the figure draws change and that a new image is sent
to the widget. Finally the text outputs are compared with those of the
book's build (``_build/jupyter_execute``), which executed the notebook in a
separate kernel: a notebook that is not deterministic fails here. Outputs of
cells tagged ``timing`` (measured run times) are exempt.
"""

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
BUILT = ROOT / "_build" / "jupyter_execute" / "chapters"

SLIDER_CHECK = r'''
import json as _json
from backprop import explorer as _w
_report = []
for _k, _ex in enumerate(_w.REGISTRY):
    _ex.widget  # the live view: sliders and image
    for _p in _ex.params:
        _slider = _ex.sliders[_p.name]
        _start = _slider.value
        _moved = False
        for _v in _p.values:
            if _v == _ex.values[_p.name]:
                continue
            _data, _png = _w.figure_data(_ex.fig), _ex._image.value
            _slider.value = _v
            if _ex.values[_p.name] == _v and _w.figure_data(_ex.fig) != _data and _ex._image.value != _png:
                _moved = True
                break
        _slider.value = _start
        _report.append({"explorer": _k, "title": _ex.title, "param": _p.name, "moved": _moved})
print(_json.dumps(_report))
'''


def stream_text(outputs, name, merged):
    """All text a cell wrote to one stream, however it was split into messages.

    The book's build merges a cell's consecutive stream outputs (``nb_merge_streams``)
    into the first one and leaves the others in its stored copy; a merged first
    output ends with the concatenation of the rest, and is then the whole text.
    """
    texts = [o.text for o in outputs if o.output_type == "stream" and o.name == name]
    if merged and len(texts) > 1 and texts[0].endswith("".join(texts[1:])):
        return texts[0]
    return "".join(texts)


def text_outputs(nb, merged=False):
    """Per code cell: its text outputs (streams, text/plain, text/latex), unless tagged timing."""
    result = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "timing" in cell.metadata.get("tags", []):
            continue
        outputs = cell.get("outputs", [])
        texts = [(name, stream_text(outputs, name, merged)) for name in ("stdout", "stderr")]
        for out in outputs:
            if out.output_type in ("execute_result", "display_data"):
                for mime in ("text/plain", "text/latex"):
                    if mime in out.data:
                        texts.append((mime, out.data[mime]))
            elif out.output_type == "error":
                texts.append(("error", out.ename))
        result.append(texts)
    return result


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_runs_is_deterministic_and_its_sliders_move(path):
    assert os.environ.get("BACKPROP_STATIC_HTML", "") in ("", "0"), \
        "run the tests without BACKPROP_STATIC_HTML (it is for the book's build)"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel's inline figures
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                head = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                pytest.fail(f"{path.name}: code cell at index {index} ({head!r}) raised:\n{err}")
        probe = nbformat.v4.new_code_cell(SLIDER_CHECK)
        nb.cells.append(probe)
        try:
            client.execute_cell(probe, len(nb.cells) - 1)
        finally:
            nb.cells.pop()
    streams = [o.text for o in probe.outputs if o.output_type == "stream" and o.name == "stdout"]
    assert streams, f"{path.name}: the slider check printed nothing: {probe.outputs}"
    report = json.loads(streams[-1])
    stuck = [r for r in report if not r["moved"]]
    assert not stuck, f"{path.name}: sliders that do not change their figure: {stuck}"
    if "explore(" in "".join(c.source for c in nb.cells if c.cell_type == "code"):
        assert report, f"{path.name}: explore was called but no explorer was registered"

    built = BUILT / path.name
    assert built.exists(), f"{built} is missing: run `make book` before the tests"
    reference = nbformat.read(built, as_version=4)
    ours, theirs = text_outputs(nb), text_outputs(reference, merged=True)
    assert len(ours) == len(theirs)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"{path.name}: code cell {k} gave different text in two runs:\n{a}\n---\n{b}"
