"""The PyTorch listings of the chapters, run as they stand (issue 25, item 4).

PyTorch is a test requirement, not one of the book's, so a chapter never runs it and never
prints that it is missing: the comparison is a Markdown ``python`` listing that opens with
``import torch``, and the chapter names the test here that runs it. Each listing is taken
from the chapter's source, so the code a reader sees is the code that is checked.
"""

import json
import re
from pathlib import Path

import pytest

from tools.book import INSTALL_MARK

pytestmark = pytest.mark.torch

ROOT = Path(__file__).resolve().parents[1]
LISTING = re.compile(r"^```python\n(import torch\n.*?)^```$", re.M | re.S)


def listings(chapter):
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return LISTING.findall(text)


def the_listing(chapter, test_name):
    """The chapter's one PyTorch listing; the chapter's text names ``test_name`` as its test."""
    found = listings(chapter)
    assert len(found) == 1, f"{chapter}: {len(found)} PyTorch listings"
    nb = (ROOT / "chapters" / f"{chapter}.ipynb").read_text()
    assert f"tests/test_chapter_torch.py::{test_name}" in nb, f"{chapter} does not name {test_name}"
    return found[0]


def test_every_pytorch_listing_has_its_test():
    names = {p.stem: listings(p.stem) for p in (ROOT / "chapters").glob("*.ipynb")}
    assert {c for c, found in names.items() if found} == {"minibatch", "relu", "reverse_mode"}


def test_no_chapter_cell_needs_or_mentions_a_missing_pytorch():
    for path in (ROOT / "chapters").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert "import torch" not in source, f"{path.name}: a code cell imports torch"
                if not source.startswith(INSTALL_MARK):   # (the install cell's comments say "not installed")
                    assert not re.search(r"not installed|skipped", source), f"{path.name}: {source[:80]!r}"


def test_minibatch_pytorch_check(torch):
    """The digits network trained as in the chapter; the listing compares its gradients with autograd."""
    from backprop import data, gradcheck, network, training

    digits = data.digits(test_fraction=0.25, seed=0)
    X_train, Y_train = digits["X_train"], digits["Y_train"]
    start = network.init_params([64, 32, 10], seed=0)
    params_digits, _ = training.train(start, X_train, Y_train, loss="cross_entropy", eta=0.5, epochs=30,
                                      batch_size=16, seed=0)
    namespace = dict(X_train=X_train, Y_train=Y_train, params_digits=params_digits,
                     network=network, gradcheck=gradcheck)
    exec(the_listing("minibatch", "test_minibatch_pytorch_check"), namespace)
    assert max(namespace["errors"]) < 1e-10 and len(namespace["errors"]) == 4


def test_reverse_mode_pytorch_check(torch):
    namespace = {}
    exec(the_listing("reverse_mode", "test_reverse_mode_pytorch_check"), namespace)
    assert float(namespace["w_torch"].grad) == 12.0


def test_relu_pytorch_check(torch):
    """PyTorch's autograd takes relu'(0) = 0, as the package does, at the chapter's points."""
    import numpy as np

    from backprop import activations

    namespace = dict(z_kink=np.array([-1.0, -1e-12, 0.0, 1e-12, 2.0]), activations=activations)
    exec(the_listing("relu", "test_relu_pytorch_check"), namespace)
    assert namespace["z_t"].grad.numpy().tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
