"""``Explorer`` and ``explore``: one figure, its sliders, and how it is displayed.

``explore(setup, **params)`` builds the sliders and calls ``setup(fig, **defaults)``,
which draws once and returns ``update(**values)``. The ``Explorer`` owns its state (the
figure, the values, the live view) and renders; ``player`` writes the static HTML from
its frames, and ``live`` builds the widgets, only when a kernel's front end displays it.
"""

from __future__ import annotations

import base64
import html

from . import live, player
from .params import make_param
from .render import PIXEL_RATIO, _png, print_pdf


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
    css_size : tuple
        ``(width, height)`` in CSS px of the static frames: ``figsize`` times ``dpi``.
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
        self.css_size = (round(figsize[0] * self.dpi), round(figsize[1] * self.dpi))
        FigureCanvasAgg(self.fig)
        self.values = {p.name: p.values[p.default] for p in params}
        self._update = self._call_setup(self.values)
        if freeze_layout and self._update is not None:
            # Lay the figure out once (constrained layout), then keep that layout for
            # every frame: the layout engine costs about half of each redraw.
            self.fig.draw_without_rendering()
            self.fig.set_layout_engine("none")
        self._render_cache = {}
        self._live = None
        Explorer.made += 1

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
        """The figure at the current values, as PNG bytes: live (``dpi``; redraws reuse a stored
        background, ``render._blit``, unless ``setup`` returns no ``update``), or ``compact``:
        a static frame at ``PIXEL_RATIO`` times ``dpi``, 256 colours, shown at ``css_size``."""
        if compact:
            return _png(self.fig, self.dpi * PIXEL_RATIO, True, self._render_cache)  # drops the live background
        return _png(self.fig, self.dpi, False, None if self._update is None else self._render_cache)

    def _move(self, name, value) -> bytes:  # the live view's callback: one slider moved
        return self.set(**{name: value}).png()

    @property
    def view(self) -> live.Live:
        """The live view (``widget``, ``sliders``, ``image``), built at the first request."""
        if self._live is None:
            self._live = live.build(self.params, self.values, self.png(), self._move)
        return self._live

    @property
    def widget(self):
        """The ipywidgets view: one slider per parameter above the figure's image."""
        return self.view.widget

    @property
    def sliders(self) -> dict:
        """The live view's sliders by parameter name (empty until ``widget`` is built)."""
        return {} if self._live is None else self._live.sliders

    def frames(self):
        """Every combination of slider values rendered: ``(unique_pngs, order)`` (``player.frames``)."""
        current = dict(self.values)
        try:
            return player.frames(self.params, lambda values: self.set(**values).png(compact=True),
                                 self.max_frames)
        finally:
            self.set(**current)

    def static_html(self, all_frames: bool | None = None,
                    note: str = "Run the notebook to move the sliders.") -> str:
        """The HTML: with ``all_frames`` (default: ``player.static_wanted()``, the book's build)
        the player, every frame and one range input per parameter; otherwise the current
        frame, captioned with the values and ``note``."""
        alt = player.alt_text(self.title, self.params)
        if all_frames is None:
            all_frames = player.static_wanted()
        if all_frames:
            unique, order = self.frames()
            return player.player_html(self.params, self.values, unique, order, alt, Explorer.made,
                                      self.css_size)
        return player.still_html(self.params, self.values, self.png(compact=True), alt, note,
                                 self.css_size)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The book's build: the player and no widget, and the figure as a PDF for LaTeX builds
        (HTML builds take ``text/html``). A kernel: the widget view and the figure (one line
        says why if the widget cannot be made). Elsewhere: the figure alone."""
        if player.static_wanted():
            return {"text/plain": repr(self), "text/html": self.static_html(all_frames=True),
                    "application/pdf": base64.b64encode(    # under it: "Shown at ..."
                        print_pdf(self.fig, player.shown_at(self.params, self.values))).decode()}
        if not live.front_end():
            return {"text/plain": repr(self), "text/html": self.static_html(all_frames=False)}
        try:
            view = live.widget_view(self.widget)
        except Exception as exc:  # shown to the reader, never swallowed
            line = (f"The live sliders could not be made ({type(exc).__name__}: {exc}); "
                    "shown instead: the figure, without live sliders.")
            return {"text/plain": f"{line}\n{self!r}",
                    "text/html": f'<div class="bp-explorer-error" style="color:#b00020">'
                                 f"{html.escape(line)}</div>{self.static_html(all_frames=False, note='')}"}
        return {"text/plain": repr(self), "text/html": self.static_html(all_frames=False),
                live.WIDGET_VIEW: view}

    def __repr__(self):
        shown = ", ".join(f"{p.name}={p.format(self.values[p.name])}" for p in self.params)
        return f"<Explorer {self.title or ''}({shown})>".replace(" (", "(")


def explore(setup, *, figsize=(8.0, 3.4), dpi=80, title=None, labels=None, defaults=None,
            max_frames=60, freeze_layout=True, **params) -> Explorer:
    """An interactive figure with one slider per keyword parameter.

    Parameters
    ----------
    setup : callable
        ``setup(fig, **values)`` draws on ``fig`` for the given values and returns
        ``update(**values)`` (or ``None``: every change then calls ``setup`` again on a clear figure).
    figsize, dpi : figure size in inches, and CSS px per inch (static frames: 2x that).
    title : str, optional: alternative text for the image.
    labels, defaults : dict, optional
        By parameter name: slider labels (``{"eta": "learning rate η"}``), and starting
        values (lists of choices otherwise start at their first entry).
    max_frames : int
        Largest number of slider combinations rendered for the static page.
    freeze_layout : bool
        Lay the figure out once, at the default values, and keep that layout (faster
        redraws); turn it off if an update changes tick labels so much they would be clipped.
    **params
        ``name=(min, max, step)``, ``name=(min, max, step, default)`` or ``name=[choice, ...]``.

    Returns an ``Explorer``: display it (last expression of a cell) to get the sliders.
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
