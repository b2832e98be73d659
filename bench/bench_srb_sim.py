"""The SRB alert rule simulated (`srbgov.stats.simulation`): false alerts in a county
with no selection, and detection of a selecting village and township.

No database: runs alone with `.venv/bin/python -m bench bench_srb_sim` (and in
`make bench`). Runs: SRBGOV_BENCH_SIM_RUNS (default 2000 null county-years; a quarter
of that for each detection line). Seeded: the same figures every time.

The figures are also written to src/srbgov/monitoring/calibration.json (runs, seed,
date), which the statistics pages quote; SRBGOV_BENCH_SIM_WRITE=0 leaves the file
alone (e.g. for a quick run with few runs).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def report(name: str, value: float, unit: str, runs: int) -> None:
    """As bench.timing.report, with three decimals (the rates are near 0.01)."""
    print(f"{name}: {value:.3f} {unit} ({runs} runs)", flush=True)


def run() -> None:
    from srbgov.monitoring import calibration
    from srbgov.stats import simulation

    runs = int(os.environ.get("SRBGOV_BENCH_SIM_RUNS", "2000"))
    detect = max(1, runs // 4)
    seed = simulation.SEED
    figures = calibration.Calibration(
        village_false_per_county_year=simulation.false_village_alerts(runs, seed),
        township_false_per_county_year=simulation.false_township_alerts(runs, seed),
        village_detection_pct=simulation.village_detection(detect, seed),
        township_detection_pct=simulation.township_detection(detect, seed),
        runs=runs,
        detection_runs=detect,
        seed=seed,
        measured_on=datetime.now(tz=UTC).date().isoformat(),
    )
    report(
        "srb_false_village_alerts_null",
        figures.village_false_per_county_year,
        "per county-year",
        runs,
    )
    report(
        "srb_false_township_alerts_null",
        figures.township_false_per_county_year,
        "per county-year",
        runs,
    )
    report(
        "srb_detection_village_after_girls",
        figures.village_detection_pct,
        "%",
        detect,
    )
    report("srb_detection_township", figures.township_detection_pct, "%", detect)
    if os.environ.get("SRBGOV_BENCH_SIM_WRITE", "1") != "0":
        calibration.write(figures)
        print(f"# wrote {calibration.PATH}", flush=True)
