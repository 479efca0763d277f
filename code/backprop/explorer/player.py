"""The static HTML player: every frame rendered at build time, swapped by a small script.

The book's HTML is built with ``BACKPROP_STATIC_HTML=1`` in the environment
(``STATIC_ENV``). Then an explorer's HTML embeds one frame per combination
of slider values (identical frames are stored once) and one
``<input type="range">`` per parameter; ``_PLAYER_JS`` shows the frame of
the current combination, so the sliders work with no kernel. Without the
variable, the HTML is the figure at its current values, with a caption.

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

#: Environment variable that makes explorers embed every frame in their HTML.
STATIC_ENV = "BACKPROP_STATIC_HTML"
#: Folder where the book's build collects frame files (unset: frames are inline).
FRAMES_ENV = "BACKPROP_FRAMES_DIR"
#: The book's root folder; the frames are published at ``<root>/_frames/``.
ROOT_ENV = "BACKPROP_BOOK_ROOT"
#: The folder, under the site's root, that the frame files are published in.
FRAMES_URL_DIR = "_frames"


def static_wanted() -> bool:
    """Whether ``STATIC_ENV`` asks for every frame (set, and not ``"0"``)."""
    return os.environ.get(STATIC_ENV, "") not in ("", "0")


def frames(ex):
    """Render every combination of ``ex``'s slider values. Returns ``(unique_pngs, order)``.

    ``order[k]`` is the index in ``unique_pngs`` of the ``k``-th combination in
    row-major order (the last parameter varies fastest). The figure is left
    at its current values.
    """
    n = int(np.prod([len(p.values) for p in ex.params]))
    if n > ex.max_frames:
        sizes = " x ".join(str(len(p.values)) for p in ex.params)
        raise ValueError(
            f"{n} frames ({sizes}) exceed max_frames={ex.max_frames}; use coarser "
            "steps or fewer choices so that the static page stays small"
        )
    current = dict(ex.values)
    unique, order, seen = [], [], {}
    for combo in itertools.product(*[p.values for p in ex.params]):
        ex.set(**dict(zip(ex.values, combo)))
        data = ex.png(compact=True)
        key = hashlib.sha1(data).hexdigest()
        if key not in seen:
            seen[key] = len(unique)
            unique.append(data)
        order.append(seen[key])
    ex.set(**current)
    return unique, order


def alt_text(ex) -> str:
    """The image's alternative text: the title, or the list of parameters."""
    return ex.title or "Interactive figure: " + ", ".join(p.label for p in ex.params)


def still_html(ex, note: str = "Run the notebook to move the sliders.") -> str:
    """The figure at its current values, captioned with those values and ``note``."""
    img = base64.b64encode(ex.png(compact=True)).decode()
    caption = ", ".join(f"{p.label} = {p.format(ex.values[p.name])}" for p in ex.params)
    return (f'<div class="bp-explorer"><img alt="{html.escape(alt_text(ex))}" '
            f'style="max-width:100%;height:auto" src="data:image/png;base64,{img}">'
            f'<div style="font-size:0.85em">Shown at {html.escape(caption)}. '
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


def player_html(ex, number: int) -> str:
    """The player: every frame, one range input per parameter, and the script.

    ``number`` (how many explorers the process has made) and a digest of the
    frames make the element's id, unique on a page.
    """
    unique, order = frames(ex)
    payload = {
        "frames": frame_sources(unique),
        "order": order,
        "sizes": [len(p.values) for p in ex.params],
    }
    digest = hashlib.sha1(json.dumps(payload).encode()).hexdigest()[:12]
    uid = f"bp-{number}-{digest}"
    current = [p.index(ex.values[p.name]) for p in ex.params]
    start = payload["frames"][order[_flat_index(current, payload['sizes'])]]
    rows = []
    for k, p in enumerate(ex.params):
        labels = json.dumps([p.format(v) for v in p.values])
        rows.append(
            f'<label style="display:inline-flex;align-items:center;gap:0.5em;margin-right:1.5em">'
            f'<span>{html.escape(p.label)}</span>'
            f'<input type="range" min="0" max="{len(p.values) - 1}" step="1" '
            f'value="{current[k]}" data-k="{k}" data-labels=\'{html.escape(labels)}\' '
            f'aria-label="{html.escape(p.label)}" aria-valuetext="{p.format(ex.values[p.name])}">'
            f'<output>{html.escape(p.format(ex.values[p.name]))}</output></label>'
        )
    data = json.dumps(payload).replace("</", "<\\/")
    return (
        f'<div class="bp-explorer" id="{uid}">'
        f'<div class="bp-controls" style="margin-bottom:0.3em">{"".join(rows)}</div>'
        f'<img class="bp-frame" alt="{html.escape(alt_text(ex))}" style="max-width:100%;height:auto" '
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
