"""The incomplete beta computed a slice per core (`_dist._sliced`): the same values as
one call, in any shape, and still working in a process forked after the pool was made
(a gunicorn worker)."""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.stats import _dist
from srbgov.stats._dist import _special, beta_sf_array, betainc_array


@settings(max_examples=25, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=3 * _dist._PARALLEL_MIN + 7),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_sliced_betainc_equals_one_call(size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2000.0, size)
    b = rng.uniform(0.5, 2000.0, size)
    x = rng.uniform(0.0, 1.0, size)
    # Bit for bit: each value is the same boost call, only in another thread.
    assert np.array_equal(betainc_array(a, b, x), _special.betainc(a, b, x))


def test_a_big_array_is_really_cut_into_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cores and 20,000 values: the calling thread does one slice, the pool the
    other; the result keeps the input's shape."""
    monkeypatch.setattr(_dist, "_cores", lambda: 2)
    seen: list[tuple[str, int]] = []

    def recording(*args: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        import threading

        seen.append((threading.current_thread().name, args[0].size))
        return np.asarray(_special.betainc(*args, out=out))

    a = np.full((100, 200), 30.0)
    result = _dist._sliced(recording, a, a[::-1], np.full((100, 200), 0.5))
    assert result.shape == (100, 200)
    assert np.allclose(result, 0.5)
    assert sorted(size for _, size in seen) == [10_000, 10_000]
    assert {name.startswith("srbgov-stats") for name, _ in seen} == {True, False}


def test_a_scalar_bound_broadcasts() -> None:
    a = np.linspace(1.0, 500.0, 3 * _dist._PARALLEL_MIN)
    expected = _special.betainc(a[::-1], a, 1.0 - 0.517)
    assert np.array_equal(beta_sf_array(0.517, a, a[::-1]), expected)


def _in_child(queue: multiprocessing.Queue[float]) -> None:
    a = np.full(3 * _dist._PARALLEL_MIN, 40.0)
    queue.put(float(betainc_array(a, a, np.full(a.size, 0.5)).sum()))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_worker_makes_its_own_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_dist, "_cores", lambda: 2)
    a = np.full(3 * _dist._PARALLEL_MIN, 40.0)
    betainc_array(a, a, np.full(a.size, 0.5))  # the parent's pool exists now
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[float] = context.Queue()
    child = context.Process(target=_in_child, args=(queue,))
    child.start()
    try:
        # Without the fork check the child waits forever on the parent's threads.
        total = queue.get(timeout=30)
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
    assert total == pytest.approx(0.5 * a.size)
