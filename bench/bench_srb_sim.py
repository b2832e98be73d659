"""The SRB alert rule simulated (`srbgov.stats.simulation`): false alerts in a county
with no selection, and detection of a selecting village and township.

No database: runs alone with `.venv/bin/python -m bench bench_srb_sim` (and in
`make bench`). Runs: SRBGOV_BENCH_SIM_RUNS (default 2000 null county-years; a quarter
of that for each detection line). Seeded: the same figures every time.
"""

from __future__ import annotations

import os


def report(name: str, value: float, unit: str, runs: int) -> None:
    """As bench.timing.report, with three decimals (the rates are near 0.01)."""
    print(f"{name}: {value:.3f} {unit} ({runs} runs)", flush=True)


def run() -> None:
    from srbgov.stats import simulation

    runs = int(os.environ.get("SRBGOV_BENCH_SIM_RUNS", "2000"))
    detect = max(1, runs // 4)
    report(
        "srb_false_village_alerts_null",
        simulation.false_village_alerts(runs),
        "per county-year",
        runs,
    )
    report(
        "srb_false_township_alerts_null",
        simulation.false_township_alerts(runs),
        "per county-year",
        runs,
    )
    report(
        "srb_detection_village_after_girls",
        simulation.village_detection(detect),
        "%",
        detect,
    )
    report("srb_detection_township", simulation.township_detection(detect), "%", detect)
