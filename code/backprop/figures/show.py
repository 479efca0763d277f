"""``show(name, figure)``: a figure the book numbers and captions (issue 13).

A chapter's figure cell ends with ``figures.show("fig-NAME", obj)``, where
``obj`` is a matplotlib ``Figure`` or an ``Explorer``; the next Markdown cell
holds the caption::

    :::{glue:figure} fig-NAME
    :name: fig-NAME
    :alt: what the figure shows
    Caption.
    :::

Under the book's build (``myst_nb`` importable and ``BACKPROP_STATIC_HTML=1``,
as ``_ext/bookext.py`` sets it; ``explorer.static_wanted`` reads it) the object is glued with myst-nb's ``glue``
and not displayed, so it appears once, inside the numbered figure. Anywhere
else (Jupyter, Colab) it is displayed where the cell is, as before.

Under the book's build a static figure is glued as ``StaticFigure``: a PNG at
``PIXEL_RATIO`` (2) times the figure's dpi, in a 256-colour palette, with ``width`` and
``height`` metadata that show it at its 1x size (crisp on a 2x screen, and smaller than
a full-colour PNG at 1x), and the same figure as a vector PDF: an HTML build takes the
PNG, a LaTeX build the PDF (myst-nb's default priorities for those builders).
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np

from ..explorer import static_wanted
from ..explorer.render import PIXEL_RATIO, palette_png

_NAME = re.compile(r"fig-[a-z0-9]+(-[a-z0-9]+)*")


def _glue():
    """myst-nb's ``glue`` when the book is being built, else ``None``."""
    if not static_wanted():
        return None
    try:
        from myst_nb import glue
    except ImportError:
        return None
    return glue


class StaticFigure:
    """A matplotlib figure rendered for display: ``png`` (``PIXEL_RATIO`` times its dpi),
    ``css_size`` (``(width, height)`` it is shown at) and, when asked for, ``pdf``.

    The figure is cropped as the inline backend crops it (``bbox_inches="tight"``),
    unless it says otherwise with a ``show_bbox`` attribute (the diagrams keep
    their full width).
    """

    def __init__(self, fig, pdf: bool = False):
        from PIL import Image

        bbox = getattr(fig, "show_bbox", "tight")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=fig.dpi * PIXEL_RATIO, bbox_inches=bbox,
                    facecolor=fig.get_facecolor())
        rgb = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
        self.png = palette_png(rgb)
        height, width = rgb.shape[:2]
        self.css_size = (round(width / PIXEL_RATIO), round(height / PIXEL_RATIO))
        self.pdf = None
        if pdf:
            buf = io.BytesIO()
            fig.savefig(buf, format="pdf", bbox_inches=bbox, facecolor=fig.get_facecolor())
            self.pdf = buf.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        width, height = self.css_size
        data = {"text/plain": f"<Figure {width}x{height}>",
                "image/png": base64.b64encode(self.png).decode("ascii")}
        if self.pdf is not None:
            data["application/pdf"] = base64.b64encode(self.pdf).decode("ascii")
        return data, {"image/png": {"width": width, "height": height}}


def show(name: str, obj) -> None:
    """Show ``obj`` (a matplotlib Figure or an Explorer) as the book's figure ``name``.

    ``name`` is the figure's label, ``fig-`` then lower-case words joined by
    hyphens; the caption cell refers to it. Returns ``None`` so that nothing
    else is displayed by the cell.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"a figure's name is 'fig-' then lower-case words joined by '-'; got {name!r}")
    from matplotlib.figure import Figure

    if not isinstance(obj, Figure) and not hasattr(obj, "_repr_mimebundle_"):
        raise TypeError(f"show needs a matplotlib Figure or an Explorer; got {type(obj).__name__}")
    glue = _glue()
    if glue is None:
        from IPython.display import display

        display(obj)
    else:
        glue(name, StaticFigure(obj, pdf=True) if isinstance(obj, Figure) else obj, display=False)
    if isinstance(obj, Figure):
        import matplotlib.pyplot as plt

        plt.close(obj)  # shown once: not again by the inline backend at the end of the cell


def number(name: str, value) -> None:
    """A number computed by the chapter, for the text: ``{glue:text}`NAME:.2f``` in Markdown.

    Under the book's build it is glued (not displayed); elsewhere it is
    printed as ``name = value``, so that a reader of the notebook sees it too.
    """
    import numbers

    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"number needs a real number; got {type(value).__name__}")
    value = int(value) if isinstance(value, numbers.Integral) else float(value)  # not np.float64(...)
    glue = _glue()
    if glue is None:
        print(f"{name} = {value}")
    else:
        glue(name, value, display=False)
