"""The one way views reach import jobs: declarations over the scope primitive
(srbgov.core.scope, docs/access.md). A job belongs to the area of the user who
uploaded it; another township's officer gets 404 on its page and its report."""

from __future__ import annotations

from django.db.models import QuerySet

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_import, is_facility_clerk
from srbgov.core.http import require
from srbgov.core.scope import get_for_user
from srbgov.exchange.kinds import kinds_for
from srbgov.exchange.models import ImportJob


def jobs_for_user(user: User) -> QuerySet[ImportJob]:
    """The jobs of the user's area, of the kinds the user may import: a job's file
    and error report are that register's rows (docs/import.md §3). A facility
    clerk sees only her own jobs: two clerks of one township keep two facilities'
    registers, and neither opens the other's file (docs/import.md §1a)."""
    require(can_import, user)
    slugs = [kind.slug for kind in kinds_for(user)]
    jobs = ImportJob.objects.visible_to(user).filter(kind__in=slugs).defer("plan")
    if is_facility_clerk(user):
        jobs = jobs.filter(created_by=user)
    return jobs


def get_job_for_user(user: User, pk: object, *, log_read: bool = True) -> ImportJob:
    jobs = jobs_for_user(user).select_related("source", "created_by", "area")
    return get_for_user(jobs, user, pk, log_read=log_read)
