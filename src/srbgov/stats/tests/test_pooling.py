from __future__ import annotations

import pytest

from srbgov.stats import rolling_pool, srb_estimate


def test_three_year_windows_pool_counts_not_ratios() -> None:
    counts = {2019: (10, 10), 2020: (30, 10), 2021: (20, 20), 2022: (12, 8)}
    pooled = rolling_pool(counts, window=3)
    assert [(p.start_year, p.end_year) for p in pooled] == [(2019, 2021), (2020, 2022)]
    first = pooled[0].estimate
    assert (first.boys, first.girls, first.births) == (60, 40, 100)
    assert first.srb == 150.0  # the mean of yearly ratios would be 133.3
    assert first == srb_estimate(60, 40)
    assert pooled[1].estimate.srb == pytest.approx(100 * 62 / 38)
    assert all(p.complete for p in pooled)


def test_missing_years_make_a_window_incomplete() -> None:
    pooled = rolling_pool({2015: (5, 5), 2017: (7, 3), 2019: (1, 1)}, window=5)
    assert len(pooled) == 1
    only = pooled[0]
    assert only.years == (2015, 2017, 2019)
    assert not only.complete
    assert only.estimate.births == 22


def test_short_series_and_bad_window() -> None:
    assert rolling_pool({2020: (1, 1)}, window=3) == ()
    assert rolling_pool({}, window=3) == ()
    with pytest.raises(ValueError):
        rolling_pool({2020: (1, 1)}, window=0)
