"""The benchmark suite behind ``make bench`` and the appendix "Performance".

``runner`` runs the report (``python -m backprop.bench``). One module per
section keeps together its measurement, summary and budgets: ``measure(opts)``
returns plain data (dicts, lists, numbers) for the JSON report,
``summary(data)`` its readable lines, ``targets(data)`` its budgets.

- ``step``: one SGD step, readable NumPy, fast NumPy and PyTorch (section 1);
- ``flops``: the step's FLOPs, counted analytically, and its rate against bare matrix products (section 2);
- ``threeways``: per-weight loops, a loop over examples, the batched matrix form (section 3);
- ``scaling``: reverse mode against a materialized Jacobian chain (section 4);
- ``redraw``: live redraw latency of every ``explore`` figure (section 5);
- ``build``: the book's build and page sizes (section 6);
- ``profiling``: where the time of a step goes, sampled by py-spy (section 7);
- ``machine``: the description of the machine stored with the results;
- ``hvp_cost``: an exact Hessian-vector product (``curvature.hvp``) against one gradient, side by
  side (not a section of the report);
- ``runner``: the runner, the JSON report and its summary.

Nothing here is imported by ``import backprop``; PyTorch, nbclient and
py-spy are imported only by the sections that need them.
"""
