"""backprop: the companion package of *Backpropagation through matrix calculus*.

The book's convention, used by every module here:

- vectors are columns; a batch of ``m`` examples is stacked as the columns of
  ``X`` with shape ``(n_0, m)``;
- layer ``l`` has ``W`` of shape ``(n_l, n_{l-1})`` and ``b`` of shape
  ``(n_l, 1)``, and computes ``z = W @ a + b``;
- Jacobians are in numerator layout, ``J[i, j] = d f_i / d x_j``;
- a gradient has the shape of the variable it is taken with respect to.

Modules are small and import nothing heavy at package import time:
``activations``, ``losses``, ``network``, ``jacobian``, ``autodiff``,
``gradcheck``, ``curvature``, ``conventions``, ``data``, ``explorer`` (interactive figures),
``figures`` (the drawing code of every chapter, with ``figures.style``).
"""

__version__ = "0.1.0"
