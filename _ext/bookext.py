"""Local Sphinx extension: make the built book self-contained and quiet.

1. Sets ``BACKPROP_STATIC_HTML=1`` before notebooks execute, so that every
   ``backprop.explorer.explore`` figure embeds its frames and its sliders work
   in the static HTML (the kernels inherit the build's environment).
2. Serves MathJax 3 from the built site instead of a CDN. The files come from
   the PyPI package ``sphinx-mathjax-offline`` (MathJax 3.2.2, installed by
   ``requirements.txt``) and are copied into ``_static/mathjax`` at build time;
   nothing is committed.
3. Drops sphinx-thebe's scripts, which Jupyter Book always loads: the book
   does not use thebe, and the scripts are included twice, which logs
   "Identifier 'THEBE_JS_URL' has already been declared" on every page.
4. Removes pydata-sphinx-theme's second page header (``templates/layout.html``
   says why): with it, the chapter-list button did nothing on a phone.
5. Collects the sliders' frames as files (``backprop.explorer.player``): the
   notebooks write them to a staging folder beside the output, and they are
   copied to ``_frames/`` in the site, so no page carries its frames inline.
6. Rewrites the root ``index.html`` redirect (written by sphinx-external-toc
   as a bare meta refresh) so that it names the favicon and has a link to
   follow: a bare page makes the browser ask for ``/favicon.ico``, a 404.
"""

from __future__ import annotations

import os
import shutil
from importlib import metadata
from pathlib import Path

MATHJAX_DIST = "sphinx-mathjax-offline"
MATHJAX_URL = "mathjax/tex-chtml.js"


def _mathjax_source() -> Path:
    """Folder of the MathJax 3 files installed by the ``sphinx-mathjax-offline`` distribution."""
    try:
        files = metadata.files(MATHJAX_DIST) or []
    except metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            f"{MATHJAX_DIST} is not installed; run `make book` (it installs requirements.txt)"
        ) from exc
    for f in files:
        if str(f).endswith("static/mathjax/tex-chtml.js"):
            return Path(f.locate()).parent
    raise RuntimeError(f"{MATHJAX_DIST} does not contain static/mathjax/tex-chtml.js")


TEMPLATES = Path(__file__).parent / "templates"


def _frames_staging(app) -> Path:
    """Where the notebooks' kernels write the frame files of this build."""
    out = Path(app.outdir)
    return out.parent / f".frames-{out.name}"


def _config_inited(app, config):
    os.environ["BACKPROP_STATIC_HTML"] = "1"
    staging = _frames_staging(app)
    if staging.exists():
        shutil.rmtree(staging)  # every notebook runs again: its frames are written anew
    os.environ["BACKPROP_FRAMES_DIR"] = str(staging)
    os.environ["BACKPROP_BOOK_ROOT"] = str(app.srcdir)
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    config.mathjax_path = MATHJAX_URL
    _mathjax_source()  # fail early, before any notebook runs


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        filename = str(getattr(script, "filename", script) or "")
        body = str(getattr(script, "attributes", {}).get("body", ""))
        if "sphinx-thebe" in filename or "THEBE_JS_URL" in body or "thebe" in filename:
            continue
        kept.append(script)
    context["script_files"] = kept


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / "mathjax"
    if dest.exists():
        shutil.rmtree(dest)
    src = _mathjax_source()
    # Only what tex-chtml needs: the combined component, its CommonHTML fonts,
    # the TeX extensions it may autoload, and the menu's lazy parts.
    keep = ("tex-chtml.js", "output/chtml", "input/tex/extensions", "ui", "a11y", "sre")
    for item in keep:
        path = src / item
        if path.is_dir():
            shutil.copytree(path, dest / item)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / item)


def _publish_frames(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    staging, dest = _frames_staging(app), Path(app.outdir) / "_frames"
    if dest.exists():
        shutil.rmtree(dest)
    if staging.exists():
        shutil.copytree(staging, dest)
    # A page built from chapters/x.ipynb names its frames "../_frames/..."; a page that
    # lies at the site's root (the single-page build) needs "_frames/...".
    for page in Path(app.outdir).glob("*.html"):
        text = page.read_text()
        if '"../_frames/' in text:
            page.write_text(text.replace('"../_frames/', '"_frames/'))


def _rewrite_index(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    index = Path(app.outdir) / "index.html"
    if not index.exists() or "<body" in index.read_text():
        return
    target = f"{app.config.root_doc}.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        f"<title>{app.config.html_title}</title>\n"
        f"<meta http-equiv=\"Refresh\" content=\"0; url={target}\">\n"
        "<link rel=\"icon\" href=\"_static/favicon.svg\">\n"
        f"</head><body><p><a href=\"{target}\">{app.config.html_title}</a></p></body></html>\n"
    )


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("build-finished", _copy_mathjax)
    app.connect("build-finished", _publish_frames)
    app.connect("build-finished", _rewrite_index, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
