"""The committed systemd units are exactly what the registry renders."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from srbgov.operations import systemd
from srbgov.operations.registry import JOBS

COMMITTED = Path(settings.PROJECT_DIR) / "deploy" / "systemd"


def test_the_committed_units_are_up_to_date() -> None:
    rendered = systemd.render()
    on_disk = {
        p.name: p.read_text(encoding="utf-8") for p in COMMITTED.glob("srbgov-job-*")
    }
    assert on_disk == rendered, (
        "deploy/systemd/ is stale: run `manage.py render_systemd_units` and commit"
    )


def test_every_job_has_a_timer_that_runs_it_through_the_runner() -> None:
    rendered = systemd.render()
    for job in JOBS:
        service = rendered[f"srbgov-job-{job.name}.service"]
        timer = rendered[f"srbgov-job-{job.name}.timer"]
        assert f"manage.py run_job {job.name}\n" in service
        assert f"OnCalendar={job.on_calendar} {settings.TIME_ZONE}\n" in timer
        assert "Persistent=true" in timer


def test_writing_removes_units_of_jobs_no_longer_registered(tmp_path: Path) -> None:
    (tmp_path / "srbgov-job-retired.timer").write_text("old")
    (tmp_path / "unrelated.service").write_text("keep")
    systemd.write(tmp_path, systemd.Layout(root="/srv/x"))
    names = {p.name for p in tmp_path.iterdir()}
    assert "srbgov-job-retired.timer" not in names
    assert "unrelated.service" in names
    assert (
        "WorkingDirectory=/srv/x"
        in (tmp_path / "srbgov-job-backup.service").read_text()
    )
