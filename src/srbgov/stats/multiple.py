"""Multiple-testing control for the flags of many villages (the error model).

The error model (docs/statistics.md, "Error model"): a flag says that, among the
units of one family (the villages of one county, the townships of one county, the
rows of one table), the one-sided exact binomial test against 107 stays
significant after the Benjamini-Hochberg step-up procedure at level q:

    Y. Benjamini & Y. Hochberg, "Controlling the false discovery rate: a practical
    and powerful approach to multiple testing", J R Stat Soc B 57:289-300, 1995.

With independent units (births of different villages) BH keeps the expected
share of false flags among the flags at most q; when no unit differs at all (the
"null county") every flag is false and BH's false discovery rate equals the
probability of any flag, so P(at least one false flag in the family) <= q.
Exact discrete p-values are conservative (P(p <= t) <= t), which keeps both
bounds. Before BH, units that could never be flagged (even all boys would not be
significant at q / K) are left out of the count of tests, Tarone's screen for
discrete tests as used with BH by Gilbert:

    R. E. Tarone, "A modified Bonferroni method for discrete data", Biometrics
    46:515-522, 1990; P. B. Gilbert, "A modified false discovery rate
    multiple-comparisons procedure for discrete data, applied to human
    immunodeficiency virus genetics", J R Stat Soc C 54:143-158, 2005.

The screen depends only on the numbers of births, not on the sexes, so it does not
spend any of the error rate; it gives the small villages nothing and the larger
ones a smaller count of tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from srbgov.stats._dist import FloatArray

BoolArray = npt.NDArray[np.bool_]


def _check_q(q: float) -> None:
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must be in (0, 1), got {q}")


def bh_adjust(p_values: FloatArray) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values): q_(i) = min over j >= i of
    m p_(j) / j, capped at 1; nan entries are not tests and stay nan."""
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    values = p[ok]
    order = np.argsort(values, kind="stable")
    ranked = values[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    back = np.empty(m)
    back[order] = np.minimum(adjusted, 1.0)
    out[ok] = back
    return out


def tarone_count(min_p: FloatArray, q: float) -> int:
    """Tarone's K: the smallest K >= 1 such that at most K units have a smallest
    attainable p-value <= q / K (0 when no unit can reach q at all)."""
    _check_q(q)
    attainable = np.sort(np.asarray(min_p, dtype=np.float64)[~np.isnan(min_p)])
    if attainable.size == 0 or attainable[0] > q:
        return 0
    ks = np.arange(1, attainable.size + 1)
    within = np.searchsorted(attainable, q / ks, side="right")
    # K = size always qualifies, so argmax finds the first K that does.
    return int(ks[np.argmax(within <= ks)])


@dataclass(frozen=True)
class FamilyTest:
    """BH with Tarone's screen, per family.

    ``tested`` marks units that take part (births, and a smallest attainable p at
    most q / K of their family); ``q_value`` is the BH-adjusted p-value among the
    tested of the family (nan otherwise); ``flagged`` = q_value <= q;
    ``single_alpha`` is q / (tests in the family), the level at which a unit would
    be flagged were it the family's only significant one (nan for untested units);
    ``screen_alpha`` is q / K, the level a unit's smallest attainable p must reach
    to be tested at all (q where no unit of the family can reach q; nan without a
    p-value): what a screened-out unit lacks ("出生数过少", with the births needed).
    """

    tested: BoolArray
    q_value: FloatArray
    flagged: BoolArray
    single_alpha: FloatArray
    q: float
    screen_alpha: FloatArray


def family_test(
    p_values: FloatArray,
    min_p: FloatArray,
    *,
    q: float,
    families: Sequence[object] | None = None,
) -> FamilyTest:
    """Flags controlled at level q within each family (module docstring).

    ``p_values`` nan = no test (no births); ``min_p`` the smallest p-value each unit
    could reach (for the screen). ``families`` labels each unit (default: one).
    """
    _check_q(q)
    p = np.asarray(p_values, dtype=np.float64)
    mp = np.asarray(min_p, dtype=np.float64)
    if p.shape != mp.shape:
        raise ValueError("p_values and min_p must have the same length")
    labels: list[object] = list(families) if families is not None else [0] * p.size
    if len(labels) != p.size:
        raise ValueError("families must have one label per unit")
    codes: dict[object, int] = {}
    fam = np.fromiter(
        (codes.setdefault(label, len(codes)) for label in labels),
        dtype=np.int64,
        count=p.size,
    )
    tested = np.zeros(p.size, dtype=np.bool_)
    q_value = np.full(p.size, np.nan)
    single = np.full(p.size, np.nan)
    screen = np.full(p.size, np.nan)
    for code in range(len(codes)):
        idx = np.flatnonzero(fam == code)
        has = ~np.isnan(p[idx])
        idx = idx[has]
        k = tarone_count(mp[idx], q)
        screen[idx] = q / k if k else q
        keep = idx[mp[idx] <= q / k] if k else idx[:0]
        if keep.size == 0:
            # Tarone's K can leave no unit (two units of 6 births: neither reaches
            # q / 1 alone, and q / 2 is beyond both): nothing is tested.
            continue
        tested[keep] = True
        q_value[keep] = bh_adjust(p[keep])
        single[keep] = q / keep.size
    flagged = np.asarray(tested & (np.nan_to_num(q_value, nan=1.0) <= q))
    return FamilyTest(tested, q_value, flagged, single, q, screen)
