"""Who reaches the jobs pages. Jobs are installation-wide and hold no area data or
personal data, so the rule is by role alone (docs/operations.md, "Who sees what")."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from srbgov.accounts import roles
from srbgov.operations.registry import BY_NAME, Job

can_see_jobs = roles.can_see_jobs


def can_read_job_messages(user: Any) -> bool:
    """A run's message counts rows of the whole installation: administrators only."""
    return roles.can_manage_users(user)


def get_job_for_user(user: Any, name: str) -> Job:
    job = BY_NAME.get(name)
    if job is None or not can_see_jobs(user):
        raise Http404
    return job


def get_startable_job_for_user(user: Any, name: str) -> Job:
    job = get_job_for_user(user, name)
    if not job.may_start(user):
        raise Http404
    return job
