"""Numeric keys of the self-checks of the chapter gradient_cost (``quizzes/gradient_cost.json``)."""

from ... import memory

# --- memory ---

MEMORY_SIZES, MEMORY_M = (10, 20, 20, 5), 50     # the network and batch of the memory question
CKPT_L, CKPT_K = 25, 5                           # the depth and interval of the checkpoint question


def memory_kept_floats():
    """Floats a step keeps for the backward pass: X, and Z^l and A^l of every layer."""
    return memory.step_floats(MEMORY_SIZES, MEMORY_M)["kept"]


def memory_kept_without_z():
    """The count with A^l only: Z^l (or f'(Z^l)) forgotten."""
    sizes, m = MEMORY_SIZES, MEMORY_M
    return sizes[0] * m + sum(n * m for n in sizes[1:])


def memory_kept_per_example():
    """The count for one example: the batch size m forgotten."""
    return memory.step_floats(MEMORY_SIZES, 1)["kept"]


def memory_kept_without_input():
    """The count without X = A^0, the input of layer 1's weight gradient."""
    return memory_kept_floats() - MEMORY_SIZES[0] * MEMORY_M


def memory_held_at_peak():
    """Activations held at the peak of the checkpointed sweep, L = 25, k = 5."""
    return memory.held_layers(CKPT_L, CKPT_K)


def memory_held_without_checkpointing():
    """Every activation, A^0 to A^L: the plain backward pass."""
    return memory.held_layers(CKPT_L, CKPT_L)


def memory_checkpoints_only():
    """The checkpoints alone, without the segment recomputed on the tape."""
    return len(memory.segments(CKPT_L, CKPT_K))
