"""The figures each page of the book draws, listed once: ``REGISTRY[page]``.

A page (a notebook of ``chapters/``, named by its file's stem) draws its
interactive figures with ``explore(figures.MODULE.NAME, **sliders)`` and its
static ones with ``figures.MODULE.NAME(...)``. ``REGISTRY`` lists both, as the
functions themselves; the sliders' grids are those of the page's own
``explore`` call, written once, where the reader sees them.

The tests iterate this registry (``tests/figharness.py``): every interactive
figure is moved through every slider value, every figure is checked for
legible text; a page that calls a figure missing here fails them. The
maintainers' ``tools/replay.py`` finds a call's figure here (``find``).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import (
    app_derivations,
    app_errata,
    app_performance,
    diagrams,
    differentials,
    gradient,
    gradient_cost,
    hadamard,
    jacobian,
    minibatch,
    notation,
    one_neuron,
    relu,
    reverse_mode,
    second_order,
    softmax_ce,
    two_layer,
    vjp_jvp,
)


@dataclass(frozen=True)
class Page:
    """The figures one page draws: ``interactive`` through ``explore``, ``static`` directly."""

    interactive: tuple = ()
    static: tuple = ()


REGISTRY = {
    "notation": Page(interactive=(notation.two_conventions,)),
    "one_neuron": Page(interactive=(one_neuron.descent_regimes,),
                       static=(one_neuron.weight_iterates, one_neuron.joint_vs_staged,
                               diagrams.one_neuron, diagrams.fan_out_fan_in)),
    "gradient": Page(interactive=(gradient.bowl_descent,),
                     static=(gradient.cost_surface, gradient.directional_rates)),
    "differentials": Page(interactive=(differentials.least_squares_descent,),
                          static=(differentials.remainder_orders, diagrams.sum_over_paths)),
    "jacobian": Page(interactive=(jacobian.linearization, jacobian.neuron_descent),
                     static=(jacobian.difference_errors,)),
    "hadamard": Page(interactive=(hadamard.sigmoid_plateau,),
                     static=(hadamard.jacobian_images, hadamard.product_times)),
    "two_layer": Page(interactive=(two_layer.xor_training,),
                      static=(diagrams.two_layer, diagrams.layer_vjp)),
    "vjp_jvp": Page(interactive=(vjp_jvp.deep_chain,),
                    static=(vjp_jvp.chain_times, vjp_jvp.mode_times)),
    "reverse_mode": Page(interactive=(reverse_mode.tape_descent,),
                         static=(reverse_mode.sweep_order,)),
    "softmax_ce": Page(interactive=(softmax_ce.temperature, softmax_ce.blob_regions),
                       static=(diagrams.softmax_ce,)),
    "minibatch": Page(interactive=(minibatch.hyperparameter_grid,),
                      static=(minibatch.time_per_example, minibatch.digit_samples,
                              minibatch.training_curves, minibatch.confusion,
                              minibatch.misclassified)),
    "gradient_cost": Page(interactive=(gradient_cost.checkpoint_tradeoff,),
                          static=(gradient_cost.peak_memory,)),
    "second_order": Page(interactive=(second_order.gn_spectrum,)),
    "relu": Page(interactive=(relu.relu_training,)),
    "app_derivations": Page(interactive=(app_derivations.base_rescaling,)),
    "app_errata_notes": Page(interactive=(app_errata.sign_error_descent,)),
    "app_performance": Page(interactive=(app_performance.vjp_vs_jacobian,),
                            static=(app_performance.three_ways, app_performance.flops_rates,
                                    app_performance.profile_shares)),
}


def name(function) -> str:
    """``"MODULE.NAME"`` of a figure function, as a chapter writes it after ``figures.``."""
    return f"{function.__module__.rpartition('.')[2]}.{function.__name__}"


def find(dotted: str):
    """The registered figure function named ``"MODULE.NAME"`` (e.g. ``"gradient.bowl_descent"``).

    Raises ``LookupError`` naming the figure if no page registers it.
    """
    for page in REGISTRY.values():
        for function in (*page.interactive, *page.static):
            if name(function) == dotted:
                return function
    raise LookupError(f"no page of backprop.figures.registry.REGISTRY draws the figure {dotted!r}; "
                      "add it to its page there")
