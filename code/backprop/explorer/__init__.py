"""One notebook cell, two experiences: live sliders in a kernel, a working player in static HTML.

Every interactive figure of the book is made by ``explore``::

    def setup(fig, eta, w0):
        ax = fig.add_subplot()
        (line,) = ax.plot(*descent(eta, w0))
        ...                                   # labels, legend
        def update(eta, w0):
            line.set_data(*descent(eta, w0))  # change artists in place
        return update

    explore(setup, eta=(0.01, 0.2, 0.01, 0.05), w0=[-2.0, 0.0, 2.0])

``setup(fig, **values)`` draws the figure once for the default values and
returns ``update(**values)``, which changes the artists in place (it may
return ``None``; then the figure is cleared and ``setup`` is called again on
every change, which is simpler and slower). A live redraw repaints only the
artists ``update`` changed and those drawn above them (see ``render._blit``), so it
is fastest when the axis limits stay fixed, when changing images sit above
the axis (``zorder=1``; the book's style draws grids and ticks below
everything), and when text that changes uses no mathtext.

A parameter is a range ``(min, max, step)`` or ``(min, max, step, default)``
(the default defaults to the middle of the grid) or a list of choices
``[v0, v1, ...]`` (default: the first, or the one given in ``defaults=``).

What the returned ``Explorer`` shows depends on where it is displayed:

- in Jupyter, JupyterLab or Colab (a live kernel), ipywidgets sliders; moving
  one calls ``update`` and redraws the image;
- in the book's HTML (built with ``BACKPROP_STATIC_HTML=1`` in the
  environment, which the book's build sets), a ``<input type="range">``
  per parameter over frames rendered at build time on exactly the sliders'
  grid, so the sliders work with no kernel;
- anywhere else (GitHub, nbviewer), the figure at the default values.

The widget is made only when a kernel's front end displays the explorer;
it then offers the widget view and the figure's HTML. Under the book's
build no widget is made at all: the display is the player alone. If the
widget cannot be made, the output says why in one visible line above the
figure. ``BACKPROP_STATIC_HTML`` (``STATIC_ENV``) is ``"1"`` for the book's
build; unset or ``"0"`` means a reader's kernel; ``player.static_wanted``
is its one reading.

The package, one idea per module:

- ``params``: slider grids (``Param``, ``make_param``);
- ``render``: rendering to PNG and partial redraws (``_png``, ``_blit``);
- ``player``: the static HTML player, its JavaScript and the Python that writes it;
- ``live``: the ipywidgets view (ipywidgets 7 and 8);
- ``core``: ``Explorer`` (the figure, its values and its live view) and ``explore``.

``player`` and ``live`` take the sliders, their values and images, never an
``Explorer``. (Reading a chapter's ``explore(...)`` calls again, for the tests
and the redraw benchmark, is maintainer tooling: ``tools/replay.py``.)
"""

from .core import Explorer, explore
from .params import Param, make_param
from .player import STATIC_ENV, static_wanted

__all__ = ["STATIC_ENV", "Explorer", "Param", "explore", "make_param", "static_wanted"]
