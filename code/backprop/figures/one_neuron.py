"""Figures of the chapter `one_neuron` (drawing code only; the math lives in the package)."""
