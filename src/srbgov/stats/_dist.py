"""Typed wrappers around the few scipy distribution functions the package uses.

scipy ships no type information, so it is imported once here through
``importlib`` (typed as ``Any``) and every call is converted to ``float`` at the
boundary. The rest of the package stays fully typed with no ``type: ignore``.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import numpy.typing as npt

_sps: Any = importlib.import_module("scipy.stats")


def beta_ppf(q: float, a: float, b: float) -> float:
    """Quantile of Beta(a, b)."""
    return float(_sps.beta.ppf(q, a, b))


def beta_sf(x: float, a: float, b: float) -> float:
    """P(X > x) for X ~ Beta(a, b)."""
    return float(_sps.beta.sf(x, a, b))


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p); 0 for k < 0."""
    return float(_sps.binom.cdf(k, n, p))


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X > k) for X ~ Binomial(n, p)."""
    return float(_sps.binom.sf(k, n, p))


def binom_ppf(q: float, n: int, p: float) -> int:
    """Smallest k with P(X <= k) >= q for X ~ Binomial(n, p)."""
    return int(_sps.binom.ppf(q, n, p))


def norm_ppf(q: float) -> float:
    """Standard normal quantile."""
    return float(_sps.norm.ppf(q))


def norm_isf(q: float) -> float:
    """Standard normal upper quantile: z with P(Z > z) = q."""
    return float(_sps.norm.isf(q))


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution."""
    return float(_sps.chi2.sf(x, df))


# Vectorised forms (numpy arrays in, float64 arrays out) for the many-village paths.
FloatArray = npt.NDArray[np.float64]


def beta_ppf_array(q: float, a: FloatArray, b: FloatArray) -> FloatArray:
    """Quantile q of Beta(a_i, b_i), element-wise."""
    return np.asarray(_sps.beta.ppf(q, a, b), dtype=np.float64)


def beta_sf_array(x: float, a: FloatArray, b: FloatArray) -> FloatArray:
    """P(X_i > x) for X_i ~ Beta(a_i, b_i), element-wise."""
    return np.asarray(_sps.beta.sf(x, a, b), dtype=np.float64)


def binom_ppf_array(q: float, n: FloatArray, p: float) -> FloatArray:
    """Smallest k_i with P(X_i <= k_i) >= q, X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.ppf(q, n, p), dtype=np.float64)


def binom_sf_array(k: FloatArray, n: FloatArray, p: float) -> FloatArray:
    """P(X_i > k_i) for X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.sf(k, n, p), dtype=np.float64)


def binom_cdf_array(k: FloatArray, n: FloatArray, p: float) -> FloatArray:
    """P(X_i <= k_i) for X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.cdf(k, n, p), dtype=np.float64)
