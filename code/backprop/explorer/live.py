"""The live view: ipywidgets sliders above the figure's image, for a running kernel.

Works with ipywidgets 7 (Colab's) and 8. Moving a slider calls the
explorer's ``set`` and sends the new PNG to the ``Image`` widget.
"""

from __future__ import annotations

#: The MIME type of a widget view in a notebook's display data.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def build_widget(ex):
    """``VBox([sliders, image])`` for ``ex``; fills ``ex.sliders`` and ``ex._image``."""
    import ipywidgets as w

    controls = []
    for p in ex.params:
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
        slider.observe(lambda change, ex=ex: _on_change(ex, change), names="value")
        ex.sliders[p.name] = slider
        controls.append(slider)
    ex._image = w.Image(value=ex.png(), format="png")
    return w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), ex._image])


def _on_change(ex, change):
    name = next(n for n, s in ex.sliders.items() if s is change["owner"])
    param = next(p for p in ex.params if p.name == name)
    ex.set(**{name: param.values[param.index(change["new"])]})
    ex._image.value = ex.png()


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
