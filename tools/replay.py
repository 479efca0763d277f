"""Read a chapter's ``explore(figures.CHAPTER.NAME, **literals)`` calls and make them again, in-process.

A chapter calls an interactive figure in one line with literal keyword
arguments only, e.g.
``explore(figures.gradient.bowl_descent, eta=(0.05, 0.6, 0.05, 0.15), start=[-2.0, 2.0])``.
``figure_calls`` finds those calls with ``ast`` (no kernel, nothing of the
notebook is executed) and ``replay`` builds the same explorers in this
process, so that tests and the redraw benchmark can move every slider.

Maintainer tooling: it reads the book's notebooks, so it lives here and not in
the package a reader installs. A call's figure is found in the registry of the
book's figures (``backprop.figures.registry``), not imported by name.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FigureCall:
    """One ``explore(figures.MODULE.NAME, **kwargs)`` call of a notebook."""

    notebook: str
    cell: int          # index of the cell in the notebook
    line: int          # line of the call in the cell's source, from 1
    module: str        # e.g. "gradient" for backprop.figures.gradient
    name: str          # the figure function, e.g. "bowl_descent"
    kwargs: dict = field(default_factory=dict)

    def __str__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"explore(figures.{self.module}.{self.name}, {args})"


def _code_cells(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            # IPython magics and shell escapes are not Python; blank them, keeping line numbers.
            lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
            yield index, "\n".join(lines)


def _is_explore(func) -> bool:
    return (isinstance(func, ast.Name) and func.id == "explore") or \
        (isinstance(func, ast.Attribute) and func.attr == "explore")


def _figure_path(node):
    """``("gradient", "bowl_descent")`` for ``figures.gradient.bowl_descent`` (or ``backprop.figures...``)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts = [node.id, *reversed(parts)]
    if parts[:1] == ["backprop"]:
        parts = parts[1:]
    return (parts[1], parts[2]) if len(parts) == 3 and parts[0] == "figures" else None


def figure_calls(path, strict: bool = False) -> list:
    """The ``explore(figures.M.F, **literals)`` calls of the notebook at ``path``, in order.

    With ``strict``, any other ``explore(...)`` call (an inline setup, a
    positional or non-literal argument) raises ``ValueError`` naming its cell
    and line: such a figure could not be replayed without a kernel.
    """
    calls, other = [], []
    for index, source in _code_cells(path):
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise ValueError(f"{Path(path).name}: code cell {index} is not Python ({exc})") from None
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_explore(node.func)):
                continue
            where = f"{Path(path).name}, cell {index}, line {node.lineno}"
            target = _figure_path(node.args[0]) if len(node.args) == 1 else None
            try:
                kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
            except ValueError:
                kwargs = None
            if target is None or kwargs is None or None in kwargs:
                other.append(f"{where}: {ast.get_source_segment(source, node) or 'explore(...)'}"[:300])
                continue
            calls.append(FigureCall(Path(path).name, index, node.lineno, *target, kwargs))
    if strict and other:
        raise ValueError("explore calls that are not explore(figures.CHAPTER.NAME, **literals):\n  "
                         + "\n  ".join(other))
    return calls


def figure_function(call: FigureCall):
    """The registered figure ``backprop.figures.<module>.<name>`` that ``call`` names."""
    from backprop.figures import registry

    try:
        return registry.find(f"{call.module}.{call.name}")
    except LookupError as exc:
        raise ValueError(f"{call.notebook}, cell {call.cell}: {exc}") from None


def replay(path, resolve=figure_function) -> list:
    """The explorers of the notebook at ``path``, made again in this process: ``[(call, Explorer)]``.

    ``resolve(call)`` returns the figure function a call names (by default
    from ``backprop.figures``).
    """
    from backprop.explorer import explore

    return [(call, explore(resolve(call), **call.kwargs)) for call in figure_calls(path)]
