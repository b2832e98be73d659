"""Hypothesis without per-example deadlines: the first scipy call of a run and a
machine shared by several test runs make timings noise, not a property."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("srbgov-stats", deadline=None)
settings.load_profile("srbgov-stats")
