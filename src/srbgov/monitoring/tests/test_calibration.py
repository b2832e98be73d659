"""The figures the pages quote come from the simulation that bench/bench_srb_sim.py
ran, and a fresh small seeded run of the same simulation agrees with them."""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.urls import reverse

from srbgov.monitoring import calibration
from srbgov.stats import simulation
from srbgov.testing import BaseTestCase

FIGURES = calibration.current()


def agrees(rate: float, runs: int, fresh: float, fresh_runs: int) -> bool:
    """Two estimates of one rate agree within four standard errors (binomial for a
    share; Poisson for a mean count per county-year, with variance at least the
    one of a single event in the smaller run, so that a rate of 0 is not exact)."""
    pooled = max((rate * runs + fresh * fresh_runs) / (runs + fresh_runs), 0.0)
    var = max(pooled, 1.0 / fresh_runs) * (1.0 / runs + 1.0 / fresh_runs)
    return abs(rate - fresh) <= 4.0 * math.sqrt(var)


def test_the_file_says_where_its_figures_come_from() -> None:
    raw = json.loads(calibration.PATH.read_text(encoding="utf-8"))
    assert raw["source"] == "bench/bench_srb_sim.py"
    assert FIGURES.runs >= 1000 and FIGURES.detection_runs >= 100
    assert FIGURES.seed == simulation.SEED
    assert FIGURES.village_false_per_county_year <= 0.05  # the stated goal


def test_the_agreement_check_can_fail() -> None:
    assert agrees(0.032, 2000, 0.04, 150)
    assert not agrees(0.032, 2000, 0.5, 150)
    assert not agrees(0.6, 500, 30.0, 40)  # percentages: a hand-typed 30 % fails


def test_a_fresh_seeded_simulation_agrees_with_the_file() -> None:
    seed = FIGURES.seed + 1  # independent of the bench's runs
    runs = 80
    false_villages = simulation.false_village_alerts(runs, seed)
    assert agrees(
        FIGURES.village_false_per_county_year, FIGURES.runs, false_villages, runs
    )
    false_towns = simulation.false_township_alerts(runs, seed)
    assert agrees(
        FIGURES.township_false_per_county_year, FIGURES.runs, false_towns, runs
    )
    detect = 20
    village = simulation.village_detection(detect, seed) / 100.0
    assert agrees(
        FIGURES.village_detection_pct / 100.0, FIGURES.detection_runs, village, detect
    )
    town = simulation.township_detection(detect, seed) / 100.0
    assert agrees(
        FIGURES.township_detection_pct / 100.0, FIGURES.detection_runs, town, detect
    )


def test_write_and_read_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    calibration.write(FIGURES, path)
    assert calibration.read(path) == FIGURES


class PagesQuoteTheFileTests(BaseTestCase):
    def test_the_ranking_and_overview_quote_the_file(self) -> None:
        self.login(self.xian)
        window = {"period": "window", "year": "2025"}
        villages = self.client.get(reverse("monitoring:villages"), window)
        text = villages.content.decode()
        assert f"模拟 {FIGURES.runs} 个县年" in text
        assert f"只偶然出现 {FIGURES.village_false_text} 个" in text
        assert f"只有 {FIGURES.village_detection_text}%" in text
        overview = self.client.get(reverse("monitoring:overview"), window)
        text = overview.content.decode()
        assert f"只偶然报警 {FIGURES.township_false_text} 次" in text
        assert f"约 {FIGURES.township_detection_text}%" in text
