"""The state of every job for the operations page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from srbgov.operations import runner, schedule
from srbgov.operations.models import JobRun
from srbgov.operations.registry import JOBS, Job


@dataclass(frozen=True)
class JobState:
    job: Job
    last: JobRun | None
    next_at: datetime
    is_missed: bool

    @property
    def is_failing(self) -> bool:
        return self.last is not None and self.last.outcome not in {
            "succeeded",
            "running",
        }


def job_states(
    now: datetime | None = None, jobs: Sequence[Job] = JOBS
) -> list[JobState]:
    """One row per registered job: its latest run (one query for all), its next time,
    and whether it is missed right now (computed, so it shows even when no runner is
    alive to raise the alert)."""
    now = now or timezone.now()
    latest = JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at", "-id")
    rows = JobRun.objects.filter(pk=Subquery(latest.values("pk")[:1])).select_related(
        "triggered_by"
    )
    last = {run.job: run for run in rows}
    local = timezone.localtime(now)
    return [
        JobState(
            job=job,
            last=last.get(job.name),
            next_at=schedule.following(job.calendar, local),
            is_missed=runner.is_missed(job, now),
        )
        for job in jobs
    ]
