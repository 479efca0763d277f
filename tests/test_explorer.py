"""backprop.explorer.explore: one call, a live widget and a static player over the same grid."""

import hashlib
import json
import re

import numpy as np
import pytest
from figharness import figure_data

from backprop import explorer
from backprop.explorer import live, player
from tools import replay


def line_setup(fig, eta, k):
    ax = fig.add_subplot()
    t = np.linspace(0, 1, 20)
    (line,) = ax.plot(t, eta * t ** k, label="curve")
    ax.set(xlabel="t", ylabel="y", ylim=(0, 1))
    ax.legend()

    def update(eta, k):
        line.set_ydata(eta * t ** k)

    return update


def make():
    return explorer.explore(line_setup, eta=(0.1, 0.5, 0.1, 0.3), k=[1, 2, 3],
                           labels={"eta": "η"}, title="test figure")


def test_param_grids():
    p = explorer.make_param("eta", (0.001, 0.01, 0.001))
    assert len(p.values) == 10 and p.values[0] == 0.001 and p.values[-1] == 0.01
    assert p.format(p.values[2]) == "0.003" and p.index(0.003) == 2
    assert p.default == 5
    assert explorer.make_param("s", [25, 50, 100]).values == [25, 50, 100]
    with pytest.raises(ValueError, match="not on the slider's grid"):
        p.index(0.0035)
    with pytest.raises(ValueError, match="whole number"):
        explorer.make_param("x", (0.0, 1.0, 0.3))
    with pytest.raises(ValueError, match="min < max"):
        explorer.make_param("x", (1.0, 0.0, 0.1))
    with pytest.raises(TypeError, match="range"):
        explorer.make_param("x", 3.0)
    with pytest.raises(ValueError, match="empty"):
        explorer.make_param("x", [])


def test_set_changes_the_drawn_data():
    ex = make()
    before = figure_data(ex.fig)
    ex.set(eta=0.5)
    after = figure_data(ex.fig)
    assert before != after
    ex.set(eta=0.3)
    assert figure_data(ex.fig) == before
    with pytest.raises(ValueError, match="unknown parameter"):
        ex.set(gamma=1)
    with pytest.raises(ValueError, match="not one of"):
        ex.set(k=4)


def test_live_slider_redraws_the_image():
    ex = make()
    assert ex.sliders == {}                       # nothing built until asked for
    view = ex.view
    assert view is ex.view and ex.widget is view.widget and ex.sliders is view.sliders  # built once
    png0 = view.image.value
    data0 = figure_data(ex.fig)
    view.sliders["eta"].value = 0.1
    assert ex.values["eta"] == 0.1
    assert figure_data(ex.fig) != data0
    assert view.image.value != png0
    view.sliders["k"].value = 3
    assert ex.values["k"] == 3


def test_live_and_player_need_no_explorer():
    """The view and the player are functions of the sliders, their values and images."""
    params = [explorer.make_param("eta", (0.1, 0.3, 0.1)), explorer.make_param("k", [1, 2])]
    moves = []
    view = live.build(params, {"eta": 0.2, "k": 1}, b"png0", lambda name, value: moves.append(
        (name, value)) or f"{name}={value}".encode())
    view.sliders["k"].value = 2
    assert moves == [("k", 2)] and view.image.value == b"k=2"
    assert view.sliders["eta"].value == 0.2
    unique, order = player.frames(params, lambda values: b"%d" % values["k"], max_frames=6)
    assert unique == [b"1", b"2"] and order == [0, 1, 0, 1, 0, 1]
    html = player.player_html(params, {"eta": 0.3, "k": 2}, [b"a", b"b"], order, "alt", 7)
    assert 'id="bp-7-' in html and 'value="2" data-k="0"' in html and 'value="1" data-k="1"' in html
    assert "Shown at eta = 0.1, k = 1" in player.still_html(params, {"eta": 0.1, "k": 1}, b"x", "alt")


def test_static_player_has_one_frame_per_combination():
    ex = make()
    html = ex.static_html(all_frames=True)
    data = json.loads(re.search(r'<script type="application/json" class="bp-data">(.*?)</script>',
                                html).group(1))
    assert data["sizes"] == [5, 3]
    assert len(data["order"]) == 15
    assert len(set(data["order"])) == len(data["frames"]) == 15   # all frames differ here
    assert html.count('type="range"') == 2
    assert 'max="4"' in html and 'max="2"' in html
    assert "<output>0.3</output>" in html and "<output>1</output>" in html
    assert ex.values == {"eta": 0.3, "k": 1}       # left at the defaults


def test_static_player_deduplicates_identical_frames():
    def setup(fig, a, unused):
        ax = fig.add_subplot()
        (line,) = ax.plot([0, 1], [0, a])
        ax.set(xlabel="x", ylabel="y", ylim=(0, 2))
        return lambda a, unused: line.set_ydata([0, a])

    ex = explorer.explore(setup, a=[0.5, 1.0], unused=[1, 2, 3])
    frames, order = ex.frames()
    assert len(order) == 6 and len(frames) == 2


def test_frames_as_files_keep_the_page_small(monkeypatch, tmp_path):
    """With the build's frame folder set, frames are files named by their content, and the
    page names them relative to itself; without it, they are inline."""
    from backprop.explorer import player

    root, chapters = tmp_path / "book", tmp_path / "book" / "chapters"
    chapters.mkdir(parents=True)
    monkeypatch.chdir(chapters)                       # a notebook runs in its own folder
    monkeypatch.setenv(player.FRAMES_ENV, str(tmp_path / "staging"))
    monkeypatch.setenv(player.ROOT_ENV, str(root))
    inline_size = len(explorer.explore(line_setup, eta=(0.1, 0.5, 0.1, 0.3), k=[1, 2, 3])
                      .static_html(all_frames=False))
    html = make().static_html(all_frames=True)
    data = json.loads(re.search(r'class="bp-data">(.*?)</script>', html).group(1))
    assert "data:image" not in html and len(html) < inline_size
    names = sorted((tmp_path / "staging").iterdir())
    assert len(names) == len(data["frames"]) == 15
    assert all(src.startswith("../_frames/") and src.endswith(".png") for src in data["frames"])
    for src in data["frames"]:
        blob = (tmp_path / "staging" / src.rsplit("/", 1)[1]).read_bytes()
        assert blob.startswith(b"\x89PNG") and hashlib.sha1(blob).hexdigest() in src
    make().static_html(all_frames=True)               # the same frames again: no new files
    assert sorted((tmp_path / "staging").iterdir()) == names
    monkeypatch.delenv(player.FRAMES_ENV)
    assert make().static_html(all_frames=True).count("data:image/png;base64") == 15 + 1


def test_without_the_environment_variable_only_one_frame(monkeypatch):
    for live_value in (None, "0", ""):                 # unset, "0" or empty: a reader's kernel
        if live_value is None:
            monkeypatch.delenv(explorer.STATIC_ENV, raising=False)
        else:
            monkeypatch.setenv(explorer.STATIC_ENV, live_value)
        assert not explorer.static_wanted()
        html = make().static_html()
        assert html.count("data:image/png;base64") == 1 and "Run the notebook" in html
    monkeypatch.setenv(explorer.STATIC_ENV, "1")                         # the book's build
    assert explorer.static_wanted()
    assert make().static_html().count('type="range"') == 2
    monkeypatch.setenv(explorer.STATIC_ENV, "yes")
    with pytest.raises(ValueError, match="BACKPROP_STATIC_HTML='yes'"):
        explorer.static_wanted()


@pytest.fixture
def kernel(monkeypatch):
    """As in Jupyter or Colab: a kernel with a front end, and live sliders."""
    monkeypatch.setattr(live, "front_end", lambda: True)
    monkeypatch.delenv(explorer.STATIC_ENV, raising=False)


def test_mimebundle_offers_widget_and_html(kernel):
    ex = make()
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and ex.sliders
    assert bundle["text/html"].startswith('<div class="bp-explorer"')
    assert "Explorer" in bundle["text/plain"]


def test_no_widget_is_made_for_the_book_or_without_a_kernel(monkeypatch):
    monkeypatch.setattr(live, "build", lambda *args: pytest.fail("a widget was made"))
    monkeypatch.setenv(explorer.STATIC_ENV, "1")                         # the book's build
    monkeypatch.setattr(live, "front_end", lambda: True)                 # even in a kernel
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/pdf"}   # PDF: the LaTeX build
    assert bundle["text/html"].count('type="range"') == 2
    monkeypatch.delenv(explorer.STATIC_ENV)
    monkeypatch.setattr(live, "front_end", lambda: False)                # plain Python
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"} and "Run the notebook" in bundle["text/html"]


def _png_size(blob):
    import struct

    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


def test_frames_are_2x_images_shown_at_the_figure_size():
    """A frame has PIXEL_RATIO image pixels per CSS pixel; the <img> says its 1x size."""
    from backprop.explorer.render import PIXEL_RATIO

    ex = make()
    width, height = ex.css_size
    assert (width, height) == (round(8.0 * 80), round(3.4 * 80))          # figsize x dpi
    frames, _ = ex.frames()
    assert {_png_size(f) for f in frames} == {(PIXEL_RATIO * width, PIXEL_RATIO * height)}
    html = ex.static_html(all_frames=True)
    assert f'class="bp-frame" alt="test figure" width="{width}" height="{height}"' in html
    still = ex.static_html(all_frames=False)
    assert f'width="{width}" height="{height}"' in still
    assert _png_size(ex.png()) == (width, height)                          # the live view: 1x


def test_a_2x_frame_between_live_redraws_leaves_them_exact():
    """A still frame (2x) rendered between two live redraws (1x, partial) changes nothing."""
    ex = make()
    ex.png()
    ex.set(eta=0.2)
    ex.png()                                        # a stored background at 1x
    ex.png(compact=True)                            # a frame at 2x
    live = ex.set(eta=0.4).png()
    fresh = make().set(eta=0.4).png()
    import io

    from PIL import Image

    assert (np.asarray(Image.open(io.BytesIO(live))) == np.asarray(Image.open(io.BytesIO(fresh)))).all()


def test_the_print_figure_is_a_vector_pdf_saying_the_values_shown(monkeypatch):
    """Under the book's build the bundle also carries the current frame as a PDF (the LaTeX
    build's choice) with one line under it: the player's own "Shown at ..." wording."""
    import base64

    from matplotlib.figure import Figure

    saved = []
    savefig = Figure.savefig

    def spy(fig, *args, **kwargs):                   # the texts the PDF is drawn with
        saved.append([t.get_text() for t in fig.texts])
        return savefig(fig, *args, **kwargs)

    monkeypatch.setenv(explorer.STATIC_ENV, "1")
    ex = make()
    ex.set(eta=0.5, k=2)
    before = ex.png(compact=True)
    line = player.shown_at(ex.params, ex.values)
    assert line == "Shown at η = 0.5, k = 2."
    monkeypatch.setattr(Figure, "savefig", spy)
    pdf = base64.b64decode(ex._repr_mimebundle_()["application/pdf"])
    monkeypatch.setattr(Figure, "savefig", savefig)
    assert pdf.startswith(b"%PDF") and saved == [[line]]
    assert b"/Subtype /Image" not in pdf, "the print figure is vector, with no raster image"
    assert ex.fig.texts == []
    assert ex.png(compact=True) == before           # the figure is left as it was
    assert line in ex.static_html(all_frames=False)  # the still figure's caption says the same


def test_plain_python_has_no_front_end():
    assert live.front_end() is False                  # pytest runs no kernel


def test_too_many_frames_is_a_clear_error():
    ex = explorer.explore(line_setup, eta=(0.01, 1.0, 0.01), k=[1, 2], max_frames=60)
    with pytest.raises(ValueError, match="200 frames .100 x 2. exceed max_frames=60"):
        ex.frames()


def test_bad_setup_and_parameters():
    with pytest.raises(TypeError, match="setup must be a function"):
        explorer.explore("not a function", a=[1, 2])
    with pytest.raises(ValueError, match="at least one parameter"):
        explorer.explore(line_setup)
    with pytest.raises(ValueError, match="unknown parameter"):
        explorer.explore(line_setup, eta=(0.1, 0.5, 0.1), k=[1], labels={"x": "x"})
    with pytest.raises(TypeError, match="must return update"):
        explorer.explore(lambda fig, a: 3, a=[1, 2])


def test_setup_without_update_redraws_from_scratch():
    def setup(fig, a):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, a])
        ax.set(xlabel="x", ylabel="y")

    ex = explorer.explore(setup, a=[1.0, 2.0])
    before = figure_data(ex.fig)
    ex.set(a=2.0)
    assert figure_data(ex.fig) != before
    assert len(ex.fig.axes) == 1


def test_defaults_for_lists_of_choices():
    ex = explorer.explore(line_setup, eta=(0.1, 0.5, 0.1), k=[1, 2, 3], defaults={"k": 2, "eta": 0.1})
    assert ex.values == {"eta": 0.1, "k": 2}
    with pytest.raises(ValueError, match="defaults given for unknown"):
        explorer.explore(line_setup, eta=(0.1, 0.5, 0.1), k=[1, 2], defaults={"q": 1})
    with pytest.raises(ValueError, match="not one of"):
        explorer.explore(line_setup, eta=(0.1, 0.5, 0.1), k=[1, 2], defaults={"k": 5})


def test_figure_data_handles_contours_and_texts():
    from backprop.figures import style

    def setup(fig, level):
        ax = fig.add_subplot()
        style.contour_panel(ax, lambda x, y: x**2 + y**2, (-1, 1), (-1, 1), n=20)
        (point,) = ax.plot([level], [0.0], "o", label="point")
        title = ax.set_title(f"level {level}")
        ax.legend()

        def update(level):
            point.set_data([level], [0.0])
            title.set_text(f"level {level}")

        return update

    ex = explorer.explore(setup, level=[0.1, 0.5])
    before = figure_data(ex.fig)
    assert ("text", "level 0.1") in before
    ex.set(level=0.5)
    assert figure_data(ex.fig) != before


# --------------------------------------------------------------------------
# The display: the widget view on ipywidgets 8 and 7, and a visible reason when it fails
# --------------------------------------------------------------------------

def test_widget_view_on_ipywidgets_7_is_built_from_the_model_id(monkeypatch, kernel):
    import ipywidgets

    ex = make()
    if hasattr(ipywidgets.Widget, "_repr_mimebundle_"):             # ipywidgets 8: what it offers
        expected = ex.widget._repr_mimebundle_()[live.WIDGET_VIEW]
        monkeypatch.delattr(ipywidgets.Widget, "_repr_mimebundle_")  # as on ipywidgets 7
    else:                                                           # ipywidgets 7 itself (Colab's)
        expected = {"version_major": 2, "version_minor": 0, "model_id": ex.widget.model_id}
    assert not hasattr(ex.widget, "_repr_mimebundle_")
    view = live.widget_view(ex.widget)
    assert view == {"version_major": 2, "version_minor": 0, "model_id": ex.widget.model_id} == expected
    assert make()._repr_mimebundle_()[live.WIDGET_VIEW]["model_id"]


def test_a_widget_that_cannot_be_made_is_one_visible_line(monkeypatch, kernel):
    def fail(*args):
        raise ImportError("No module named 'ipywidgets'")

    monkeypatch.setattr(live, "build", fail)
    bundle = make()._repr_mimebundle_()
    assert live.WIDGET_VIEW not in bundle
    line = "The live sliders could not be made (ImportError: No module named 'ipywidgets')"
    assert bundle["text/plain"].startswith(line) and "Explorer" in bundle["text/plain"]
    html = bundle["text/html"]
    assert html.startswith('<div class="bp-explorer-error"') and line.replace("'", "&#x27;") in html
    assert html.count("data:image/png;base64") == 1 and "Run the notebook" not in html
    monkeypatch.setenv(explorer.STATIC_ENV, "1")                    # the book's build: the player, no widget
    bundle = make()._repr_mimebundle_()
    assert bundle["text/html"].count('type="range"') == 2 and live.WIDGET_VIEW not in bundle


def test_a_widget_without_a_view_is_reported(monkeypatch, kernel):
    import ipywidgets

    monkeypatch.setattr(ipywidgets.Widget, "_repr_mimebundle_", lambda self, **kw: None, raising=False)
    bundle = make()._repr_mimebundle_()
    assert live.WIDGET_VIEW not in bundle
    assert "ipywidgets offered no widget view for VBox" in bundle["text/plain"]


# --------------------------------------------------------------------------
# replay: a notebook's explore(figures.M.F, **literals) calls, made again in-process
# --------------------------------------------------------------------------

def write_notebook(path, *sources):
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for s in sources]
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# t"}]
                                + cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_figure_calls_reads_literal_calls_and_flags_the_others(tmp_path):
    nb = write_notebook(
        tmp_path / "t.ipynb",
        "%matplotlib inline\nfrom backprop import figures\nfrom backprop.explorer import explore",
        "explore(figures.demo.curve, eta=(0.1, 0.5, 0.1, 0.3), k=[1, 2, 3],\n"
        "        labels={'eta': 'η'})",
        ["x = 1\n", "explore(backprop.figures.demo.curve, eta=[0.2, 0.4], k=[1])"],
        "explore(setup, eta=[0.1, 0.2])",                          # an inline setup
        "explore(figures.demo.curve, eta=[x, 2 * x], k=[1])",       # not literal
    )
    calls = replay.figure_calls(nb)
    assert [(c.cell, c.line, c.module, c.name) for c in calls] == [(2, 1, "demo", "curve"),
                                                                   (3, 2, "demo", "curve")]
    assert calls[0].kwargs == {"eta": (0.1, 0.5, 0.1, 0.3), "k": [1, 2, 3], "labels": {"eta": "η"}}
    assert str(calls[1]) == "explore(figures.demo.curve, eta=[0.2, 0.4], k=[1])"
    with pytest.raises(ValueError, match=r"(?s)t.ipynb, cell 4, line 1: explore\(setup.*cell 5"):
        replay.figure_calls(nb, strict=True)


def test_replay_makes_the_explorers_and_every_slider_moves(tmp_path):
    import types

    demo = types.SimpleNamespace(curve=line_setup)
    nb = write_notebook(tmp_path / "t.ipynb",
                        "explore(figures.demo.curve, eta=(0.1, 0.5, 0.1, 0.3), k=[1, 2, 3])")
    (call, ex), = replay.replay(nb, resolve=lambda call: getattr(demo, call.name))
    assert isinstance(ex, explorer.Explorer) and ex.setup is line_setup
    assert ex.values == {"eta": 0.3, "k": 1} and call.name == "curve"
    for p in ex.params:
        for v in p.values:
            if v != ex.values[p.name]:
                before = figure_data(ex.fig)
                ex.set(**{p.name: v})
                assert figure_data(ex.fig) != before


def test_replay_names_a_missing_figure(tmp_path):
    nb = write_notebook(tmp_path / "t.ipynb", "explore(figures.gradient.no_such_figure, eta=[1, 2])")
    with pytest.raises(ValueError, match="t.ipynb, cell 1: no page .* draws the figure 'gradient.no_such_figure'"):
        replay.replay(nb)


def test_every_module_of_the_explorer_reads_in_a_few_minutes():
    from pathlib import Path

    folder = Path(explorer.__file__).parent
    lengths = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert len(lengths) >= 5 and max(lengths.values()) <= 200, lengths
    assert "replay.py" not in lengths               # maintainer tooling: tools/replay.py
