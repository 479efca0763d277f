"""backprop.explorer.explore: one call, a live widget and a static player over the same grid."""

import json
import re

import numpy as np
import pytest

from backprop import explorer


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
    before = explorer.figure_data(ex.fig)
    ex.set(eta=0.5)
    after = explorer.figure_data(ex.fig)
    assert before != after
    ex.set(eta=0.3)
    assert explorer.figure_data(ex.fig) == before
    with pytest.raises(ValueError, match="unknown parameter"):
        ex.set(gamma=1)
    with pytest.raises(ValueError, match="not one of"):
        ex.set(k=4)


def test_live_slider_redraws_the_image():
    ex = make()
    view = ex.widget
    assert view is ex.widget                      # built once
    png0 = ex._image.value
    data0 = explorer.figure_data(ex.fig)
    ex.sliders["eta"].value = 0.1
    assert ex.values["eta"] == 0.1
    assert explorer.figure_data(ex.fig) != data0
    assert ex._image.value != png0
    ex.sliders["k"].value = 3
    assert ex.values["k"] == 3


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


def test_without_the_environment_variable_only_one_frame(monkeypatch):
    monkeypatch.delenv(explorer.STATIC_ENV, raising=False)
    html = make().static_html()
    assert html.count("data:image/png;base64") == 1 and "Run the notebook" in html
    monkeypatch.setenv(explorer.STATIC_ENV, "1")
    assert make().static_html().count('type="range"') == 2


def test_mimebundle_offers_widget_and_html():
    bundle = make()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="bp-explorer"')
    assert "Explorer" in bundle["text/plain"]


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
    before = explorer.figure_data(ex.fig)
    ex.set(a=2.0)
    assert explorer.figure_data(ex.fig) != before
    assert len(ex.fig.axes) == 1


def test_registry_records_explorers():
    ex = make()
    assert explorer.REGISTRY[-1] is ex


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
    before = explorer.figure_data(ex.fig)
    assert ("text", "level 0.1") in before
    ex.set(level=0.5)
    assert explorer.figure_data(ex.fig) != before
