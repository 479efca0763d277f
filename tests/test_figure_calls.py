"""Every figure a chapter draws is in the registry, and every interactive one moves with every slider.

A chapter calls a figure in one line: ``explore(figures.CHAPTER.NAME, **literals)``
or ``figures.MODULE.NAME(...)`` (the contract of ``backprop.figures``). The
harness (``figharness``) reads those calls with ``tools/replay.py`` and finds
each figure in ``backprop.figures.registry``; here the registry and the
chapters must agree, and each interactive figure is made in-process, with no
kernel, exactly as its chapter makes it. Each slider is then moved through its
whole grid through the live widget, as a reader would: every value must draw
different data (a new title alone does not count), send a new image, and draw
what a fresh explorer made at that value draws.
"""

import inspect

import pytest
from figharness import assert_labelled, figure_data, interactive_calls, pages, registered, static_calls

from backprop.explorer import explore
from backprop.figures import registry
from tools import replay

CALLS = interactive_calls()


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.name)
def test_every_explore_call_follows_the_contract(path):
    """An inline setup or a computed argument could not be replayed without a kernel."""
    replay.figure_calls(path, strict=True)


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.name)
def test_a_page_draws_exactly_the_figures_the_registry_lists(path):
    page = registered(path.stem)
    called = {f"{call.module}.{call.name}" for call in replay.figure_calls(path)}
    assert called == {registry.name(f) for f in page.interactive}, "explore(...) calls"
    assert static_calls(path) == {registry.name(f) for f in page.static}, "static figures"


def test_every_registered_page_exists_and_a_missing_figure_is_named():
    assert set(registry.REGISTRY) <= {p.stem for p in pages()}
    with pytest.raises(LookupError, match="'gradient.no_such_figure'"):
        registry.find("gradient.no_such_figure")


@pytest.mark.parametrize("page, call, function", CALLS, ids=[f"{p}:{c.module}.{c.name}" for p, c, _ in CALLS])
def test_every_slider_value_changes_the_figure(page, call, function):
    ex = explore(function, **call.kwargs)                     # as the chapter makes it
    names = [p.name for p in ex.params]
    assert list(inspect.signature(function).parameters) == ["fig", *names], "only fig and the sliders"
    assert_labelled(ex.fig)
    first, view = figure_data(ex.fig), ex.view               # the live view: sliders and image
    for p in ex.params:
        start = ex.values[p.name]
        seen = [figure_data(ex.fig, texts=False)]
        for v in [v for v in p.values if v != start] + [start]:
            png = view.image.value
            view.sliders[p.name].value = v
            assert ex.values[p.name] == v, f"{call}: the slider {p.name} did not reach {v!r}"
            assert view.image.value != png, f"{call}: {p.name}={v!r} sends no new image"
            data = figure_data(ex.fig, texts=False)
            if v != start:
                assert data not in seen, f"{call}: {p.name}={v!r} draws no new data"
                seen.append(data)
            fresh = explore(function, **{**call.kwargs, "defaults": dict(ex.values)})
            assert figure_data(fresh.fig) == figure_data(ex.fig), \
                f"{call}: {p.name}={v!r} moved live differs from a fresh setup at that value"
    assert figure_data(ex.fig) == first          # the figure is a function of the sliders alone
