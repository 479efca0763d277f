"""The live view: ipywidgets sliders above the figure's image, for a running kernel.

Works with ipywidgets 7 (Colab's) and 8. ``build`` takes the sliders, their
values, the first image and ``move(name, value) -> png``; moving a slider
calls ``move`` and shows the PNG it returns. The view keeps its own widgets
(``Live``): the explorer that asks for it keeps the view, and its state.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The MIME type of a widget view in a notebook's display data.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def front_end() -> bool:
    """Whether this code runs in a kernel that a front end talks to (Jupyter, Colab, nbclient).

    Only there can a widget be shown; in plain Python or under IPython in a
    terminal, nothing would ever display it.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


@dataclass
class Live:
    """The live view: ``widget`` (a ``VBox``), its ``sliders`` by parameter name, and ``image``."""

    widget: object
    sliders: dict
    image: object


def build(params, values: dict, png: bytes, move) -> Live:
    """``VBox([sliders, image])``: one slider per parameter, at ``values``, above ``png``.

    Moving the slider of ``name`` to ``value`` calls ``move(name, value)``,
    which returns the new PNG bytes shown in the image.
    """
    import ipywidgets as w

    sliders = {}
    for p in params:
        common = dict(description=p.label, continuous_update=True,
                      style={"description_width": "initial"},
                      layout=w.Layout(width="320px"))
        if p.is_range and len(p.values) > 1:
            step = p.values[1] - p.values[0]
            slider = w.FloatSlider(value=values[p.name], min=p.values[0],
                                   max=p.values[-1], step=step,
                                   readout_format=f".{p.decimals}f", **common)
        else:
            slider = w.SelectionSlider(options=[(p.format(v), v) for v in p.values],
                                       value=values[p.name], **common)
        sliders[p.name] = slider
    image = w.Image(value=png, format="png")
    by_name = {p.name: p for p in params}

    def on_change(change):
        name = next(n for n, s in sliders.items() if s is change["owner"])
        param = by_name[name]
        image.value = move(name, param.values[param.index(change["new"])])

    for slider in sliders.values():
        slider.observe(on_change, names="value")
    box = w.VBox([w.HBox(list(sliders.values()), layout=w.Layout(flex_flow="row wrap")), image])
    return Live(box, sliders, image)


def widget_view(widget) -> dict:
    """The ``WIDGET_VIEW`` entry of ``widget``'s display data, on ipywidgets 7 or 8.

    ipywidgets 8 gives it from ``Widget._repr_mimebundle_``. ipywidgets 7 has
    no such method (it displays through ``_ipython_display_``), so the entry
    is built from the widget's ``model_id``, as ipywidgets 7 itself does.
    Raises ``RuntimeError`` when the widget has no view to offer.
    """
    own = getattr(widget, "_repr_mimebundle_", None)
    if own is not None:
        view = (own() or {}).get(WIDGET_VIEW)
        if view is None:
            raise RuntimeError(f"ipywidgets offered no widget view for {type(widget).__name__}")
        return view
    model_id = getattr(widget, "model_id", None)
    if not model_id:
        raise RuntimeError(f"the {type(widget).__name__} widget has no model_id (no comm to a front end)")
    return {"version_major": 2, "version_minor": 0, "model_id": model_id}
