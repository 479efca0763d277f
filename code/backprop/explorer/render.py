"""Rendering an explorer's figure to PNG, and partial redraws for the live view.

``_png`` renders a figure; for the frames of the static page it renders them at
``PIXEL_RATIO`` times the figure's dpi (crisp on a 2x screen, shown at the 1x
size) and reduces them to a 256-colour palette (``palette_png``, which the static
figures of ``figures.show`` use too). A live redraw goes through ``_blit``, which draws
only the artists ``update`` changed (and those above them) over a stored
background, with the pixels of a full draw. It is fastest when the axis
limits stay fixed, when changing images sit above the axis (``zorder=1``)
and when text that changes uses no mathtext.
"""

from __future__ import annotations

import io

import numpy as np

#: Image pixels per CSS pixel of the static frames and figures: a frame of a figure
#: ``w`` inches wide at ``dpi`` is rendered ``PIXEL_RATIO * w * dpi`` pixels wide and shown
#: ``w * dpi`` CSS pixels wide, so that it stays sharp on a 2x screen.
PIXEL_RATIO = 2


def palette_png(rgb) -> bytes:
    """PNG bytes of an ``(h, w, 3)`` uint8 image reduced to a 256-colour palette.

    About 3 to 4 times smaller than the full-colour PNG; the octree method without
    dithering keeps the book's line colours and flat fills exact.
    """
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(rgb[..., :3]))
    buf = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        buf, format="png", compress_level=9)
    return buf.getvalue()


def _png(fig, dpi: int, compact: bool, cache: dict | None = None) -> bytes:
    """Render ``fig`` to PNG bytes, on an opaque white background.

    ``compact`` reduces the image to a 256-color palette (``palette_png``, for the
    frames of the static page, which the caller renders at ``PIXEL_RATIO`` times
    the figure's dpi); otherwise the image is encoded as fast as possible (for
    live redraws).

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
    if compact:
        return palette_png(rgba)
    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def print_pdf(fig, line: str) -> bytes:
    """``fig`` as a vector PDF with the text ``line`` centred under everything it draws."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ink = fig.get_tightbbox(renderer)                                      # inches
    # A figure legend follows the edge of the saved area; pinned where it is drawn,
    # it stays above the added line.
    pinned = [(legend, legend.get_bbox_to_anchor(), legend._loc) for legend in fig.legends]
    for legend, _, _ in pinned:
        box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        legend.set_bbox_to_anchor(box, transform=fig.transFigure)
        legend.set_loc("center")
    text = fig.text(0.5, (ink.y0 - 0.08) / fig.get_figheight(), line, ha="center", va="top")
    text.set_parse_math(False)
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="pdf", bbox_inches="tight", pad_inches=0.05)
    finally:
        text.remove()
        for legend, anchor, loc in pinned:
            legend.set_bbox_to_anchor(anchor)
            legend._loc = loc
        fig.stale = True
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
