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
artists ``update`` changed and those drawn above them (see ``_blit``), so it
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

The display object offers both the widget view and the HTML; a front end
with a kernel picks the widget, and the book's build is configured to
prefer the HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import os
from dataclasses import dataclass

import numpy as np

#: Environment variable that makes explorers embed every frame in their HTML.
STATIC_ENV = "BACKPROP_STATIC_HTML"

#: Every explorer created in this process, oldest first (used by tests and benchmarks).
REGISTRY: list = []


@dataclass
class Param:
    """One slider: its name, label, grid of values, and the index of the default."""

    name: str
    label: str
    values: list
    default: int
    numeric: bool
    decimals: int = 0
    is_range: bool = False

    def format(self, value) -> str:
        """The slider's readout for ``value``."""
        if self.numeric:
            return f"{value:.{self.decimals}f}"
        return str(value)

    def index(self, value) -> int:
        """Index of ``value`` on the grid; raises ``ValueError`` if it is off the grid."""
        if self.numeric:
            try:
                x = float(value)
            except (TypeError, ValueError):
                x = float("nan")
            grid = np.asarray(self.values, dtype=float)
            k = int(np.argmin(np.abs(grid - x))) if np.isfinite(x) else 0
            spacing = float(np.min(np.abs(np.diff(grid)))) if len(grid) > 1 else 1.0
            if np.isfinite(x) and abs(grid[k] - x) <= 1e-6 * spacing + 1e-12 * abs(x):
                return k
        else:
            for k, v in enumerate(self.values):
                if v == value:
                    return k
        if self.is_range:
            step = self.values[1] - self.values[0] if len(self.values) > 1 else 1.0
            raise ValueError(
                f"{self.name}={value!r} is not on the slider's grid "
                f"({self.values[0]} to {self.values[-1]} in steps of {step:g})"
            )
        raise ValueError(f"{self.name}={value!r} is not one of {self.values}")


def _decimals(x: float) -> int:
    """Number of decimals needed to write ``x`` exactly (up to 6)."""
    for d in range(7):
        if abs(round(x, d) - x) < 1e-12:
            return d
    return 6


def make_param(name: str, spec, label: str | None = None) -> Param:
    """Build a ``Param`` from a range tuple ``(min, max, step[, default])`` or a list of choices."""
    label = label or name
    if isinstance(spec, list):
        if len(spec) == 0:
            raise ValueError(f"parameter {name!r}: the list of choices is empty")
        numeric = all(isinstance(v, (int, float, np.integer, np.floating))
                      and not isinstance(v, bool) for v in spec)
        decimals = max(_decimals(float(v)) for v in spec) if numeric else 0
        return Param(name, label, list(spec), 0, numeric, decimals)
    if not isinstance(spec, tuple) or len(spec) not in (3, 4):
        raise TypeError(
            f"parameter {name!r} must be a range (min, max, step), (min, max, step, default) "
            f"or a list of choices; got {spec!r}"
        )
    lo, hi, step = (float(v) for v in spec[:3])
    if not (np.isfinite([lo, hi, step]).all() and step > 0 and hi > lo):
        raise ValueError(f"parameter {name!r}: need min < max and step > 0; got {spec!r}")
    n = (hi - lo) / step
    if abs(n - round(n)) > 1e-6:
        raise ValueError(
            f"parameter {name!r}: (max - min) / step = {n:.6g} must be a whole number, "
            "so that the grid ends at max"
        )
    decimals = max(_decimals(lo), _decimals(step))
    values = [round(lo + k * step, decimals + 2) for k in range(int(round(n)) + 1)]
    param = Param(name, label, values, len(values) // 2, True, decimals, is_range=True)
    if len(spec) == 4:
        param.default = param.index(spec[3])
    return param


def figure_data(fig) -> list:
    """The data a figure draws: line vertices, collection offsets and arrays, images, texts.

    Two calls return equal lists exactly when the drawn data are equal, so a
    test can tell whether moving a slider changed the figure.
    """
    from matplotlib.text import Text

    out = []

    def visit(artist):
        if not artist.get_visible():
            return
        for getter in ("get_xydata", "get_offsets", "get_array", "get_segments"):
            fn = getattr(artist, getter, None)
            if fn is None:
                continue
            try:
                value = fn()
            except (TypeError, ValueError, AttributeError):
                continue
            if value is None:
                continue
            if isinstance(value, list):
                value = [np.asarray(v, dtype=float) for v in value]
                out.append((type(artist).__name__, getter,
                            tuple(np.round(v, 12).tobytes() for v in value)))
            else:
                arr = np.ma.filled(np.asarray(value, dtype=float), np.nan)
                out.append((type(artist).__name__, getter, np.round(arr, 12).tobytes()))
        if isinstance(artist, Text):
            out.append(("text", artist.get_text()))
        if hasattr(artist, "get_path") and hasattr(artist, "get_height"):  # bars
            out.append(("patch", round(float(artist.get_height()), 12),
                        round(float(artist.get_width()), 12)))
        for child in artist.get_children():
            visit(child)

    for ax in fig.axes:
        out.append(("limits", tuple(np.round(ax.get_xlim(), 12)), tuple(np.round(ax.get_ylim(), 12))))
        visit(ax)
    return out


def _png(fig, dpi: int, compact: bool, cache: dict | None = None) -> bytes:
    """Render ``fig`` to PNG bytes, on an opaque white background.

    ``compact`` reduces the image to a 256-color palette (about 3x smaller,
    for the frames embedded in the HTML; the octree method keeps the book's
    line colors exact); otherwise the image is encoded as fast as possible
    (for live redraws).

    ``cache``, a dict owned by the caller, lets a live redraw draw only what
    changed over a stored background (see ``_blit``); the pixels are those of
    a full draw. Frames for the static page are always drawn in full.
    """
    from PIL import Image

    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    if compact or cache is None or not _blit(fig, cache):
        if cache is not None:
            cache.pop("background", None)  # it may no longer match what is drawn
        fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    image = Image.fromarray(rgba[..., :3])
    buf = io.BytesIO()
    if compact:
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            buf, format="png", compress_level=6)
    else:
        image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _draw_order(ax):
    """The artists ``Axes.draw`` draws after the axes patch, in its order."""
    artists = [a for a in ax.get_children() if a is not ax.patch and not a.get_animated()]
    if not (ax.axison and ax.get_frame_on()):
        artists = [a for a in artists if a not in ax.spines.values()]
    if not ax.axison:
        artists = [a for a in artists if a not in (ax.xaxis, ax.yaxis)]
    return sorted(artists, key=lambda a: a.zorder)


def _blit(fig, cache) -> bool:
    """Draw only the artists ``update`` changed, over a stored background. False: draw in full.

    matplotlib marks every artist that ``update`` changed as *stale*. In each
    axes, the stale artists and everything drawn above them (higher
    ``zorder``) form the overlay; the rest is the background, drawn once and
    stored with the axes limits and the overlay it leaves out. While later
    redraws change the same artists over the same limits, the background is
    restored and only the overlay is drawn: a cost curve moving over fixed
    axes redraws its line, its legend and the frame. An axes whose limits
    moved is redrawn whole (ticks and all) over the others' stored pixels.
    Anything else (a layout engine at work, a change outside the axes, an
    overlay that reaches into other axes) needs a full draw.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        return False  # the layout may move the axes at every draw
    renderer = fig.canvas.get_renderer()
    axes = sorted((ax for ax in fig.axes if ax.get_visible()), key=lambda ax: ax.zorder)
    others = [c for c in fig.get_children() if c not in fig.axes]
    if any(c.stale for c in others) or any(ax.patch.stale for ax in axes):
        return False
    limits = {id(ax): (ax.get_xlim(), ax.get_ylim()) for ax in axes}
    moved = {k for k, v in cache.get("limits", {}).items() if limits.get(k, v) != v}
    cache["limits"] = limits
    overlays = []
    for ax in axes:
        if id(ax) in moved:
            overlays.append((ax, [ax]))
            continue
        artists = _draw_order(ax)
        # set_xlim marks an axis stale even when nothing moves; the key below holds
        # the limits, and with them the ticks, which is all an axis draws.
        stale = [a.zorder for a in artists if a.stale and a not in (ax.xaxis, ax.yaxis)]
        if stale:
            overlays.append((ax, [a for a in artists if a.zorder >= min(stale)]))
    key = (tuple((k, v) for k, v in limits.items() if k not in moved),
           tuple(id(a) for _, top in overlays for a in top))
    stored = cache.get("background")
    if stored is not None and stored[0] == key:
        fig.canvas.restore_region(stored[1])
        for ax in axes:
            ax.apply_aspect()
    else:
        # Animated artists are left out of a draw but, unlike invisible ones, still
        # count where titles and labels are placed: the background is exact.
        left_out = [a for _, top in overlays for a in top]
        for a in left_out:
            a.set_animated(True)
        try:
            fig.canvas.draw()
        finally:
            for a in left_out:
                a.set_animated(False)
        cache["background"] = (key, fig.canvas.copy_from_bbox(fig.bbox))
    for _, top in overlays:
        for a in top:
            a.draw(renderer)
    for ax, top in overlays:  # unclipped overlay artists must stay inside their axes
        for a in top:
            if a.get_visible() and not a.get_clip_on() and a not in (ax, ax.xaxis, ax.yaxis) \
                    and a not in ax.spines.values():
                box = a.get_window_extent(renderer)
                if any(other is not ax and box.overlaps(other.bbox) for other in axes):
                    return False
    return True


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
        REGISTRY.append(self)

    # -- drawing ------------------------------------------------------------

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

        Live redraws reuse a stored background (see ``_blit``), except for a
        figure whose ``setup`` returns no ``update``: its axes are new at every call.
        """
        cache = None if self._update is None else self.__dict__.setdefault("_render_cache", {})
        return _png(self.fig, self.dpi, compact, cache)

    # -- live experience ------------------------------------------------------

    @property
    def widget(self):
        """The ipywidgets view: one slider per parameter above the figure's image."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self):
        import ipywidgets as w

        controls = []
        for p in self.params:
            common = dict(description=p.label, continuous_update=True,
                          style={"description_width": "initial"},
                          layout=w.Layout(width="320px"))
            if p.is_range and len(p.values) > 1:
                step = p.values[1] - p.values[0]
                slider = w.FloatSlider(value=p.values[p.default], min=p.values[0],
                                       max=p.values[-1], step=step,
                                       readout_format=f".{p.decimals}f", **common)
            else:
                slider = w.SelectionSlider(options=[(p.format(v), v) for v in p.values],
                                           value=p.values[p.default], **common)
            slider.observe(self._on_change, names="value")
            self.sliders[p.name] = slider
            controls.append(slider)
        self._image = w.Image(value=self.png(), format="png")
        return w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), self._image])

    def _on_change(self, change):
        name = next(n for n, s in self.sliders.items() if s is change["owner"])
        param = next(p for p in self.params if p.name == name)
        self.set(**{name: param.values[param.index(change["new"])]})
        self._image.value = self.png()

    # -- static experience ------------------------------------------------------

    def frames(self):
        """Render every combination of slider values. Returns ``(unique_pngs, order)``.

        ``order[k]`` is the index in ``unique_pngs`` of the ``k``-th combination in
        row-major order (the last parameter varies fastest). The figure is left
        at the current values.
        """
        n = int(np.prod([len(p.values) for p in self.params]))
        if n > self.max_frames:
            sizes = " x ".join(str(len(p.values)) for p in self.params)
            raise ValueError(
                f"{n} frames ({sizes}) exceed max_frames={self.max_frames}; use coarser "
                "steps or fewer choices so that the static page stays small"
            )
        current = dict(self.values)
        unique, order, seen = [], [], {}
        for combo in itertools.product(*[p.values for p in self.params]):
            self.set(**dict(zip(self.values, combo)))
            data = self.png(compact=True)
            key = hashlib.sha1(data).hexdigest()
            if key not in seen:
                seen[key] = len(unique)
                unique.append(data)
            order.append(seen[key])
        self.set(**current)
        return unique, order

    def static_html(self, all_frames: bool | None = None) -> str:
        """The HTML player: an image and one range input per parameter.

        With ``all_frames`` (default: whether ``BACKPROP_STATIC_HTML`` is set)
        every frame is embedded and a small script swaps them as the sliders
        move; otherwise only the current frame is shown.
        """
        if all_frames is None:
            all_frames = os.environ.get(STATIC_ENV, "") not in ("", "0")
        alt = self.title or "Interactive figure: " + ", ".join(p.label for p in self.params)
        if not all_frames:
            img = base64.b64encode(self.png(compact=True)).decode()
            caption = ", ".join(f"{p.label} = {p.format(self.values[p.name])}" for p in self.params)
            return (f'<div class="bp-explorer"><img alt="{html.escape(alt)}" '
                    f'style="max-width:100%;height:auto" src="data:image/png;base64,{img}">'
                    f'<div style="font-size:0.85em">Shown at {html.escape(caption)}. '
                    'Run the notebook to move the sliders.</div></div>')
        unique, order = self.frames()
        payload = {
            "frames": ["data:image/png;base64," + base64.b64encode(f).decode() for f in unique],
            "order": order,
            "sizes": [len(p.values) for p in self.params],
        }
        digest = hashlib.sha1(json.dumps(payload).encode()).hexdigest()[:12]
        uid = f"bp-{len(REGISTRY)}-{digest}"
        current = [p.index(self.values[p.name]) for p in self.params]
        start = payload["frames"][order[_flat_index(current, payload['sizes'])]]
        rows = []
        for k, p in enumerate(self.params):
            labels = json.dumps([p.format(v) for v in p.values])
            rows.append(
                f'<label style="display:inline-flex;align-items:center;gap:0.5em;margin-right:1.5em">'
                f'<span>{html.escape(p.label)}</span>'
                f'<input type="range" min="0" max="{len(p.values) - 1}" step="1" '
                f'value="{current[k]}" data-k="{k}" data-labels=\'{html.escape(labels)}\' '
                f'aria-label="{html.escape(p.label)}" aria-valuetext="{p.format(self.values[p.name])}">'
                f'<output>{html.escape(p.format(self.values[p.name]))}</output></label>'
            )
        data = json.dumps(payload).replace("</", "<\\/")
        return (
            f'<div class="bp-explorer" id="{uid}">'
            f'<div class="bp-controls" style="margin-bottom:0.3em">{"".join(rows)}</div>'
            f'<img class="bp-frame" alt="{html.escape(alt)}" style="max-width:100%;height:auto" '
            f'src="{start}">'
            f'<script type="application/json" class="bp-data">{data}</script>'
            f"<script>{_PLAYER_JS.replace('UID', uid)}</script></div>"
        )

    # -- display ------------------------------------------------------------

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self), "text/html": self.static_html()}
        try:
            view = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        except Exception:  # no ipywidgets, or no front end that can show it
            view = None
        if view:
            bundle["application/vnd.jupyter.widget-view+json"] = view[
                "application/vnd.jupyter.widget-view+json"]
        return bundle

    def __repr__(self):
        shown = ", ".join(f"{p.name}={p.format(self.values[p.name])}" for p in self.params)
        return f"<Explorer {self.title or ''}({shown})>".replace(" (", "(")


def _flat_index(indices, sizes):
    flat = 0
    for i, n in zip(indices, sizes):
        flat = flat * n + i
    return flat


_PLAYER_JS = """(function(){var root=document.getElementById("UID");if(!root)return;
var data=JSON.parse(root.querySelector(".bp-data").textContent);
var img=root.querySelector(".bp-frame");var inputs=root.querySelectorAll("input[type=range]");
function show(){var flat=0;for(var k=0;k<inputs.length;k++){var i=parseInt(inputs[k].value,10);
flat=flat*data.sizes[k]+i;var labels=JSON.parse(inputs[k].getAttribute("data-labels"));
inputs[k].nextElementSibling.textContent=labels[i];inputs[k].setAttribute("aria-valuetext",labels[i]);}
img.src=data.frames[data.order[flat]];}
for(var k=0;k<inputs.length;k++){inputs[k].addEventListener("input",show);}})();"""


def explore(setup, *, figsize=(8.0, 3.4), dpi=80, title=None, labels=None, defaults=None,
            max_frames=60, freeze_layout=True, **params) -> Explorer:
    """An interactive figure with one slider per keyword parameter.

    Parameters
    ----------
    setup : callable
        ``setup(fig, **values)`` draws on the matplotlib ``Figure`` ``fig`` for
        the given values and returns ``update(**values)`` (or ``None``).
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
