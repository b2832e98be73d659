"""Who reaches the jobs pages, and what each role sees of them (docs/operations.md,
"Who sees what").

Jobs and their runs are installation-wide: one database, one set of timers, and a run of
the nightly rules covers every county. So the rule is by role, narrowed by what a role
has to do with the job: the administrator operates the installation and sees every job,
its runs' messages (row counts of the whole installation) and every operations alert; a
county officer sees only the nightly rules that fill their county's queues, the alerts
about those, and who started a run only when that person works in the officer's own
county (a name from another county is someone else's personal data). Every other role
gets 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.operations.models import JobRun, OpsAlert
from srbgov.operations.registry import BY_NAME, JOBS, Job

can_see_jobs = roles.can_see_jobs


def is_operator(user: Any) -> bool:
    """The installation's operator: the administrator role."""
    return roles.can_manage_users(user)


def can_read_job_messages(user: Any) -> bool:
    """A run's message counts rows of the whole installation: administrators only."""
    return is_operator(user)


def may_see_job(user: Any, job: Job) -> bool:
    if not can_see_jobs(user):
        return False
    return is_operator(user) or job.for_counties


def visible_jobs(user: Any) -> list[Job]:
    return [job for job in JOBS if may_see_job(user, job)]


def visible_alerts(user: Any, alerts: Iterable[OpsAlert]) -> list[OpsAlert]:
    names = {job.name for job in visible_jobs(user)}
    return [alert for alert in alerts if alert.job in names]


def starter_for(user: Any, run: JobRun) -> str:
    """Who started `run` by hand, as `user` may see it: "" for a timer's run."""
    starter = run.triggered_by
    if starter is None:
        return ""
    own = getattr(user, "area", None)
    if is_operator(user) or (
        own is not None and starter.area is not None and own.contains(starter.area)
    ):
        return str(starter.display_name)
    return _("其他县的用户")


def get_job_for_user(user: Any, name: str) -> Job:
    job = BY_NAME.get(name)
    if job is None or not may_see_job(user, job):
        raise Http404
    return job


def get_startable_job_for_user(user: Any, name: str) -> Job:
    job = get_job_for_user(user, name)
    if not job.may_start(user):
        raise Http404
    return job
