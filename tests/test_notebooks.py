"""Every chapter runs from a fresh kernel and gives the same text as the build.

Each notebook is executed cell by cell with nbclient (a failure names the
cell). Its text outputs are then compared with those of the book's build
(``_build/jupyter_execute``), which executed the notebook in a separate
kernel: a notebook that is not deterministic fails here. Outputs of cells
tagged ``timing`` (measured run times) are exempt. Streams are compared as
their text with every whitespace run removed, so that how the kernel split a
print into messages can never matter. The sliders of the chapters' figures
are moved in-process, without a kernel, by ``test_figure_calls.py``.
"""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
BUILT = ROOT / "_build" / "jupyter_execute" / "chapters"

def squeeze(text):
    """``text`` without any whitespace: chunk borders may add or drop newlines and spaces."""
    return "".join(text.split())


def stream_text(outputs, name, merged):
    """All text a cell wrote to one stream, however it was split into messages, without whitespace.

    The book's build merges a cell's consecutive stream outputs (``nb_merge_streams``)
    into the first one and leaves the others in its stored copy; a merged first
    output ends with the concatenation of the rest, and is then the whole text.
    """
    texts = [squeeze(o.text) for o in outputs if o.output_type == "stream" and o.name == name]
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


@pytest.mark.notebook(needs=("kernel", "book"))   # compares with the build
@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_runs_and_is_deterministic(path):
    from backprop.explorer import STATIC_ENV, static_wanted

    assert not static_wanted(), f"run the tests without {STATIC_ENV}=1 (it is for the book's build)"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel's inline figures
    # The kernel runs as the build's kernels do: figures and numbers are glued for the page
    # (backprop.figures.show, .number) rather than displayed or printed.
    env[STATIC_ENV] = "1"
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                head = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                pytest.fail(f"{path.name}: code cell at index {index} ({head!r}) raised:\n{err}")

    built = BUILT / path.name
    assert built.exists(), f"{built} is missing: run `make book` before the tests"
    reference = nbformat.read(built, as_version=4)
    ours, theirs = text_outputs(nb), text_outputs(reference, merged=True)
    assert len(ours) == len(theirs)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"{path.name}: code cell {k} gave different text in two runs:\n{a}\n---\n{b}"


def test_stream_text_does_not_depend_on_chunking():
    def out(*texts):
        return [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]

    one = out("max error, batched form: 5.9e-16\n")
    two = out("max error, batched form:", "\n 5.9e-16\n")
    merged = out("max error, batched form:\n 5.9e-16\n", "\n 5.9e-16\n")    # the build's nb_merge_streams
    assert stream_text(one, "stdout", False) == stream_text(two, "stdout", False) \
        == stream_text(merged, "stdout", True) == "maxerror,batchedform:5.9e-16"
    assert stream_text(out("5.9e-16"), "stdout", False) != stream_text(out("5.8e-16"), "stdout", False)
