"""The public array forms other apps use (providers.rates): the exact upper tail and
the Clopper–Pearson / Jeffreys intervals agree with their scalar definitions."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srbgov.stats import (
    beta_interval_arrays,
    clopper_pearson_interval,
    jeffreys_interval,
    upper_tail_arrays,
)

RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTS = st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def _upper_tail(x: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))


@RELAXED
@given(st.lists(COUNTS, min_size=1, max_size=8), st.floats(0.01, 0.99))
def test_the_upper_tail_is_p_of_at_least_x(
    counts: list[tuple[int, int]], p: float
) -> None:
    x = np.array([c[0] for c in counts], dtype=np.float64)
    n = np.array([c[1] for c in counts], dtype=np.float64)
    tails = upper_tail_arrays(x, n, p)
    for i, (xi, ni) in enumerate(counts):
        assert math.isclose(tails[i], _upper_tail(xi, ni, p), abs_tol=1e-9)


@RELAXED
@given(st.lists(COUNTS, min_size=1, max_size=8))
def test_the_interval_arrays_are_the_scalar_intervals(
    counts: list[tuple[int, int]],
) -> None:
    x = np.array([c[0] for c in counts], dtype=np.float64)
    n = np.array([c[1] for c in counts], dtype=np.float64)
    for jeffreys, scalar in (
        (False, clopper_pearson_interval),
        (True, jeffreys_interval),
    ):
        lower, upper = beta_interval_arrays(x, n, 0.95, jeffreys=jeffreys)
        for i, (xi, ni) in enumerate(counts):
            expected = scalar(xi, ni, 0.95)
            got = (lower[i], upper[i])
            if isinstance(expected, tuple):
                want = expected
            else:
                want = (expected.lower, expected.upper)
            assert np.allclose(got, want, atol=1e-9), (xi, ni, jeffreys)
