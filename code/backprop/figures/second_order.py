"""Figures of the chapter `second_order` (drawing code only; the math lives in the package).

# --- second order ---
- ``gn_spectrum(fig, s)``: the eigenvalues of the Hessian ``H`` and of the
  Gauss-Newton matrix ``H_GN`` of a small network's squared-error cost, each
  matrix formed column by column from exact products (``curvature.hvp``,
  ``curvature.gauss_newton_vector_product``), for targets
  ``Y = A^L + s * noise``: at ``s = 0`` the two spectra are one; as the
  residual grows, ``H`` gets negative eigenvalues and ``H_GN`` never does.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import curvature, network
from . import style

# --- second order ---

#: The network of ``gn_spectrum``: sizes, batch, and the residual scales of its slider.
GN_SIZES, GN_M = (2, 3, 2), 6
GN_SCALES = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)


@functools.cache
def gn_case():
    """``(params, X, A^L, noise)`` of the small sigmoid network, seeded."""
    rng = np.random.default_rng(7)
    params = network.init_params(list(GN_SIZES), seed=7)
    params = [(2 * W, 0.5 * rng.standard_normal(b.shape)) for W, b in params]
    X = rng.standard_normal((GN_SIZES[0], GN_M))
    A_L = network.forward(params, X)[1][-1]
    return params, X, A_L, rng.standard_normal(A_L.shape)


def _columns(product, params):
    """The matrix of a linear map on parameter lists, one column per unit direction. ``(P, P)``."""
    P = sum(W.size + b.size for W, b in params)
    flat = lambda pairs: np.concatenate([a.ravel() for pair in pairs for a in pair])  # noqa: E731
    return np.column_stack([flat(product(curvature._unflat(e, params))) for e in np.eye(P)])


@functools.cache
def gn_spectra(s):
    """Sorted eigenvalues ``(of H, of H_GN)`` for targets ``Y = A^L + s * noise``."""
    params, X, A_L, noise = gn_case()
    Y = A_L + s * noise
    H = _columns(lambda V: curvature.hvp(params, X, Y, V), params)
    G = _columns(lambda V: curvature.gauss_newton_vector_product(params, X, Y, V), params)
    return np.linalg.eigvalsh((H + H.T) / 2), np.linalg.eigvalsh((G + G.T) / 2)


def gn_spectrum(fig, s):
    """Interactive: the eigenvalues of H and H_GN at residual scale ``s``, and the extreme ones against ``s``."""
    ax_eig, ax_s = fig.subplots(1, 2)
    lam_H, lam_G = gn_spectra(s)
    index = np.arange(1, lam_H.size + 1)
    (h_line,) = ax_eig.plot(index, lam_H, "o", ms=5, color=style.COLORS[1], label="Hessian $H$")
    (g_line,) = ax_eig.plot(index, lam_G, "x", ms=6, color=style.COLORS[0], label=r"Gauss–Newton $H_{\mathrm{GN}}$")
    ax_eig.axhline(0.0, color="0.5", lw=0.8)
    ax_eig.set_yscale("symlog", linthresh=1e-3)
    every = np.concatenate([np.concatenate(gn_spectra(v)) for v in GN_SCALES])
    ax_eig.set(xlabel="eigenvalue number (sorted)", ylabel="eigenvalue (symmetric log)",
               title="the spectra at this $s$", ylim=(1.5 * min(every.min(), -1e-3), 1.5 * every.max()))
    scales = np.array(GN_SCALES)
    lowest = np.array([[v.min() for v in gn_spectra(x)] for x in GN_SCALES])   # (scales, 2)
    ax_s.plot(scales, lowest[:, 0], "o-", ms=4, color=style.COLORS[1], label="smallest of $H$")
    ax_s.plot(scales, lowest[:, 1], "x-", ms=5, color=style.COLORS[0], label=r"smallest of $H_{\mathrm{GN}}$")
    ax_s.axhline(0.0, color="0.5", lw=0.8)
    (marker,) = ax_s.plot([s], [lam_H.min()], "o", ms=11, mfc="none", color=style.COLORS[6])
    ax_s.set(xlabel="residual scale $s$ ($Y = A^L + s\\,$noise)", ylabel="smallest eigenvalue",
             title="smallest eigenvalue against $s$")
    style.legend_below(fig, axes=[ax_eig, ax_s], ncol=2)

    def update(s):
        lam_H, lam_G = gn_spectra(s)
        h_line.set_ydata(lam_H)
        g_line.set_ydata(lam_G)
        marker.set_data([s], [lam_H.min()])

    return update
