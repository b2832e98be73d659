"""The simulated false-alarm and detection figures the statistics pages quote.

`bench/bench_srb_sim.py` runs the alert rule's own functions (`srbgov.stats.simulation`)
on seeded counties and writes what it found to `calibration.json` beside this module:
the four figures, the run counts, the seed and the date. The pages read the file, so the
sentence "how often it would appear by chance" quotes what the simulation measured, not
a number kept by hand; `monitoring/tests/test_calibration.py` re-runs a small seeded
simulation and checks that it agrees with the file within its sampling error
(docs/statistics.md, "Simulation and bench figures").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Rates as the simulation measured them: false alerts per county-year (a mean
    count), detection in percent of runs."""

    village_false_per_county_year: float
    township_false_per_county_year: float
    village_detection_pct: float
    township_detection_pct: float
    runs: int  # null county-years behind each false-alert rate
    detection_runs: int  # runs behind each detection share
    seed: int
    measured_on: str  # ISO date of the bench run
    source: str = "bench/bench_srb_sim.py"

    # The pages print the rates as the bench line does: three decimals for the
    # false alerts (they are near 0.01), one for the percentages.
    @property
    def village_false_text(self) -> str:
        return f"{self.village_false_per_county_year:.3f}"

    @property
    def township_false_text(self) -> str:
        return f"{self.township_false_per_county_year:.3f}"

    @property
    def village_detection_text(self) -> str:
        return f"{self.village_detection_pct:.1f}"

    @property
    def township_detection_text(self) -> str:
        return f"{self.township_detection_pct:.1f}"


def read(path: Path = PATH) -> Calibration:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(**data)


@cache
def current() -> Calibration:
    """The figures in the repository's file (read once per process)."""
    return read()


def write(calibration: Calibration, path: Path = PATH) -> None:
    path.write_text(
        json.dumps(asdict(calibration), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
