"""Typed wrappers around the few scipy distribution functions the package uses.

scipy ships no type information, so it is imported once here through
``importlib`` (typed as ``Any``) and every call is converted to ``float`` at the
boundary. The rest of the package stays fully typed with no ``type: ignore``.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution."""
    return float(_sps.chi2.sf(x, df))
