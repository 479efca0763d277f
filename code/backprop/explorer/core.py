"""``Explorer`` and ``explore``: one figure, its sliders, and how it is displayed.

``explore(setup, **params)`` builds the sliders (``params``) and calls
``setup(fig, **defaults)``, which draws once and returns ``update(**values)``.
The ``Explorer`` shows the live view (``live``) in a kernel and the static
player (``player``) in the book's HTML. ``recording()`` hands the explorers
made inside a ``with`` block to whoever asks (tests, benchmarks).
"""

from __future__ import annotations

import contextlib
import html

from . import live, player
from .params import make_param
from .render import _png

#: Lists of the explorers made while a ``recording()`` block is open (empty otherwise).
_recordings: list = []


@contextlib.contextmanager
def recording():
    """``with recording() as made:``; ``made`` lists the explorers created in the block, oldest first."""
    made: list = []
    _recordings.append(made)
    try:
        yield made
    finally:
        _recordings.remove(made)


class Explorer:
    """An interactive figure: ``setup`` draws it, sliders (live or static) move it.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The figure, created without pyplot (so nothing is shown by accident).
    params : list of Param
        The sliders, in the order given.
    values : dict
        The current value of every parameter.
    """

    #: How many explorers this process has made; numbers the static players' ids.
    made = 0

    def __init__(self, setup, params, *, figsize=(8.0, 3.4), dpi=80, title=None,
                 max_frames=60, freeze_layout=True):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if not callable(setup):
            raise TypeError(f"setup must be a function setup(fig, **values); got {type(setup).__name__}")
        if not params:
            raise ValueError("explore needs at least one parameter, e.g. eta=(0.01, 0.2, 0.01)")
        self.setup = setup
        self.params = params
        self.dpi = int(dpi)
        self.title = title
        self.max_frames = int(max_frames)
        self.fig = Figure(figsize=figsize, dpi=self.dpi, facecolor="white", layout="constrained")
        FigureCanvasAgg(self.fig)
        self.values = {p.name: p.values[p.default] for p in params}
        self._update = self._call_setup(self.values)
        if freeze_layout and self._update is not None:
            # Lay the figure out once (constrained layout), then keep that layout for
            # every frame: the layout engine costs about half of each redraw.
            self.fig.draw_without_rendering()
            self.fig.set_layout_engine("none")
        self._widget = None
        self._image = None
        self.sliders = {}
        Explorer.made += 1
        for made in _recordings:
            made.append(self)


    def _call_setup(self, values):
        update = self.setup(self.fig, **values)
        if update is not None and not callable(update):
            raise TypeError("setup must return update(**values) or None; "
                            f"got {type(update).__name__}")
        return update

    def set(self, **values):
        """Move sliders to ``values`` (names as given to ``explore``) and update the figure."""
        unknown = set(values) - set(self.values)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; "
                             f"this figure has {list(self.values)}")
        for p in self.params:
            if p.name in values:
                self.values[p.name] = p.values[p.index(values[p.name])]
        if self._update is None:
            self.fig.clear()
            self._call_setup(self.values)
        else:
            self._update(**self.values)
        return self

    def png(self, compact: bool = False) -> bytes:
        """The figure at the current values, as PNG bytes.

        Live redraws reuse a stored background (``render._blit``), except for a
        figure whose ``setup`` returns no ``update``: its axes are new at every call.
        """
        cache = None if self._update is None else self.__dict__.setdefault("_render_cache", {})
        return _png(self.fig, self.dpi, compact, cache)


    @property
    def widget(self):
        """The ipywidgets view: one slider per parameter above the figure's image."""
        if self._widget is None:
            self._widget = live.build_widget(self)
        return self._widget

    def frames(self):
        """Every combination of slider values rendered: ``(unique_pngs, order)`` (see ``player.frames``)."""
        return player.frames(self)

    def static_html(self, all_frames: bool | None = None) -> str:
        """The HTML player: an image and one range input per parameter.

        With ``all_frames`` (default: whether ``BACKPROP_STATIC_HTML`` is set)
        every frame is embedded and a small script swaps them as the sliders
        move; otherwise only the current frame is shown.
        """
        if all_frames is None:
            all_frames = player.static_wanted()
        return player.player_html(self, Explorer.made) if all_frames else player.still_html(self)


    def _repr_mimebundle_(self, include=None, exclude=None):
        """The HTML and the widget view; if the widget cannot be made, one line that says why."""
        page = self.static_html()
        try:
            view = live.widget_view(self.widget)
        except Exception as exc:  # shown to the reader, never swallowed
            line = (f"The live sliders could not be made ({type(exc).__name__}: {exc}); "
                    "shown instead: the figure, without live sliders.")
            if not player.static_wanted():
                page = player.still_html(self, note="")
            return {"text/plain": f"{line}\n{self!r}",
                    "text/html": f'<div class="bp-explorer-error" style="color:#b00020">'
                                 f"{html.escape(line)}</div>{page}"}
        return {"text/plain": repr(self), "text/html": page, live.WIDGET_VIEW: view}

    def __repr__(self):
        shown = ", ".join(f"{p.name}={p.format(self.values[p.name])}" for p in self.params)
        return f"<Explorer {self.title or ''}({shown})>".replace(" (", "(")


def explore(setup, *, figsize=(8.0, 3.4), dpi=80, title=None, labels=None, defaults=None,
            max_frames=60, freeze_layout=True, **params) -> Explorer:
    """An interactive figure with one slider per keyword parameter.

    Parameters
    ----------
    setup : callable
        ``setup(fig, **values)`` draws on the matplotlib ``Figure`` ``fig`` for
        the given values and returns ``update(**values)`` (or ``None``: then
        every change clears the figure and calls ``setup`` again).
    figsize, dpi : figure size in inches, and resolution of the rendered image.
    title : str, optional
        Alternative text for the image.
    labels : dict, optional
        Slider labels by parameter name, e.g. ``{"eta": "learning rate η"}``.
    defaults : dict, optional
        Starting values by parameter name, for lists of choices (which
        otherwise start at their first entry) or to override a range's default.
    max_frames : int
        Largest number of slider combinations rendered for the static page.
    freeze_layout : bool
        Lay the figure out once, at the default values, and keep that layout
        (faster redraws). Turn it off if an update changes tick labels so much
        that they would be clipped.
    **params
        ``name=(min, max, step)``, ``name=(min, max, step, default)`` or
        ``name=[choice, ...]``.

    Returns
    -------
    Explorer
        Display it (last expression of a cell) to get the sliders.
    """
    labels, defaults = labels or {}, defaults or {}
    for what, given in (("labels", labels), ("defaults", defaults)):
        unknown = set(given) - set(params)
        if unknown:
            raise ValueError(f"{what} given for unknown parameter(s) {sorted(unknown)}")
    built = [make_param(name, spec, labels.get(name)) for name, spec in params.items()]
    for p in built:
        if p.name in defaults:
            p.default = p.index(defaults[p.name])
    return Explorer(setup, built, figsize=figsize, dpi=dpi, title=title, max_frames=max_frames,
                    freeze_layout=freeze_layout)
