"""``figure_data``: what a figure draws, so that a test can tell whether a slider changed it."""

import numpy as np


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
