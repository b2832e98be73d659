"""The one runner of scheduled jobs: claim, run, record, alert (docs/operations.md).

Every way of starting a job (a systemd timer, `manage.py run_job`, the button on the
operations page) goes through `run_job`, so every run leaves a `JobRun` and two runs
of one job never overlap: the claim is the insert of the job's RUNNING row, which a
partial unique constraint allows once per job (the optimistic lock of healthchecks'
sendreports, done by the database rather than by a read-then-write).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.utils import timezone

from srbgov.operations import schedule
from srbgov.operations.models import JobRun, OpsAlert, OpsAlertKind, Outcome
from srbgov.operations.registry import BY_NAME, JOBS, Job

if TYPE_CHECKING:
    from srbgov.accounts.models import User

logger = logging.getLogger(__name__)

MAX_MESSAGE = 2000
# A timer may fire a little before the minute (systemd's AccuracySec): a run this early
# still counts for the firing.
EARLY = timedelta(minutes=2)


def _claim(job: Job, *, by: User | None, now: datetime) -> JobRun | None:
    """Insert the job's RUNNING row, or return None if another run holds it.

    A RUNNING row older than the job's timeout belongs to a process that died; it is
    closed as abandoned (conditionally, so only one claimer does it) and claimed anew.
    """
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return JobRun.objects.create(
                    job=job.name, started_at=now, triggered_by=by
                )
        except IntegrityError:
            stale = JobRun.objects.filter(
                job=job.name,
                outcome=Outcome.RUNNING,
                started_at__lt=now - job.timeout,
            )
            if not stale.update(
                outcome=Outcome.ABANDONED,
                finished_at=now,
                message="超过最长运行时间仍未结束，视为进程中断。",
            ):
                return None
    return None


def _execute(job: Job) -> tuple[str, str]:
    """Run the job's command in this process; returns (outcome, message)."""
    if job.command not in get_commands():
        return (
            Outcome.UNAVAILABLE,
            f"命令不可用：{job.command}（本系统尚未安装该命令）。",
        )
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=out, stderr=err)
    except Exception as exc:  # a job's failure is recorded, never propagated
        logger.exception("job %s failed", job.name)
        text = str(exc).splitlines()[0] if str(exc) else ""
        return Outcome.FAILED, f"{type(exc).__name__}: {text}"[:MAX_MESSAGE]
    return Outcome.SUCCEEDED, (out.getvalue() + err.getvalue()).strip()[-MAX_MESSAGE:]


@dataclass(frozen=True)
class RunResult:
    run: JobRun | None  # None: another run of the job was in progress

    @property
    def skipped(self) -> bool:
        return self.run is None


def run_job(*, name: str, by: User | None = None) -> RunResult:
    """Run one registered job to the end and record it. Raises KeyError for a name not
    in the registry. Never raises for the job's own failure: that is the run's outcome,
    and an operations alert."""
    job = BY_NAME[name]
    started = timezone.now()
    run = _claim(job, by=by, now=started)
    if run is None:
        return RunResult(run=None)
    outcome, message = _execute(job)
    finished = timezone.now()
    # Conditional: if the run was declared abandoned meanwhile, that verdict stands.
    JobRun.objects.filter(pk=run.pk, outcome=Outcome.RUNNING).update(
        outcome=outcome,
        message=message,
        finished_at=finished,
        duration=finished - started,
    )
    run.refresh_from_db()
    _alert_on(job, run)
    return RunResult(run=run)


def _alert_on(job: Job, run: JobRun) -> None:
    if run.outcome == Outcome.SUCCEEDED:
        OpsAlert.objects.filter(job=job.name, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        return
    started = timezone.localtime(run.started_at)
    raise_ops_alert(
        job=job.name,
        kind=OpsAlertKind.FAILED,
        message=f"{started:%Y-%m-%d %H:%M} 运行{run.get_outcome_display()}：{run.message}",
    )


def raise_ops_alert(*, job: str, kind: OpsAlertKind, message: str) -> bool:
    """Open an operations alert unless one of this job and kind is open. Returns
    whether one was opened; safe from two processes (the partial unique constraint)."""
    if OpsAlert.objects.filter(job=job, kind=kind, closed_at__isnull=True).exists():
        return False
    try:
        with transaction.atomic():
            OpsAlert.objects.create(job=job, kind=kind, message=message[:300])
    except IntegrityError:
        return False
    return True


def last_scheduled(job: Job, now: datetime) -> datetime:
    return schedule.previous(job.calendar, timezone.localtime(now))


def latest_run(job: Job) -> JobRun | None:
    return JobRun.objects.filter(job=job.name).first()


def _ran_since(job: Job, moment: datetime) -> bool:
    return JobRun.objects.filter(job=job.name, started_at__gte=moment - EARLY).exists()


def is_due(job: Job, now: datetime) -> bool:
    """No run has started since the job's latest scheduled time."""
    return not _ran_since(job, last_scheduled(job, now))


def is_missed(job: Job, now: datetime) -> bool:
    """A scheduled time at least `grace` ago passed with no run starting after it.

    Equivalently: the last run is older than the job's period plus its grace (a daily
    job missed once shows the morning after its slot plus an hour)."""
    return not _ran_since(job, last_scheduled(job, now - job.grace))


def check_missed(now: datetime | None = None) -> list[str]:
    """Raise a MISSED alert for each job that did not run in time; returns their names.
    A run of the job (any outcome) closes it: a failed run raises its own alert."""
    now = now or timezone.now()
    missed = []
    for job in JOBS:
        if is_missed(job, now):
            missed.append(job.name)
            slot = last_scheduled(job, now - job.grace)
            raise_ops_alert(
                job=job.name,
                kind=OpsAlertKind.MISSED,
                message=f"计划于 {timezone.localtime(slot):%Y-%m-%d %H:%M} 运行，至今未运行。",
            )
        else:
            OpsAlert.objects.filter(
                job=job.name, kind=OpsAlertKind.MISSED, closed_at__isnull=True
            ).update(closed_at=now)
    return missed


def run_due(*, now: datetime | None = None) -> list[tuple[str, RunResult]]:
    """Run, in registry order, every job due at `now` (for cron users and catch-up)."""
    now = now or timezone.now()
    return [(job.name, run_job(name=job.name)) for job in JOBS if is_due(job, now)]
