"""The benchmark suite behind ``make bench`` and the appendix "Performance".

One module per section of the report, each with a ``run_*`` function that
returns plain data (dicts, lists, numbers) for the JSON report:

- ``step``: one SGD step, readable NumPy, fast NumPy and PyTorch (sections 1 and 2);
- ``flops``: the step's FLOPs, counted analytically;
- ``threeways``: per-weight loops, a loop over examples, the batched matrix form (section 3);
- ``scaling``: reverse mode against a materialized Jacobian chain (section 4);
- ``redraw``: live redraw latency of every ``explore`` figure (section 5);
- ``build``: the book's build and page sizes (section 6);
- ``profiling``: where the time of a step goes, sampled by py-spy (section 7);
- ``machine``: the description of the machine stored with the results.

Nothing here is imported by ``import backprop``; PyTorch, nbclient and
py-spy are imported only by the sections that need them.
"""
