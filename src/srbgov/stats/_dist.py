"""Typed wrappers around the few scipy distribution functions the package uses.

scipy ships no type information, so it is imported once here through
``importlib`` (typed as ``Any``) and every call is converted to ``float`` at the
boundary. The rest of the package stays fully typed with no ``type: ignore``.
"""

from __future__ import annotations

import importlib
import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

_sps: Any = importlib.import_module("scipy.stats")
_special: Any = importlib.import_module("scipy.special")


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

# The regularised incomplete beta (boost's ibeta, ~200 ns a value) is most of the time
# of every village's posterior: three passes over 20,000 villages took 12.5 of
# shrink_groups' 15.6 ms. scipy's ufunc loop releases the GIL, so a big array is cut
# into one slice per core, computed side by side (about twice as fast on two cores).
# Below _PARALLEL_MIN values the hand-off to a thread costs more than it saves (a
# county's 400 villages stay in the calling thread).
_PARALLEL_MIN = 8192
_MAX_WORKERS = 4
_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _executor(workers: int) -> ThreadPoolExecutor:
    """The process's pool, made on first use and again after a fork (a gunicorn
    worker forked from a parent that had one would otherwise wait on threads that
    do not exist in it)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (
                os.getpid(),
                ThreadPoolExecutor(workers, thread_name_prefix="srbgov-stats"),
            )
        return _pool[1]


def _sliced(ufunc: Callable[..., Any], *args: npt.NDArray[np.float64]) -> FloatArray:
    """``ufunc(*args)`` element-wise, a slice per core for big arrays (same values)."""
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))
    size = arrays[0].size
    workers = min(_cores(), _MAX_WORKERS, size // (_PARALLEL_MIN // 2) or 1)
    if size < _PARALLEL_MIN or workers < 2:
        return np.asarray(ufunc(*arrays), dtype=np.float64)
    flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
    out = np.empty(size, dtype=np.float64)
    bounds = np.linspace(0, size, workers + 1).astype(np.intp).tolist()

    def part(lo: int, hi: int) -> None:
        ufunc(*(a[lo:hi] for a in flat), out=out[lo:hi])

    pool = _executor(workers - 1)
    first, *rest = itertools.pairwise(bounds)
    futures = [pool.submit(part, lo, hi) for lo, hi in rest]
    part(*first)  # the first slice in the calling thread
    for future in futures:
        future.result()
    return out.reshape(arrays[0].shape)


def betainc_array(a: FloatArray, b: FloatArray, x: FloatArray | float) -> FloatArray:
    """The regularised incomplete beta I_x(a, b), element-wise (``_sliced``)."""
    return _sliced(_special.betainc, a, b, np.asarray(x, dtype=np.float64))


def beta_ppf_array(q: float, a: FloatArray, b: FloatArray) -> FloatArray:
    """Quantile q of Beta(a_i, b_i), element-wise."""
    return np.asarray(_sps.beta.ppf(q, a, b), dtype=np.float64)


# The fast quantile's domain: both shapes at least this (below it the start is too
# rough for one correction in most cases: at shapes 8-15 only about half pass, so
# the incomplete-beta call would mostly be wasted), and its one correction at most
# this many standard deviations of Beta(a, b); anything else goes to scipy.
_FAST_MIN_SHAPE = 12.0
_FAST_MAX_STEP_SD = 1e-3


def beta_ppf_fast_array(q: float, a: FloatArray, b: FloatArray) -> FloatArray:
    """``beta_ppf_array`` with one incomplete-beta call per value instead of the
    several of scipy's ``betaincinv`` (boost's ``ibeta_inv``): the same values to
    about 1e-12 of a standard deviation (stats/tests/test_fast_quantile.py).

    Start: the normal approximation of Abramowitz & Stegun 26.5.22 (relative error
    about 5e-5 for shapes near 50). One correction: with u the Newton step for
    F(x) = q (F the distribution function, f its density), the root is
    x + u - h u^2 + (2 h^2 - k) u^3 + O(u^4), the series of the inverse function,
    with h = f' / (2 f) and k = f'' / (6 f), cheap for the beta density, whose
    log-derivative is (a - 1) / x - (b - 1) / (1 - x). With |u| at most 1e-3
    standard deviations the neglected term is about 1e-12 of one; values outside
    that, or with a shape below 12, are computed by scipy. The upper tail is 1
    minus the lower tail of Beta(b, a) (an absolute error of 1e-16, far below a
    standard deviation for shapes of at least 12).
    """
    a, b = np.broadcast_arrays(
        np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    )
    if not 0.0 < q < 1.0:
        return beta_ppf_array(q, a, b)
    upper = q > 0.5
    done, root = (
        _fast_lower_quantile(1.0 - q, b, a)
        if upper
        else (_fast_lower_quantile(q, a, b))
    )
    out = np.empty(a.shape, dtype=np.float64)
    out.flat[done] = 1.0 - root if upper else root
    rest = np.ones(a.shape, dtype=bool)
    rest.flat[done] = False
    if rest.any():
        out[rest] = beta_ppf_array(q, a[rest], b[rest])
    return out


def _fast_lower_quantile(
    q: float, a: FloatArray, b: FloatArray
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """(flat indices done, their quantiles) for q <= 0.5 (see beta_ppf_fast_array)."""
    with np.errstate(all="ignore"):
        fast = (a >= _FAST_MIN_SHAPE) & (b >= _FAST_MIN_SHAPE)
        fast &= np.isfinite(a) & np.isfinite(b)
        af, bf = a[fast], b[fast]
        y = float(_special.ndtri(1.0 - q))
        lam = (y * y - 3.0) / 6.0
        ia, ib = 1.0 / (2.0 * af - 1.0), 1.0 / (2.0 * bf - 1.0)
        h = 2.0 / (ia + ib)
        w = y * np.sqrt(h + lam) / h - (ib - ia) * (lam + 5.0 / 6.0 - 2.0 / (3.0 * h))
        x = af / (af + bf * np.exp(2.0 * w))
        log_beta = _special.gammaln(af) + _special.gammaln(bf)
        log_beta -= _special.gammaln(af + bf)
        density = np.exp((af - 1.0) * np.log(x) + (bf - 1.0) * np.log1p(-x) - log_beta)
        u = (q - betainc_array(af, bf, x)) / density
        d = (af - 1.0) / x - (bf - 1.0) / (1.0 - x)
        d1 = -(af - 1.0) / (x * x) - (bf - 1.0) / ((1.0 - x) * (1.0 - x))
        half = d / 2.0
        sixth = (d * d + d1) / 6.0
        root = x + u - half * u * u + (2.0 * half * half - sixth) * u * u * u
        total = af + bf
        sd = np.sqrt(af * bf / (total * total * (total + 1.0)))
        good = np.isfinite(root) & (root > 0.0) & (root < 1.0)
        good &= np.abs(u) <= _FAST_MAX_STEP_SD * sd
    return np.flatnonzero(fast)[good], np.asarray(root[good], dtype=np.float64)


def beta_sf_array(x: float, a: FloatArray, b: FloatArray) -> FloatArray:
    """P(X_i > x) for X_i ~ Beta(a_i, b_i), element-wise, as the regularised
    incomplete beta I_{1-x}(b, a) (the same value; scipy.stats' wrapper costs
    seven times as much on 20,000 villages)."""
    return betainc_array(b, a, 1.0 - x)


def binom_ppf_array(q: float, n: FloatArray, p: float) -> FloatArray:
    """Smallest k_i with P(X_i <= k_i) >= q, X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.ppf(q, n, p), dtype=np.float64)


def binom_sf_array(k: FloatArray, n: FloatArray, p: float) -> FloatArray:
    """P(X_i > k_i) for X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.sf(k, n, p), dtype=np.float64)


def binom_cdf_array(k: FloatArray, n: FloatArray, p: float) -> FloatArray:
    """P(X_i <= k_i) for X_i ~ Binomial(n_i, p)."""
    return np.asarray(_sps.binom.cdf(k, n, p), dtype=np.float64)
