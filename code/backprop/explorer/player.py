"""The static HTML player: every frame rendered at build time, swapped by a small script.

The book's HTML is built with ``BACKPROP_STATIC_HTML=1`` in the environment
(``STATIC_ENV``). Then an explorer's HTML embeds one frame per combination
of slider values (identical frames are stored once) and one
``<input type="range">`` per parameter; ``_PLAYER_JS`` shows the frame of
the current combination, so the sliders work with no kernel. With the
variable unset or ``"0"`` (a reader's kernel), the HTML is the figure at its
current values, with a caption. ``static_wanted`` is the one reading of it.

The functions here take what they draw (the sliders, their values, the PNG
frames) and never an ``Explorer``: the explorer renders, this module writes HTML.

When the book's build also sets ``FRAMES_ENV`` (a folder) and ``ROOT_ENV``
(the book's root), each frame is written there once, as ``<sha1>.png``, and
the page names it by a relative address instead of carrying it inline: the
page stays small, a first visit loads only the frames on show, frames shared
by several pages are cached once, and it all works from ``file://`` too. The
build copies the folder to ``_frames/`` beside the pages (``_ext/bookext.py``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import os

import numpy as np

#: Environment variable: ``"1"`` (the book's build) makes explorers embed every frame in
#: their HTML; unset or ``"0"``, a kernel's live sliders. Read by ``static_wanted`` only.
STATIC_ENV = "BACKPROP_STATIC_HTML"
#: Folder where the book's build collects frame files (unset: frames are inline).
FRAMES_ENV = "BACKPROP_FRAMES_DIR"
#: The book's root folder; the frames are published at ``<root>/_frames/``.
ROOT_ENV = "BACKPROP_BOOK_ROOT"
#: The folder, under the site's root, that the frame files are published in.
FRAMES_URL_DIR = "_frames"


def static_wanted() -> bool:
    """Whether the book's build asks for the static player: ``STATIC_ENV`` is ``"1"``.

    The one reading of the variable (``figures.show`` asks here too). Unset,
    empty or ``"0"``: a reader's kernel, with live sliders. Any other value is
    an error, so that a typo cannot silently build a book without its players.
    """
    value = os.environ.get(STATIC_ENV, "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(f'{STATIC_ENV}={value!r}: set it to "1" for the static player '
                         'of the book\'s build, or to "0" (or leave it unset) for live sliders')
    return value == "1"


def frames(params, render, max_frames: int):
    """Render every combination of the sliders' values. Returns ``(unique_pngs, order)``.

    ``render(values)`` draws the figure at ``values`` (a dict by parameter name)
    and returns its PNG bytes. ``order[k]`` is the index in ``unique_pngs`` of
    the ``k``-th combination in row-major order (the last parameter varies
    fastest). Raises ``ValueError`` beyond ``max_frames`` combinations.
    """
    n = int(np.prod([len(p.values) for p in params]))
    if n > max_frames:
        sizes = " x ".join(str(len(p.values)) for p in params)
        raise ValueError(
            f"{n} frames ({sizes}) exceed max_frames={max_frames}; use coarser "
            "steps or fewer choices so that the static page stays small"
        )
    names = [p.name for p in params]
    unique, order, seen = [], [], {}
    for combo in itertools.product(*[p.values for p in params]):
        data = render(dict(zip(names, combo)))
        key = hashlib.sha1(data).hexdigest()
        if key not in seen:
            seen[key] = len(unique)
            unique.append(data)
        order.append(seen[key])
    return unique, order


def alt_text(title, params) -> str:
    """The image's alternative text: the title, or the list of parameters."""
    return title or "Interactive figure: " + ", ".join(p.label for p in params)


def shown_at(params, values: dict) -> str:
    """The line that says which values a still or printed figure shows: "Shown at η = 0.15."
    (``tools/pdf.py`` makes the same words from the player's labels and readouts.)"""
    return "Shown at " + ", ".join(f"{p.label} = {p.format(values[p.name])}" for p in params) + "."


def _size_attrs(css_size) -> str:
    """``width`` and ``height`` attributes of a frame: its size in CSS pixels, or nothing."""
    if css_size is None:
        return ""
    width, height = css_size
    return f'width="{int(width)}" height="{int(height)}" '


def still_html(params, values: dict, png: bytes, alt: str,
               note: str = "Run the notebook to move the sliders.", css_size=None) -> str:
    """The figure ``png`` at ``values``, captioned with those values and ``note``; shown at
    ``css_size`` (``(width, height)``: a 2x frame at the figure's 1x size)."""
    img = base64.b64encode(png).decode()
    return (f'<div class="bp-explorer"><img alt="{html.escape(alt)}" {_size_attrs(css_size)}'
            f'style="max-width:100%;height:auto" src="data:image/png;base64,{img}">'
            f'<div style="font-size:0.85em">{html.escape(shown_at(params, values))} '
            f'{html.escape(note)}</div></div>')


def frame_sources(pngs: list) -> list:
    """The ``src`` of each frame: a ``data:`` address, or a file's address (see ``FRAMES_ENV``).

    A file's address is relative to the page, which is built from a notebook that
    runs in its own folder: ``<root>/chapters/x.ipynb`` gives ``../_frames/<sha1>.png``.
    """
    folder = os.environ.get(FRAMES_ENV, "")
    if not folder:
        return ["data:image/png;base64," + base64.b64encode(f).decode() for f in pngs]
    root = os.environ.get(ROOT_ENV) or os.getcwd()
    prefix = os.path.relpath(os.path.join(root, FRAMES_URL_DIR), os.getcwd()).replace(os.sep, "/")
    os.makedirs(folder, exist_ok=True)
    sources = []
    for data in pngs:
        name = hashlib.sha1(data).hexdigest() + ".png"
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)  # atomic: two kernels writing one frame never tear it
        sources.append(f"{prefix}/{name}")
    return sources


def player_html(params, values: dict, unique: list, order: list, alt: str, number: int,
                css_size=None) -> str:
    """The player: every frame, one range input per parameter, and the script.

    ``unique`` and ``order`` are what ``frames`` returns; ``values`` are the
    values shown first. ``number`` (how many explorers the process has made)
    and a digest of the frames make the element's id, unique on a page.
    ``css_size`` is the frames' displayed size, as in ``still_html``.
    """
    payload = {
        "frames": frame_sources(unique),
        "order": order,
        "sizes": [len(p.values) for p in params],
    }
    digest = hashlib.sha1(json.dumps(payload).encode()).hexdigest()[:12]
    uid = f"bp-{number}-{digest}"
    current = [p.index(values[p.name]) for p in params]
    start = payload["frames"][order[_flat_index(current, payload['sizes'])]]
    rows = []
    for k, p in enumerate(params):
        labels = json.dumps([p.format(v) for v in p.values])
        shown = p.format(values[p.name])
        rows.append(
            f'<label style="display:inline-flex;align-items:center;gap:0.5em;margin-right:1.5em">'
            f'<span>{html.escape(p.label)}</span>'
            f'<input type="range" min="0" max="{len(p.values) - 1}" step="1" '
            f'value="{current[k]}" data-k="{k}" data-labels=\'{html.escape(labels)}\' '
            f'aria-label="{html.escape(p.label)}" aria-valuetext="{shown}">'
            f'<output>{html.escape(shown)}</output></label>'
        )
    data = json.dumps(payload).replace("</", "<\\/")
    return (
        f'<div class="bp-explorer" id="{uid}">'
        f'<div class="bp-controls" style="margin-bottom:0.3em">{"".join(rows)}</div>'
        f'<img class="bp-frame" alt="{html.escape(alt)}" {_size_attrs(css_size)}'
        f'style="max-width:100%;height:auto" '
        f'src="{start}">'
        f'<script type="application/json" class="bp-data">{data}</script>'
        f"<script>{_PLAYER_JS.replace('UID', uid)}</script></div>"
    )


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
var warm=false;function preload(){if(warm)return;warm=true;
for(var f=0;f<data.frames.length;f++){if(data.frames[f].slice(0,5)!=="data:"){(new Image()).src=data.frames[f];}}}
for(var k=0;k<inputs.length;k++){inputs[k].addEventListener("input",show);
inputs[k].addEventListener("pointerdown",preload);inputs[k].addEventListener("focus",preload);}})();"""
