"""Bernoulli CUSUM for sequential monitoring of a township's births.

Sources: M. R. Reynolds & Z. G. Stoumbos, "A CUSUM chart for monitoring a
proportion when inspecting continuously", J Qual Technol 31:87-108, 1999, and
"A general approach to modeling CUSUM charts for a proportion", IIE Trans
32:515-535, 2000; S. H. Steiner, R. J. Cook, V. T. Farewell & T. Treasure,
"Monitoring surgical performance using risk-adjusted cumulative sum charts",
Biostatistics 1:441-452, 2000.

Each birth t is y_t = 1 for a boy, 0 for a girl. With in-control p0 and
out-of-control p1 > p0 (proportions of boys from the reference and alternative
SRBs), the log-likelihood-ratio increment is

    w_t = y_t log(p1 / p0) + (1 - y_t) log((1 - p1) / (1 - p0)),

S_0 = 0, S_t = max(0, S_{t-1} + w_t), and the chart signals when S_t >= h.

Default h = 3.0 (log-likelihood-ratio units), chosen with ``cusum_arl`` (Markov
chain of Brook & Evans, Biometrika 59:539-549, 1972, on the integer-scaled
increments of Reynolds & Stoumbos): for p0 from SRB 106.3 and p1 from SRB 115
the in-control average run length is about 22,000 births (some 40 years of a
township with 500 births a year, so a county of 20 townships sees a false alarm
about every 2 years), while a true SRB of 115 signals after about 2,700 births,
in line with the ~3,000 births docs/design.md §6 says are needed to tell 115 from 105.
h = 2.5 gives about 12,000 and 2,100; h = 4.0 about 68,000 and 4,000
(resolution 1000; a finer grid moves these by about 2 %). That is too many false
alarms for an alert across a county, so the township alert uses
``TOWNSHIP_CUSUM_H`` instead. SRBs in and out are per 100 girls.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from srbgov.stats.reference import DEFAULT_REFERENCE_SRB, srb_to_p

DEFAULT_ALTERNATIVE_SRB = 115.0
DEFAULT_CUSUM_H = 3.0
#: Threshold of the township alert (``raise_srb_alerts``), chosen from simulated
#: in-control run lengths (bench/bench_srb_sim.py, docs/statistics.md): in a county
#: of 15 townships of 20 villages with 20-60 births each a year and a true SRB of
#: 106.3 everywhere, "a signal in the last year of the 5-year window" happens
#: 0.084 / 0.043 / 0.018 / 0.007 times per county-year at h = 4.5 / 5 / 5.5 / 6
#: (1,500 seeded county-years each); h = 5.5 keeps the goal of 0.05 with room for
#: townships larger than 800 births. A township of 800 births a year turning to a
#: true SRB of 115 then signals within 3 years in about 14 % of runs.
TOWNSHIP_CUSUM_H = 5.5


@dataclass(frozen=True)
class CusumResult:
    """Path of the Bernoulli CUSUM over a sequence of births.

    ``path[t]`` is S_t after birth t (0-based; the value that signalled, before
    any reset); ``signals`` are the indices t with S_t >= h.
    """

    p0: float
    p1: float
    h: float
    boy_weight: float
    girl_weight: float
    path: tuple[float, ...]
    signals: tuple[int, ...]
    reset: bool


def cusum_weights(reference_srb: float, alternative_srb: float) -> tuple[float, float]:
    """(w for a boy, w for a girl) = (log(p1/p0), log((1-p1)/(1-p0))) with p0, p1
    the proportions of boys of the two SRBs (per 100 girls)."""
    if not 0.0 < reference_srb < math.inf or not 0.0 < alternative_srb < math.inf:
        raise ValueError("SRBs must be positive and finite")
    p0, p1 = srb_to_p(reference_srb), srb_to_p(alternative_srb)
    return math.log(p1 / p0), math.log((1.0 - p1) / (1.0 - p0))


def _sexes(
    births: Iterable[bool | int] | npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Each birth as True (boy) or False (girl); ValueError for anything but a bool
    or the integers 0 and 1 (0.5, 2, -1, nan or "5" is not one birth's sex)."""
    arr = np.asarray(births if isinstance(births, np.ndarray) else list(births))
    if arr.size == 0:
        return np.zeros(0, dtype=np.bool_)
    if arr.ndim != 1:
        raise ValueError("births must be one-dimensional")
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind in "iu" and bool(((arr == 0) | (arr == 1)).all()):
        return arr.astype(np.bool_)
    raise ValueError(
        "births must be booleans or 0/1 (1 = boy), one per birth in birth order"
    )


def bernoulli_cusum(
    births: Iterable[bool | int] | npt.NDArray[np.bool_],
    *,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    alternative_srb: float = DEFAULT_ALTERNATIVE_SRB,
    h: float = DEFAULT_CUSUM_H,
    reset: bool = True,
) -> CusumResult:
    """Run the upper Bernoulli CUSUM over births in order (True/1 = boy).

    With ``reset`` the statistic restarts from 0 after each signal, so later
    signals are new evidence; without it S_t keeps accumulating.
    """
    if not h > 0:
        raise ValueError("h must be > 0")
    p0, p1 = srb_to_p(reference_srb), srb_to_p(alternative_srb)
    boy_w, girl_w = cusum_weights(reference_srb, alternative_srb)
    sexes = _sexes(births)
    path, signals = cusum_path(
        sexes,
        boy_weight=boy_w,
        girl_weight=girl_w,
        h=h,
        reset=reset,
    )
    return CusumResult(
        p0,
        p1,
        h,
        boy_w,
        girl_w,
        tuple(path.tolist()),
        tuple(signals.tolist()),
        reset,
    )


def cusum_path(
    boys: npt.NDArray[np.bool_],
    *,
    boy_weight: float,
    girl_weight: float,
    h: float,
    reset: bool = True,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """(S_t per birth, indices of signals) in numpy: between resets S_t is the
    Lindley form X_t - min(0, min_{s<=t} X_s) of the cumulative sum X_t of the
    weights, so each stretch to the next signal is one vectorised pass (a county's
    ten years of births in milliseconds, as the simulation needs)."""
    w = np.where(boys, boy_weight, girl_weight).astype(np.float64)
    path = np.empty(w.size, dtype=np.float64)
    signals: list[int] = []
    start = 0
    while start < w.size:
        x = np.cumsum(w[start:])
        s = x - np.minimum(0.0, np.minimum.accumulate(x))
        hit = np.flatnonzero(s >= h)
        if not reset:
            path[start:] = s
            signals.extend((hit + start).tolist())
            break
        if hit.size == 0:
            path[start:] = s
            break
        end = start + int(hit[0])
        path[start : end + 1] = s[: hit[0] + 1]
        signals.append(end)
        start = end + 1
    return path, np.asarray(signals, dtype=np.int64)


def cusum_arl(
    *,
    true_srb: float,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    alternative_srb: float = DEFAULT_ALTERNATIVE_SRB,
    h: float = DEFAULT_CUSUM_H,
    resolution: int = 1000,
) -> float:
    """Average number of births to the first signal, starting from S = 0.

    Markov chain (Brook & Evans 1972) on the increments scaled to integers as in
    Reynolds & Stoumbos: the boy weight becomes ``resolution`` units and the girl
    weight and h are rounded to the same unit, so the result is approximate to
    about 1/``resolution`` of a step. ARL = first entry of (I - Q)^-1 1.
    """
    sparse: Any = importlib.import_module("scipy.sparse")
    linalg: Any = importlib.import_module("scipy.sparse.linalg")
    boy_w, girl_w = cusum_weights(reference_srb, alternative_srb)
    if boy_w <= 0:
        raise ValueError("alternative SRB must exceed the reference")
    unit = boy_w / resolution
    up = resolution
    down = max(1, round(-girl_w / unit))
    states = max(1, math.ceil(h / unit))
    p = srb_to_p(true_srb)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i in range(states):
        rows.append(i)
        cols.append(i)
        vals.append(1.0)
        if i + up < states:
            rows.append(i)
            cols.append(i + up)
            vals.append(-p)
        rows.append(i)
        cols.append(max(0, i - down))
        vals.append(-(1.0 - p))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(states, states))
    arl = linalg.spsolve(matrix, np.ones(states))
    return float(arl[0])
