"""The book's figure style and a few drawing helpers shared by the chapters.

Figures have an opaque white background so that they stay readable in the
theme's dark mode (black text on a transparent figure would vanish there); the
book's CSS (``_ext/static/figures.css``) frames them and shows them at their
natural width, capped at the content column (688 px at a 1280 px window) and centred.

Legibility. Every text is at least ``FONT_PT`` points: at the book's 80 dpi that
is 11.7 px, and still 11 px when a figure up to 730 px wide (9.1 in at 80 dpi)
is shrunk to the column (``tests/test_figure_legibility.py`` checks every figure).
Figures are rendered at twice that resolution and shown at this size (``figures.show``,
``explorer``), so they stay sharp on 2x screens. A phone's column is 356 px: a figure up to
about 519 px wide keeps 8 px text there; a wider one (panels side by side) opens enlarged on
a tap (``_ext/static/zoom.js``; ``tests/test_figure_phone.py``).

Colours. The cycle is the Okabe-Ito palette, which stays distinct under the
common colour-vision deficiencies; the neutral inks and the colormaps are named
here too, so that figure modules take every colour from this module.
"""

from __future__ import annotations

import numpy as np

from .._checks import as_array

#: A colour-blind-safe palette (Okabe-Ito), used in this order.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
#: Neutral inks: text and markers, reference lines, faint curves, paper.
INK, MUTED, FAINT, PAPER = "black", "0.45", "0.6", "white"
#: Colormaps: a cost over a plane (sequential, single hue), a surface, signed values,
#: counts and shares, grey images. All read in order under colour-vision deficiencies.
COST_MAP, SURFACE_MAP, SIGNED_MAP, COUNT_MAP, SHARE_MAP, IMAGE_MAP = (
    "Blues_r", "viridis", "RdBu_r", "Blues", "Greens", "gray_r")

#: The smallest font of the book's figures, in points (see the module's docstring).
FONT_PT = 10.5

BOOK_RC = {
    "figure.facecolor": PAPER,
    "savefig.facecolor": PAPER,
    "axes.facecolor": PAPER,
    "axes.grid": True,
    "grid.alpha": 0.3,
    # Grid and ticks under every artist, patches and images included: a live redraw
    # that repaints a moving curve, bar or map then leaves the axis texts alone.
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": None,  # filled in by use_book_style
    "font.size": FONT_PT,
    "axes.titlesize": 11.0,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "legend.fontsize": FONT_PT,
    "legend.title_fontsize": FONT_PT,
    "figure.titlesize": 12.0,
    "legend.framealpha": 0.9,
    "legend.handlelength": 1.6,
    "legend.labelspacing": 0.3,
    "legend.columnspacing": 1.2,
    "legend.borderaxespad": 0.4,
    "lines.linewidth": 1.8,
    "figure.dpi": 80,
}


def use_book_style():
    """Apply the book's matplotlib style (white background, grid, palette). Idempotent."""
    import matplotlib as mpl
    from cycler import cycler

    rc = dict(BOOK_RC)
    rc["axes.prop_cycle"] = cycler(color=COLORS)
    mpl.rcParams.update(rc)


def _limits(lim, name):
    lim = as_array(lim, name, ndim=1, shape_hint="(lo, hi)")
    if lim.shape != (2,) or not lim[0] < lim[1]:
        raise ValueError(f"{name} must be a pair (lo, hi) with lo < hi; got {lim.tolist()}")
    return float(lim[0]), float(lim[1])


def grid_values(f, xlim, ylim, n=80):
    """Evaluate ``f(x, y)`` on an ``n x n`` grid. Returns ``(X, Y, Z)``, each ``(n, n)``.

    ``f`` must accept arrays (it is called once on the whole grid).
    """
    if not callable(f):
        raise TypeError(f"f must be a function f(x, y); got {type(f).__name__}")
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    x = np.linspace(*xlim, n)
    y = np.linspace(*ylim, n)
    X, Y = np.meshgrid(x, y)
    return X, Y, np.asarray(f(X, Y), dtype=float)


def contour_panel(ax, f, xlim, ylim, *, levels=20, n=80, xlabel="$w_1$", ylabel="$w_2$",
                  log=False, alpha=0.85):
    """Filled contours of ``f`` on ``ax`` with labelled axes. Returns the contour set.

    With ``log=True`` the levels are spaced logarithmically, which shows the
    shape of a steep valley better; a lower ``alpha`` makes a paler background
    for coloured points drawn over it.
    """
    X, Y, Z = grid_values(f, xlim, ylim, n)
    if log:
        lo = max(float(np.min(Z[Z > 0])) if np.any(Z > 0) else 1e-6, 1e-12)
        levels = np.geomspace(lo, float(np.max(Z)), levels)
    cs = ax.contourf(X, Y, Z, levels=levels, cmap=COST_MAP, alpha=alpha)
    ax.contour(X, Y, Z, levels=cs.levels, colors=PAPER, linewidths=0.4, alpha=0.6)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return cs


def cost_bands(ax, f, xlim, ylim, n_levels=15, *, log=False, n=300):
    """Bands of equal cost of ``f(x, y)`` on ``ax``, like filled contours, drawn as one image.

    An image is much cheaper to redraw than filled contours, which matters in
    the frames of an interactive figure. The bands are equally spaced in
    value, or in log-value with ``log=True`` (for a steep valley). The image
    sits below every other artist (``zorder=0``). Returns the image.
    """
    from matplotlib.colors import BoundaryNorm

    X, Y, Z = grid_values(f, xlim, ylim, n)                 # each (n, n)
    if log and not (Z > 0).all():
        raise ValueError("log=True needs a positive cost everywhere on the grid")
    levels = (np.geomspace if log else np.linspace)(Z.min(), Z.max(), n_levels)
    image = ax.imshow(Z, extent=(*_limits(xlim, "xlim"), *_limits(ylim, "ylim")), origin="lower",
                      aspect="auto", cmap=COST_MAP, norm=BoundaryNorm(levels, 256), alpha=0.85,
                      zorder=0)
    ax.set(xlim=xlim, ylim=ylim)
    return image


def clip_path(path, xlim, ylim, margin=10.0):
    """Clip a descent path of shape ``(k, 2)`` to a box around the plot, keeping it drawable.

    Diverging runs reach ``inf``; matplotlib cannot draw those, so points far
    outside the axes are pulled back to ``margin`` times the box size.
    """
    path = np.array(as_array(path, "path", ndim=2, shape_hint="(k, 2)", finite=False), dtype=float)
    if path.shape[1] != 2:
        raise ValueError(f"path must have shape (k, 2); got shape {path.shape}")
    for j, (lo, hi) in enumerate((_limits(xlim, "xlim"), _limits(ylim, "ylim"))):
        span = hi - lo
        path[:, j] = np.clip(np.nan_to_num(path[:, j], nan=hi + margin * span,
                                           posinf=hi + margin * span,
                                           neginf=lo - margin * span),
                             lo - margin * span, hi + margin * span)
    return path


def power_law_fit(ax, sizes, times, slope, color):
    """Draw, wide and pale on log-log axes, the line ``t = c n^slope`` through the measured
    ``(sizes, times)`` (``c`` fitted in logs, for a ``slope`` from ``timing.loglog_slope``).
    Returns the line."""
    sizes, times = np.asarray(sizes, dtype=float), np.asarray(times, dtype=float)
    intercept = np.mean(np.log(times) - slope * np.log(sizes))
    return ax.loglog(sizes, np.exp(intercept) * sizes**slope, "--", color=color, lw=3, alpha=0.4)[0]


# --------------------------------------------------------------------------
# Fast live redraws. The explorer repaints only the artists an update changed
# and those drawn above them, over a stored background, as long as the axes'
# limits stay put (see ``backprop.explorer``). These helpers name the habits
# that keep that repaint small.
# --------------------------------------------------------------------------

#: ``zorder`` for artists that move while everything else stays: above lines (2),
#: collections (1), patches and images, below legends (5). The overlay a redraw
#: repaints is then the moving artist (and a legend over it) alone.
ON_TOP = 4


def fixed_limits(ax, xlim=None, ylim=None):
    """Fix the limits of ``ax`` (and stop autoscaling): a redraw then moves only the data.

    Limits that change with a slider make the explorer redraw the whole axes,
    ticks and all. Returns ``ax``.
    """
    if xlim is not None:
        ax.set_xlim(*_limits(xlim, "xlim"))
    if ylim is not None:
        ax.set_ylim(*_limits(ylim, "ylim"))
    ax.set_autoscale_on(False)
    return ax


def decade_ticks(ax, which="both", numticks=6):
    """Log-scale ticks at decades only, without minor ticks: fewer tick labels to draw.

    ``which`` is ``"x"``, ``"y"`` or ``"both"``. Returns ``ax``.
    """
    from matplotlib.ticker import LogLocator, NullLocator

    if which not in ("x", "y", "both"):
        raise ValueError(f"which must be 'x', 'y' or 'both'; got {which!r}")
    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[which]
    for axis in axes:
        axis.set_major_locator(LogLocator(numticks=numticks))
        axis.set_minor_locator(NullLocator())
    return ax


def on_top(*artists, zorder=ON_TOP):
    """Draw moving artists above the static ones (``zorder``); returns the first artist.

    A redraw repaints a changed artist and everything above it; an artist on
    top is repainted alone.
    """
    if not artists:
        raise TypeError("on_top needs at least one artist")
    for artist in artists:
        artist.set_zorder(zorder)
    return artists[0]


def live_image(ax, data, **kwargs):
    """``ax.imshow(data, ...)`` for an image that an update changes, placed above the axis.

    The book's style draws grids and ticks below everything; an image at
    ``zorder=1`` sits above them, so a redraw repaints the image without the
    axis. (A static background image, like ``cost_bands``, stays at 0.)
    """
    kwargs.setdefault("zorder", 1)
    return ax.imshow(data, **kwargs)


def live_text(text_artist):
    """Mark a text that an update changes as plain text (no mathtext): cheaper to lay out.

    Works on any matplotlib ``Text`` (``ax.text``, ``ax.set_title``, a legend
    entry); write symbols as Unicode (η, σ′) in such text. Returns the artist.
    """
    text_artist.set_parse_math(False)
    return text_artist


def descent_path(ax, xlim, ylim, margin=10.0):
    """Empty artists for a gradient-descent path (orange dots and segments) and its start
    (a black square) on ``ax``. Returns ``set_path(path, start)``, which draws a path of shape
    ``(k, 2)`` clipped to the box (see ``clip_path``) and the start ``(x, y)``."""
    (line,) = ax.plot([], [], "o-", color=COLORS[1], ms=3, lw=1.2, label="gradient descent")
    (dot,) = ax.plot([], [], "s", color=INK, ms=6, label="start")

    def set_path(path, start):
        shown = clip_path(path, xlim, ylim, margin)
        line.set_data(shown[:, 0], shown[:, 1])
        dot.set_data([start[0]], [start[1]])

    return set_path


# --------------------------------------------------------------------------
# Legends off the data, and pale colours for backgrounds.
# --------------------------------------------------------------------------

def legend_below(fig, axes=None, ncol=None, **kwargs):
    """One legend for ``fig``, centred below its axes, outside them: it covers no data.

    It gathers the labelled artists of ``axes`` (default: every axes), each label
    once, in ``ncol`` columns (default: up to 4). The figure needs a constrained
    layout (``explore`` figures have one), which makes room for the legend.
    Returns the legend.
    """
    handles, labels = [], []
    for ax in fig.axes if axes is None else axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if not labels:
        raise ValueError("legend_below: no labelled artist in these axes")
    ncol = min(len(labels), 4) if ncol is None else ncol
    return fig.legend(handles, labels, loc="outside lower center", ncol=ncol, **kwargs)


def pale(color, amount=0.7):
    """``color`` mixed with white: ``amount`` 0 keeps it, 1 is white. Returns an RGB tuple."""
    from matplotlib.colors import to_rgb

    if not 0 <= amount <= 1:
        raise ValueError(f"amount must be in [0, 1]; got {amount!r}")
    return tuple(float(c + (1 - c) * amount) for c in to_rgb(color))


def pale_diverging(low=COLORS[0], high=COLORS[1], amount=0.6):
    """A colormap from a pale ``low`` through white to a pale ``high``: a background for
    points drawn in the full colours (which then stand out on either side)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(
        "book_pale_diverging", [pale(low, amount), PAPER, pale(high, amount)])
