"""The fast paths of `shrink_groups` (docs/statistics.md, "All villages at province
size") against the slow ones they replace: scipy's beta quantile, the per-township
prior loop and the two-key median sort."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.stats._dist import _special, beta_ppf_array, beta_ppf_fast_array
from srbgov.stats.arrays import (
    _common_prior,
    _group_codes,
    _group_medians,
    _group_sums,
    _rho_from_sums,
    _to_srb,
    shrink_groups,
)
from srbgov.stats.reference import srb_to_p

shapes = st.floats(min_value=0.05, max_value=1e6, allow_nan=False)
tails = st.sampled_from([0.001, 0.005, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.95, 0.975])


def _beta_sd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    total = a + b
    return np.asarray(np.sqrt(a * b / (total * total * (total + 1.0))))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(shapes, shapes), min_size=1, max_size=40), tails)
def test_fast_beta_quantile_equals_scipy(
    pairs: list[tuple[float, float]], q: float
) -> None:
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    fast = beta_ppf_fast_array(q, a, b)
    slow = beta_ppf_array(q, a, b)
    assert fast.shape == slow.shape
    # Within 1e-9 of a standard deviation of the distribution (and of 1e-12 in
    # absolute terms, where scipy's own answer is that coarse).
    assert np.all(np.abs(fast - slow) <= 1e-9 * _beta_sd(a, b) + 1e-12)


def test_fast_beta_quantile_on_a_province_of_posteriors() -> None:
    """20,000 posteriors like the bench's (villages of 30–70 births, a prior of about
    60): the fast path takes them all (no fallback) and matches to 1e-9 per 100 on
    the SRB scale."""
    rng = np.random.default_rng(11)
    births = rng.integers(30, 70, 20_000)
    boys = rng.binomial(births, 0.515)
    a = boys + 31.0 * rng.uniform(0.8, 1.2, births.size)
    b = births - boys + 29.0 * rng.uniform(0.8, 1.2, births.size)
    for q in (0.025, 0.975):
        fast = _to_srb(beta_ppf_fast_array(q, a, b))
        slow = _to_srb(np.asarray(_special.betaincinv(a, b, q)))
        assert np.max(np.abs(fast - slow)) < 1e-9


def test_fast_beta_quantile_falls_back_outside_its_domain() -> None:
    a = np.array([0.5, 1.0, 1.9, 2.0, 1e-3])
    b = np.array([0.5, 3.0, 100.0, 2.0, 5.0])
    for q in (0.0, 0.025, 0.975, 1.0):
        slow = beta_ppf_array(q, a, b)
        assert np.all(np.abs(beta_ppf_fast_array(q, a, b) - slow) <= 1e-12 * slow)


counts = st.integers(min_value=0, max_value=400)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(counts, counts, st.integers(min_value=0, max_value=6)),
        min_size=1,
        max_size=60,
    )
)
def test_shrink_groups_equals_the_per_group_loop(
    units: list[tuple[int, int, int]],
) -> None:
    """The vectorised priors and the fast quantiles give what the loop over
    `_common_prior` and scipy's quantiles gave."""
    boys = np.array([u[0] for u in units], dtype=np.int64)
    girls = np.array([u[1] for u in units], dtype=np.int64)
    groups = np.array([u[2] for u in units], dtype=np.int64)
    result = shrink_groups(boys, girls, groups)

    names, codes = _group_codes(groups)
    sums = _group_sums(boys, girls, codes, len(names))
    rho = _rho_from_sums(sums)
    caps = _group_medians(boys + girls, codes, len(names))
    fallback = srb_to_p(106.3)
    # The priors are made on lookup: the mapping holds every group, and only them.
    assert list(result.priors) == names and len(result.priors) == len(names)
    assert dict(result.priors) == {name: result.priors[name] for name in names}
    for i, name in enumerate(names):
        usable = 0 < sums.boys[i] < sums.births[i]
        mean = float(sums.boys[i] / sums.births[i]) if usable else fallback
        assert result.priors[name] == _common_prior(
            mean, float(caps[i]), rho, not usable
        )
    alpha = np.asarray(
        np.array([result.priors[n].alpha for n in names])[codes] + boys,
        dtype=np.float64,
    )
    beta = np.asarray(
        np.array([result.priors[n].beta for n in names])[codes] + girls,
        dtype=np.float64,
    )
    for mine, q in ((result.lower, 0.025), (result.upper, 0.975)):
        slow = _to_srb(beta_ppf_array(q, alpha, beta))
        assert np.all(np.abs(mine - slow) <= 1e-11 * slow)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**6), st.integers(0, 8)),
        min_size=1,
        max_size=80,
    )
)
def test_group_medians_are_numpy_medians(units: list[tuple[int, int]]) -> None:
    n = np.array([u[0] for u in units], dtype=np.int64)
    names, codes = _group_codes(np.array([u[1] for u in units], dtype=np.int64))
    medians = _group_medians(n, codes, len(names))
    for i in range(len(names)):
        mine = n[(codes == i) & (n > 0)]
        expected = float(np.median(mine)) if mine.size else 1.0
        assert medians[i] == expected
