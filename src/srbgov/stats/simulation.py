"""Seeded simulation of the SRB alert rule, through the functions the pages call.

Pure numpy like the rest of the package; bench/bench_srb_sim.py prints its lines and
stats/tests/test_simulation.py pins a small seeded version of the null county.

No database: counts are drawn with numpy and passed to `srbgov.stats.srb_verdicts`
(as `monitoring.queries.village_statistics` and `monitoring.alerts` call it: one
family per county, q = FLAG_Q, reference 106.3, one test on all births and one on
births after only girls) and to `srbgov.stats.bernoulli_cusum` with
`TOWNSHIP_CUSUM_H` (as `monitoring.alerts.township_findings`: an alert when the
township's CUSUM, run over the window's births, signals in the last year).

What bench/bench_srb_sim.py reports (`make bench`, or alone:
`.venv/bin/python -m bench bench_srb_sim`):

- srb_false_village_alerts_null: village alerts per county-year in a county with no
  selection at all: 15 townships × 20 villages, each village 20–60 births a year
  (uniform, fixed per village), true SRB 106.3 at every birth, 5-year pooled window;
- srb_false_township_alerts_null: township CUSUM alerts per county-year, same county;
- srb_detection_village_after_girls: share of runs in which one village of 60 births a
  year whose second births after a first girl have SRB 150 (everything else 106.3) is
  alerted at one of the five yearly evaluations after selection starts;
- srb_detection_township: share of runs in which a township of 20 such villages at a
  uniform SRB of 115 is alerted within 3 years of the change.

Birth order 1 / 2 / 3+ is 45 / 40 / 15 % (as bench_srb's synthetic births); a second
birth follows a girl with probability 1 - p(106.3), a third follows two girls with
(1 - p)^2. Runs: SRBGOV_BENCH_SIM_RUNS (default 2000 null county-years; a quarter of
that for the detection lines). Seed fixed: the figures are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from srbgov.stats.monitoring import TOWNSHIP_CUSUM_H, bernoulli_cusum
from srbgov.stats.reference import DEFAULT_REFERENCE_SRB, srb_to_p
from srbgov.stats.verdicts import srb_verdicts

IntArray = npt.NDArray[np.int64]

TOWNSHIPS = 15
VILLAGES_PER_TOWNSHIP = 20
BIRTHS_PER_YEAR = (20, 60)
WINDOW_YEARS = 5
ORDER_SHARES = (0.45, 0.40, 0.15)
SEED = 20261201


@dataclass(frozen=True)
class County:
    """Births per village per year, and the after-only-girls cell of them."""

    sizes: IntArray  # births a year per village (villages,)
    townships: IntArray  # township index per village


def make_county(rng: np.random.Generator) -> County:
    villages = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
    lo, hi = BIRTHS_PER_YEAR
    return County(
        sizes=rng.integers(lo, hi + 1, size=villages).astype(np.int64),
        townships=np.repeat(np.arange(TOWNSHIPS), VILLAGES_PER_TOWNSHIP),
    )


def after_girls_share(p_boy: float) -> tuple[float, float]:
    """(share of births that are second births after a girl, share that are third+
    births after only girls)."""
    return ORDER_SHARES[1] * (1 - p_boy), ORDER_SHARES[2] * (1 - p_boy) ** 2


def year_counts(
    rng: np.random.Generator,
    births: IntArray,
    *,
    srb: float = DEFAULT_REFERENCE_SRB,
    second_after_girl_srb: float | None = None,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(boys, girls, boys after only girls, girls after only girls) per unit for one
    year (or several pooled: the counts are binomial either way)."""
    p0 = srb_to_p(DEFAULT_REFERENCE_SRB)
    second, third = after_girls_share(p0)
    n_second = rng.binomial(births, second)
    n_third = rng.binomial(births - n_second, third / (1 - second))
    rest = births - n_second - n_third
    p_second = srb_to_p(second_after_girl_srb or srb)
    b_second = rng.binomial(n_second, p_second)
    b_third = rng.binomial(n_third, srb_to_p(srb))
    b_rest = rng.binomial(rest, srb_to_p(srb))
    cell_b = b_second + b_third
    cell_n = n_second + n_third
    boys = cell_b + b_rest
    return boys, births - boys, cell_b, cell_n - cell_b


def village_alerts(
    boys: IntArray, girls: IntArray, cell_boys: IntArray, cell_girls: IntArray
) -> tuple[IntArray, IntArray]:
    """Indices alerted on all births and on births after only girls: exactly the
    two calls of `monitoring.alerts.village_findings` (one county = one family)."""
    families = ["county"] * boys.size
    pooled = srb_verdicts(boys, girls, families=families)
    after = srb_verdicts(cell_boys, cell_girls, families=families)
    return np.flatnonzero(pooled.flagged_high), np.flatnonzero(after.flagged_high)


def township_signal_years(
    rng: np.random.Generator, births_per_year: int, srbs: list[float]
) -> set[int]:
    """Years (0-based) in which the township CUSUM of the alert rule signals, for
    births at the given true SRB per year."""
    sexes = np.concatenate(
        [rng.random(births_per_year) < srb_to_p(srb) for srb in srbs]
    )
    result = bernoulli_cusum(
        sexes, reference_srb=DEFAULT_REFERENCE_SRB, h=TOWNSHIP_CUSUM_H
    )
    return {t // births_per_year for t in result.signals}


def false_village_alerts(runs: int, seed: int = SEED) -> float:
    """Mean village alerts (both tests) per null county-year."""
    rng = np.random.default_rng(seed)
    total = 0
    for _ in range(runs):
        county = make_county(rng)
        pooled, after = village_alerts(*year_counts(rng, county.sizes * WINDOW_YEARS))
        total += pooled.size + after.size
    return total / runs


def false_township_alerts(runs: int, seed: int = SEED) -> float:
    """Mean township alerts per null county-year: townships whose CUSUM over the
    5-year window signals in its last year."""
    rng = np.random.default_rng(seed)
    total = 0
    srbs = [DEFAULT_REFERENCE_SRB] * WINDOW_YEARS
    for _ in range(runs):
        county = make_county(rng)
        per_township = np.bincount(county.townships, weights=county.sizes)
        for births in per_township.astype(np.int64):
            total += (WINDOW_YEARS - 1) in township_signal_years(rng, int(births), srbs)
    return total / runs


def naive_village_alerts(runs: int, seed: int = SEED) -> float:
    """Mean villages per null county-year with a one-sided exact p <= FLAG_Q on all
    births, each tested alone: what the flags would be without the error model."""
    rng = np.random.default_rng(seed)
    total = 0
    for _ in range(runs):
        county = make_county(rng)
        boys, girls, _cb, _cg = year_counts(rng, county.sizes * WINDOW_YEARS)
        verdicts = srb_verdicts(boys, girls, families=list(range(boys.size)))
        total += int(verdicts.flagged_high.sum())
    return total / runs


def village_detection(
    runs: int, seed: int = SEED, *, second_after_girl_srb: float = 150.0
) -> float:
    """Share of runs in which the selecting village (60 births a year, second births
    after a girl at SRB 150) is alerted at one of the five yearly evaluations after
    selection starts (each on the last 5 complete years, earlier years normal)."""
    rng = np.random.default_rng(seed)
    detected = 0
    years = 2 * WINDOW_YEARS - 1
    for _ in range(runs):
        county = make_county(rng)
        county.sizes[0] = 60
        per_year = [year_counts(rng, county.sizes) for _ in range(years)]
        for y in range(WINDOW_YEARS - 1, years):
            selecting = year_counts(
                rng, county.sizes[:1], second_after_girl_srb=second_after_girl_srb
            )
            for arr, sel in zip(per_year[y], selecting, strict=True):
                arr[0] = sel[0]
        hit = False
        for end in range(WINDOW_YEARS - 1, years):
            window = [
                sum(per_year[y][k] for y in range(end - WINDOW_YEARS + 1, end + 1))
                for k in range(4)
            ]
            pooled, after = village_alerts(*window)
            if 0 in pooled or 0 in after:
                hit = True
                break
        detected += hit
    return 100.0 * detected / runs


def township_detection(runs: int, seed: int = SEED) -> float:
    """Share of runs in which a township of 20 villages (20–60 births each a year)
    whose SRB becomes 115 is alerted within 3 years: 2 in-control years of the
    window, then 3 years at 115."""
    rng = np.random.default_rng(seed)
    detected = 0
    for _ in range(runs):
        lo, hi = BIRTHS_PER_YEAR
        births = int(rng.integers(lo, hi + 1, size=VILLAGES_PER_TOWNSHIP).sum())
        years = township_signal_years(
            rng, births, [DEFAULT_REFERENCE_SRB] * 2 + [115.0] * 3
        )
        detected += any(y >= 2 for y in years)
    return 100.0 * detected / runs
