"""The runner: every run recorded, no overlap, failures and missed runs alerted."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase

from srbgov.operations import runner
from srbgov.operations.models import JobRun, OpsAlert, OpsAlertKind, Outcome
from srbgov.operations.registry import BY_NAME, JOBS, Job
from srbgov.testing import AuditSafeTransactionTestCase, Personas

# 04:00 in Asia/Shanghai on 2026-06-10: after every nightly slot but clearsessions.
MORNING = datetime(2026, 6, 9, 20, 0, tzinfo=UTC)

BROKEN = Job(
    name="broken", label="broken", command="raise_srb_alerts", on_calendar="*-*-* 05:00"
)
ABSENT = Job(
    name="absent", label="absent", command="no_such_command", on_calendar="*-*-* 05:00"
)


class RunnerTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def test_it_records_a_successful_run_with_the_commands_summary(self) -> None:
        result = runner.run_job(name="raise_alerts", by=self.xian)
        run = JobRun.objects.get()
        assert result.run == run
        assert run.outcome == Outcome.SUCCEEDED
        assert run.triggered_by == self.xian
        assert run.finished_at is not None and run.duration is not None
        assert "新预警" in run.message

    def test_a_failing_job_is_a_failed_run_and_an_ops_alert(self) -> None:
        with (
            mock.patch.dict(BY_NAME, {"broken": BROKEN}),
            mock.patch(
                "srbgov.monitoring.management.commands.raise_srb_alerts.raise_srb_alerts",
                side_effect=RuntimeError("database went away"),
            ),
        ):
            runner.run_job(name="broken")
        run = JobRun.objects.get(job="broken")
        assert run.outcome == Outcome.FAILED
        assert run.message == "RuntimeError: database went away"
        alert = OpsAlert.objects.get(job="broken", closed_at__isnull=True)
        assert alert.kind == OpsAlertKind.FAILED
        # the next successful run closes it
        with mock.patch.dict(BY_NAME, {"broken": BROKEN}):
            runner.run_job(name="broken")
        assert not OpsAlert.objects.filter(closed_at__isnull=True).exists()

    def test_a_command_not_installed_is_reported_cleanly(self) -> None:
        with mock.patch.dict(BY_NAME, {"absent": ABSENT}):
            result = runner.run_job(name="absent")
        assert result.run is not None
        assert result.run.outcome == Outcome.UNAVAILABLE
        assert "命令不可用：no_such_command" in result.run.message
        assert OpsAlert.objects.filter(job="absent", kind="failed").count() == 1

    def test_failing_twice_keeps_one_open_alert(self) -> None:
        with mock.patch.dict(BY_NAME, {"absent": ABSENT}):
            runner.run_job(name="absent")
            runner.run_job(name="absent")
        assert JobRun.objects.filter(job="absent").count() == 2
        assert OpsAlert.objects.filter(job="absent").count() == 1

    def test_a_run_in_progress_makes_the_second_one_skip(self) -> None:
        JobRun.objects.create(job="raise_alerts")  # RUNNING, just started
        result = runner.run_job(name="raise_alerts")
        assert result.skipped
        assert JobRun.objects.filter(job="raise_alerts").count() == 1

    def test_a_run_dead_past_its_timeout_is_abandoned_and_the_job_claimed(
        self,
    ) -> None:
        job = BY_NAME["raise_alerts"]
        dead = JobRun.objects.create(
            job=job.name, started_at=datetime.now(UTC) - job.timeout - timedelta(1)
        )
        result = runner.run_job(name=job.name)
        dead.refresh_from_db()
        assert dead.outcome == Outcome.ABANDONED
        assert result.run is not None and result.run.outcome == Outcome.SUCCEEDED

    def test_every_job_is_missed_on_a_server_where_no_timer_ever_ran(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            missed = runner.check_missed()
        assert missed == [job.name for job in JOBS]
        assert OpsAlert.objects.filter(kind=OpsAlertKind.MISSED).count() == len(JOBS)
        assert "2026-06-10 01:30" in OpsAlert.objects.get(job="raise_alerts").message

    def test_a_job_that_ran_after_its_slot_is_neither_due_nor_missed(self) -> None:
        job = BY_NAME["raise_alerts"]
        slot = datetime(2026, 6, 9, 17, 30, tzinfo=UTC)  # 01:30 in Shanghai
        JobRun.objects.create(job=job.name, started_at=slot, outcome=Outcome.SUCCEEDED)
        with time_machine.travel(MORNING, tick=False):
            assert not runner.is_due(job, MORNING)
            assert not runner.is_missed(job, MORNING)
        # the next evening, before the slot: still fine; the morning after: missed
        assert not runner.is_missed(job, MORNING + timedelta(hours=20))
        assert runner.is_missed(job, MORNING + timedelta(days=1))

    def test_a_job_is_missed_only_after_its_grace(self) -> None:
        job = BY_NAME["raise_alerts"]
        slot = datetime(2026, 6, 9, 17, 30, tzinfo=UTC)
        JobRun.objects.create(
            job=job.name, started_at=slot - timedelta(days=1), outcome="succeeded"
        )
        assert runner.is_due(job, slot + timedelta(minutes=5))
        assert not runner.is_missed(job, slot + job.grace - timedelta(minutes=1))
        assert runner.is_missed(job, slot + job.grace + timedelta(minutes=1))

    def test_missed_alert_closes_when_the_job_runs(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            runner.check_missed()
            runner.run_job(name="raise_alerts")
            runner.check_missed()
        assert not OpsAlert.objects.filter(
            job="raise_alerts", closed_at__isnull=True
        ).exists()
        assert OpsAlert.objects.filter(
            job="backup", closed_at__isnull=True, kind="missed"
        ).exists()

    def test_all_due_runs_the_due_jobs_once(self) -> None:
        only = (BY_NAME["raise_alerts"], BY_NAME["clearsessions"])
        with (
            mock.patch.object(runner, "JOBS", only),
            time_machine.travel(MORNING, tick=False),
        ):
            first = runner.run_due()
            second = runner.run_due()
        assert [name for name, _ in first] == ["raise_alerts", "clearsessions"]
        assert second == []

    def test_the_command_lists_runs_and_fails_like_the_job(self) -> None:
        call_command("run_job", "clearsessions", stdout=(out := _Buffer()))
        assert "clearsessions: 成功" in out.text
        call_command("run_job", "--list", stdout=(listing := _Buffer()))
        assert all(job.name in listing.text for job in JOBS)

    def test_the_command_fails_when_the_job_did_not_succeed(self) -> None:
        with (
            mock.patch.dict(BY_NAME, {"absent": ABSENT}),
            pytest.raises(CommandError, match="有任务未成功"),
        ):
            call_command("run_job", "absent", stdout=_Buffer())
        assert JobRun.objects.get(job="absent").outcome == Outcome.UNAVAILABLE


class _Buffer:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
)
class ConcurrentClaimTests(AuditSafeTransactionTestCase):
    def test_two_processes_claiming_at_once_get_one_run(self) -> None:
        job = BY_NAME["clearsessions"]
        barrier = threading.Barrier(4)
        claimed: list[JobRun | None] = []

        def claim() -> None:
            barrier.wait()
            try:
                claimed.append(runner._claim(job, by=None, now=datetime.now(UTC)))
            finally:
                connection.close()

        threads = [threading.Thread(target=claim) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(1 for c in claimed if c is not None) == 1
        assert JobRun.objects.filter(job=job.name, outcome="running").count() == 1
