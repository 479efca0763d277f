"""Figures of the chapter `gradient_cost` (drawing code only; the math lives in the package).

- ``peak_memory(depths, depth_peaks, batches, batch_peaks, counted_depth, counted_batch, ...)``:
  static, the measured peak memory of a training step against the depth ``L`` and
  against the batch size ``m``, beside the floats the step keeps, counted.
- ``checkpoint_tradeoff(fig, L, k)``: interactive, which activations the checkpointed
  backward sweep holds at its peak, and the activations held and the layers
  recomputed against the checkpoint interval ``k``, the minimum near ``sqrt(L)`` marked.
"""

from __future__ import annotations

import math

import numpy as np

from .. import memory
from . import style

# --- memory ---

#: The largest depth and interval the slider figure offers (its axes are fixed to them).
TRADEOFF_L_MAX = 36


def peak_memory(depths, depth_peaks, batches, batch_peaks, counted_depth, counted_batch,
                m_fixed, L_fixed):
    """Static: the measured peak (MB) of one training step against ``L`` and against ``m``.

    ``depth_peaks[i]`` is the peak in bytes for depth ``depths[i]`` and batch
    size ``m_fixed``; ``batch_peaks[j]`` for batch size ``batches[j]`` and depth
    ``L_fixed``. ``counted_depth`` and ``counted_batch`` are the bytes the
    step creates by the count (from ``memory.step_floats``: ``Z^l``, ``A^l``
    and the gradients), drawn as lines. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    fig, (ax_L, ax_m) = plt.subplots(1, 2, figsize=(8.4, 3.4), layout="constrained")
    for ax, x, peaks, counted, label in [
            (ax_L, depths, depth_peaks, counted_depth, "depth $L$ (layers)"),
            (ax_m, batches, batch_peaks, counted_batch, "batch size $m$")]:
        ax.plot(x, np.asarray(peaks) / 1e6, "o", color=style.COLORS[1], ms=6,
                label="measured peak (tracemalloc)")
        ax.plot(x, np.asarray(counted) / 1e6, "-", color=style.COLORS[0],
                label="counted: $Z^l$, $A^l$ and the gradients")
        ax.set(xlabel=label, ylabel="memory of one step (MB)", ylim=(0, None))
    ax_L.set_title(f"against depth, m = {m_fixed}")
    ax_m.set_title(f"against batch size, L = {L_fixed}")
    style.legend_below(fig, axes=[ax_L])
    return fig


def checkpoint_tradeoff(fig, L, k):
    """Interactive: the checkpoint interval ``k`` for a network of ``L`` layers, counted.

    Left, the activations ``A^0, ..., A^L`` and what the backward sweep holds
    at its peak: the checkpoints kept so far, and the segment recomputed on
    the tape. Right, against ``k``: the activations held at the peak
    (``memory.held_layers``) and the layer evaluations recomputed
    (``memory.recomputed_layers``), with ``k`` marked and ``sqrt(L)``.
    """
    ax_held, ax_k = fig.subplots(1, 2, width_ratios=[1.15, 1])
    top = TRADEOFF_L_MAX
    index = np.arange(top + 1)
    bars = ax_held.bar(index, np.zeros(top + 1), width=0.8, color=style.pale(style.MUTED, 0.6))
    ax_held.set(xlabel=r"activation $A^l$, layer $l = 0, \dots, L$")
    ax_held.set_yticks([0.5], ["$A^l$ at the peak"])
    style.fixed_limits(ax_held, (-0.7, top + 0.7), (0, 1.15))
    held_title = style.live_text(ax_held.set_title(""))
    ks = np.arange(1, top + 1)
    (held_line,) = ax_k.plot([], [], "o-", ms=3, color=style.COLORS[0],
                             label="activations held at the peak")
    (recomputed_line,) = ax_k.plot([], [], "s--", ms=3, color=style.COLORS[1],
                                   label="layers recomputed")
    (here,) = ax_k.plot([], [], "o", ms=11, mfc="none", mec=style.INK, mew=1.6,
                        label="this k")
    sqrt_line = ax_k.axvline(1, color=style.MUTED, lw=1.2, ls=":", label="k = √L")
    style.on_top(here)
    ax_k.set(xlabel="checkpoint interval $k$", ylabel="activations, or layers")
    style.fixed_limits(ax_k, (0.5, top + 0.5), (0, top + 2))
    k_title = style.live_text(ax_k.set_title(""))
    from matplotlib.patches import Patch

    kinds = [Patch(color=color, label=label) for color, label in [
        (style.COLORS[0], "checkpoint"), (style.COLORS[1], "recomputed segment"),
        (style.pale(style.MUTED, 0.6), "not held")]]
    handles, labels = ax_k.get_legend_handles_labels()
    fig.legend(kinds + handles, [p.get_label() for p in kinds] + labels,
               loc="outside lower center", ncol=4)          # below the axes: it covers no data

    def update(L, k):
        parts = memory.segments(L, k)
        peak = _held_by_segment(L, k)
        s = int(np.argmax(peak))                      # the segment swept at the peak
        first, last = parts[s]
        starts = {f - 1 for f, _ in parts[:s + 1]}    # checkpoints A^{first - 1} still held
        for l, bar in enumerate(bars):
            if l > L:
                bar.set_height(0)
                continue
            bar.set_height(1)
            if l in starts:
                bar.set_color(style.COLORS[0])
            elif first <= l <= last:
                bar.set_color(style.COLORS[1])
            else:
                bar.set_color(style.pale(style.MUTED, 0.6))
        held_title.set_text(f"L = {L}, k = {k}: {memory.held_layers(L, k)} of {L + 1} held")
        shown = ks[ks <= L]
        held_line.set_data(shown, [memory.held_layers(L, j) for j in shown])
        recomputed_line.set_data(shown, [memory.recomputed_layers(L, j) for j in shown])
        k_shown = min(k, L)
        here.set_data([k_shown], [memory.held_layers(L, k_shown)])
        sqrt_line.set_xdata([math.sqrt(L)] * 2)
        held = [memory.held_layers(L, j) for j in range(1, L + 1)]
        best = [j for j in range(1, L + 1) if held[j - 1] == min(held)]
        at = f"k = {best[0]}" if len(best) == 1 else f"k = {best[0]} to {best[-1]}"
        k_title.set_text(f"fewest held: {min(held)}, at {at}; √L = {math.sqrt(L):.1f}")

    update(L, k)
    return update


def _held_by_segment(L, k):
    """Activations held while each segment is swept (``memory.held_layers`` is their max)."""
    return [s + 1 + (last - first + 1) for s, (first, last) in enumerate(memory.segments(L, k))]
