"""backprop: the companion package of *Backpropagation through matrix calculus*.

The book's convention, used by every module here:

- vectors are columns; a batch of ``m`` examples is stacked as the columns of
  ``X`` with shape ``(n_0, m)``;
- layer ``l`` has ``W`` of shape ``(n_l, n_{l-1})`` and ``b`` of shape
  ``(n_l, 1)``, and computes ``z = W @ a + b``;
- Jacobians are in numerator layout, ``J[i, j] = d f_i / d x_j``;
- a gradient has the shape of the variable it is taken with respect to.

Modules are small, one idea each, and import nothing heavy at package import
time (``import backprop`` imports no module; import the ones you use):

- the math: ``activations`` (sigmoid, softmax, ...), ``losses`` (squared
  error, cross-entropy), ``jacobian`` (explicit and numerical Jacobians),
  ``autodiff`` (JVP and VJP rules, the Hadamard product, ``multiply_adds``),
  ``conventions`` (other layouts and PyTorch's, converted to the book's),
  ``curvature`` (exact Hessian-vector products, forward-over-reverse, and
  the largest curvature, which bounds the learning rate), ``identities`` (the table of matrix-calculus
  identities, each a function and its gradient), ``tape`` (a small
  reverse-mode tape for arrays, built from the book's VJP rules), ``memory``
  (what a gradient keeps in memory, counted and measured, and checkpointing
  on the tape);
- the networks: ``neuron`` (one neuron, a chain of two), ``landscapes``
  (cost surfaces of small models), ``network`` (the forward pass and
  backpropagation in matrix form, the architecture as data), ``fast`` (the
  same, in preallocated buffers), ``errata`` (the errata appendix's 3-4-2
  worked example), ``gradcheck`` (central finite differences), ``optim``
  (gradient descent, the SGD step), ``training`` (mini-batch training,
  prediction, accuracy), ``data`` (small data sets, examples as columns,
  one-hot targets);
- the figures: ``explorer`` (interactive figures: ``explorer.params``
  slider grids, ``explorer.render`` rendering and partial redraws,
  ``explorer.player`` the static HTML player, ``explorer.live`` the
  ipywidgets view, ``explorer.core`` ``Explorer`` and ``explore``) and
  ``figures`` (the drawing code, one module per chapter, and
  ``figures.style``, the book's style);
- practice: ``practice`` (self-check questions from ``practice/quizzes/``,
  ``practice.quiz``, and the checker of the "Your turn" exercises,
  ``practice.check``, which names a reader's mistake);
- measuring: ``timing`` (side-by-side timing, the thread limiter),
  ``bench`` (``python -m backprop.bench``) and ``benchmarks`` (the runner,
  ``benchmarks.runner``, and one module per section of the report);
- ``_checks``: the input checks every public function shares.
"""

__version__ = "0.1.0"
