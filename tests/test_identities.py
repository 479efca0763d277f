"""Every identity of the chapter "Matrix calculus with differentials", checked by PyTorch autograd.

The rows live in ``backprop.identities`` as pairs of functions ``f`` and ``G``
written over a small set of operations; here they run on a PyTorch backend
(float64, CPU), and ``torch.autograd`` differentiates ``f``. The chapter
checks the same rows with SymPy and central differences.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from backprop import identities
from backprop.gradcheck import numerical_gradient, relative_error

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"

# The rows that a chapter's text names by number ("rows 1 and 5 of the table"), in the order
# it names them: a row added to TABLE renumbers those after it, and this list says where.
ROWS_NAMED_BY_NUMBER = {
    "differentials": ["linear", "Frobenius norm", "Frobenius norm", "bilinear", "log-determinant",
                      "product, right factor", "product, left factor", "cross-entropy", "least squares",
                      "cross-entropy"],
    "reverse_mode": ["cross-entropy"],
}


class TorchOps:
    """The operations of ``identities.NumpyOps`` on float64 torch tensors."""

    def __init__(self, torch):
        self.tr = torch.trace
        self.had = torch.mul
        self.total = torch.sum
        self.exp = torch.exp
        self.log = torch.log
        self.sigmoid = torch.sigmoid
        self.inv = torch.linalg.inv
        self.det = torch.linalg.det
        self.kron = lambda A, B: torch.kron(A.contiguous(), B.contiguous())
        self.ones = lambda n, m: torch.ones((n, m), dtype=torch.float64)
        self.vec = lambda X: X.T.reshape(-1, 1)
        self.vec_rows = lambda X: X.reshape(-1, 1)


def test_the_table_has_unique_names():
    names = [row.name for row in identities.TABLE] + [rule[0] for rule in identities.RULES]
    assert len(names) == len(set(names))


def test_the_chapters_table_is_written_from_the_rows():
    """One line per row of TABLE, numbered in order, with its LaTeX and the matrix it is taken by."""
    header, rule, *lines = identities.markdown_table().split("\n")
    assert header.count("|") == rule.count("|") == 5 and len(lines) == len(identities.TABLE)
    for k, (line, row) in enumerate(zip(lines, identities.TABLE), start=1):
        number, f, wrt, G = (cell.strip() for cell in line.strip("|").split(" | "))
        assert (number, f, wrt, G) == (str(k), f"${row.f_tex}${row.remark}", f"${row.wrt}$", f"${row.G_tex}$")
        assert row.f_tex.count("$") == row.G_tex.count("$") == 0 and row.remark.count("$") % 2 == 0
    assert identities.markdown_table(identities.TABLE[:2]).count("\n") == 3


@pytest.mark.parametrize("row", identities.TABLE, ids=lambda r: r.name)
def test_gradient_identity_matches_torch_autograd(row, torch):
    o = TorchOps(torch)
    for seed in (0, 1):
        values = identities.sample(row, seed=seed)
        M = {k: torch.tensor(v, requires_grad=(k == row.wrt)) for k, v in values.items()}
        f = row.f(o, **M)
        (grad,) = torch.autograd.grad(f.sum(), M[row.wrt])
        claimed = row.G(o, **{k: v.detach() for k, v in M.items()}).numpy()
        assert claimed.shape == values[row.wrt].shape            # a gradient has X's shape
        assert relative_error(claimed, grad.numpy()) < 1e-12
        assert relative_error(claimed, row.G(identities.NUMPY, **values)) < 1e-12


@pytest.mark.parametrize("row", identities.TABLE, ids=lambda r: r.name)
def test_gradient_identity_matches_central_differences(row):
    G, fd = identities.central_differences(row, identities.sample(row, seed=2))
    assert relative_error(G, fd) < 1e-7


@pytest.mark.parametrize("rule", identities.RULES, ids=lambda r: r[0])
def test_rule_holds_in_torch_and_numpy(rule, torch):
    _, _, shapes, lhs, rhs = rule
    values = identities.sample(shapes, seed=3)
    o = TorchOps(torch)
    T = {k: torch.tensor(v) for k, v in values.items()}
    lt, rt = np.asarray(lhs(o, **T)), np.asarray(rhs(o, **T))
    ln, rn = np.asarray(lhs(identities.NUMPY, **values)), np.asarray(rhs(identities.NUMPY, **values))
    assert lt.shape == rt.shape and relative_error(lt, rt) < 1e-12
    assert relative_error(ln, lt) < 1e-12 and relative_error(rn, rt) < 1e-12


def test_a_wrong_gradient_is_caught(torch):
    """The check can fail: a transposed or halved G does not pass."""
    row = next(r for r in identities.TABLE if r.name == "quadratic form")
    wrong = identities.Identity(row.name, row.f_tex, "S x", row.wrt, row.shapes, row.f,
                                lambda o, x, S: S @ x)       # G without its transpose term
    assert not identities.sympy_residual(wrong).is_zero_matrix
    G, fd = identities.central_differences(wrong, identities.sample(wrong))
    assert relative_error(G, fd) > 1e-3


def test_vec_rows_is_the_layout_of_vjp_jvp():
    """vec_r(W a) = (I ⊗ a^T) vec_r(W): the flattened Jacobian of z = W a in chapter vjp_jvp."""
    values = identities.sample({"W": (3, 4), "a": (4, 1)}, seed=4)
    W, a = values["W"], values["a"]
    assert np.allclose(np.kron(np.eye(3), a.T) @ W.reshape(-1, 1), W @ a, atol=1e-14)


def test_matrix_symbol_residuals_vanish():
    checked = [row for row in identities.TABLE if row.matrix_symbol is not None]
    assert len(checked) >= 10
    # the chapter: "every row without det, sigma or softmax"
    assert {row.name for row in identities.TABLE if row.matrix_symbol is None} == {
        row.name for row in identities.TABLE if re.search(r"\\det|\\sigma|softmax", row.f_tex)}
    for row in checked:
        residual = identities.matrix_residual(row)
        assert residual == 0 or residual.is_ZeroMatrix, row.name
    assert isinstance(identities.symbols({"X": (2, 2)})["X"], sp.MatrixBase)


@pytest.mark.parametrize("row", identities.TABLE, ids=lambda r: r.name)
def test_the_differential_is_the_linear_part(row):
    """f(X + t dX) - f(X) - t <G, dX> shrinks like t^2: G is the derivative, not just a fit."""
    values = identities.sample(row, seed=5)
    dX = np.random.default_rng(6).standard_normal(values[row.wrt].shape)
    G = row.G(identities.NUMPY, **values)

    def rest(t):
        moved = {**values, row.wrt: values[row.wrt] + t * dX}
        return abs(row.f(identities.NUMPY, **moved) - row.f(identities.NUMPY, **values)
                   - t * identities.inner(identities.NUMPY, G, dX))

    ratio = rest(1e-3) / rest(1e-4)
    assert 50 < ratio < 200 or rest(1e-3) < 1e-13        # 100 for a quadratic remainder; 0 if f is linear


@pytest.mark.parametrize("row", [r for r in identities.TABLE if r.invertible], ids=lambda r: r.name)
def test_what_a_row_inverts_is_well_conditioned(row):
    """At every seed the checks use (the chapter's is the row number), the inverted matrix is far from singular.

    A row inverts its one ``invertible`` matrix, or the product of several (``A X B``).
    """
    for seed in range(2 * len(identities.TABLE)):
        values = identities.sample(row, seed=seed)
        M = np.linalg.multi_dot([values[name] for name in row.invertible]) if len(row.invertible) > 1 \
            else values[row.invertible[0]]
        assert M.shape[0] == M.shape[1] and np.linalg.det(M) > 0 and np.linalg.cond(M) < 10, seed


def test_a_determinant_row_takes_a_matrix_that_is_not_square():
    """det(A X B) with X (3, 4): the identity needs A X B square, not X."""
    row = next(r for r in identities.TABLE if r.name == "determinant of A X B")
    r, c = row.shapes["X"]
    assert r != c and row.shapes["A"][0] == row.shapes["B"][1] <= min(r, c)


def test_the_chapters_row_numbers_name_the_right_rows():
    """Each "row N" / "rows N and M" in a chapter's prose is the position of the row it means."""
    number = {row.name: k for k, row in enumerate(identities.TABLE, start=1)}
    for chapter, names in ROWS_NAMED_BY_NUMBER.items():
        cells = json.loads((CHAPTERS / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        found = [int(n) for m in re.finditer(r"\b[Rr]ows? (\d+)(?: and (\d+))?\b", text) for n in m.groups() if n]
        assert found == [number[name] for name in names], chapter


def test_least_squares_figure_uses_the_table_row():
    from backprop.figures import differentials

    W = np.array([[0.3, -0.2]])
    fd = numerical_gradient(lambda M: differentials.ls_cost(M, 2.0), W)
    assert relative_error(differentials.ls_grad(W, 2.0), fd) < 1e-8
    _, costs = differentials.ls_descent(0.1, 1.0)
    assert costs[-1] < costs[0] / 100
