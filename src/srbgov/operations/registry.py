"""The one list of scheduled jobs (定时任务): name, command, schedule, who may start it.

Everything else is derived from this list: the systemd units
(`manage.py render_systemd_units`), what `run_job --all-due` runs, the administrator's
page and its missed-run alerts. Schedules are systemd OnCalendar expressions in the
subset `srbgov.operations.schedule` reads, in the server's TIME_ZONE (the timers carry
the zone explicitly). See docs/operations.md for why each job runs when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from srbgov.accounts import roles
from srbgov.operations import schedule


@dataclass(frozen=True)
class Job:
    name: str
    label: Promise | str
    command: str
    on_calendar: str
    args: tuple[str, ...] = ()
    # A run that has not finished after this long is taken to have died (a killed
    # process cannot mark its own run); a new run may then claim the job.
    timeout: timedelta = timedelta(hours=2)
    # How late a run may start before it counts as missed (timers on a busy or
    # rebooting server start late; systemd's Persistent= catches up after downtime).
    grace: timedelta = timedelta(hours=1)
    may_start: Callable[[Any], bool] = field(default=roles.can_manage_users)
    # Whether a county officer sees the job at all: the nightly rules that fill their
    # county's queues, yes; the installation's housekeeping (backup, audit-chain
    # check, sessions), no: that is the administrator's (docs/operations.md).
    for_counties: bool = False

    @cached_property
    def calendar(self) -> schedule.Calendar:
        return schedule.parse(self.on_calendar)

    @cached_property
    def period(self) -> timedelta:
        """The longest time between two scheduled runs."""
        return schedule.longest_gap(self.calendar)


def _county_officer(user: Any) -> bool:
    return roles.can_edit_srb_policy(user)


# Order: the nightly rules first (they feed the township officers' morning queue),
# then verification of what was written, then the backup of the verified state.
JOBS: tuple[Job, ...] = (
    Job(
        # Before the alerts: a child registered or deceased today re-derives its
        # household's care situation (docs/care.md §1).
        name="refresh_care_households",
        label=_("关爱家庭重新认定"),
        command="refresh_care_households",
        on_calendar="*-*-* 01:00:00",
    ),
    Job(
        # Picks up imports whose worker died with the server (docs/import.md).
        name="run_import_jobs",
        label=_("接续中断的导入"),
        command="run_import_jobs",
        on_calendar="*-*-* *:0/5:00",
    ),
    Job(
        name="raise_alerts",
        label=_("孕情随访预警"),
        command="raise_alerts",
        on_calendar="*-*-* 01:30:00",
        may_start=_county_officer,
        for_counties=True,
    ),
    Job(
        # After the follow-up rules: the patterns across the provider registers read
        # the day's exams, terminations and outcomes (docs/registers.md §3).
        name="raise_register_patterns",
        label=_("跨登记册比对预警"),
        command="raise_register_patterns",
        on_calendar="*-*-* 01:45:00",
        may_start=_county_officer,
        for_counties=True,
    ),
    Job(
        name="raise_srb_alerts",
        label=_("出生性别比预警"),
        command="raise_srb_alerts",
        on_calendar="*-*-* 02:00:00",
        may_start=_county_officer,
        for_counties=True,
    ),
    Job(
        name="verify_audit_chain",
        label=_("审计日志链校验"),
        command="verify_audit_chain",
        on_calendar="*-*-* 02:30:00",
    ),
    Job(
        name="backup",
        label=_("数据库与上传文件备份"),
        command="backup",
        on_calendar="*-*-* 03:00:00",
        args=("--rotate",),
        timeout=timedelta(hours=4),
    ),
    Job(
        # After the backup: deletes uploaded registers of finished imports after
        # the retention period (docs/import.md §4).
        name="sweep_import_files",
        label=_("清理过期的导入文件"),
        command="sweep_import_files",
        on_calendar="*-*-* 04:15:00",
    ),
    Job(
        name="clearsessions",
        label=_("清理过期会话"),
        command="clearsessions",
        on_calendar="*-*-* 04:30:00",
    ),
)

BY_NAME = {job.name: job for job in JOBS}
