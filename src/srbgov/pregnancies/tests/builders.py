"""Builders for follow-up tests (imported only by tests)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.people.models import Woman
from srbgov.pregnancies.models import Pregnancy, PregnancyStatus, Visit
from srbgov.schedules import due_date


def make_pregnancy(
    *,
    by: User,
    woman: Woman,
    lmp_on: date | None = None,
    weeks: int = 10,
    registered_on: date | None = None,
    visits: list[date] | None = None,
) -> Pregnancy:
    """A pregnancy written straight to the table (as an import would), with dates
    that services refuse today (e.g. long past its due date); schedule state is left
    unchecked for the nightly run."""
    today = timezone.localdate()
    lmp_on = lmp_on or today - timedelta(weeks=weeks)
    pregnancy = Pregnancy.objects.create(
        woman=woman,
        village=woman.village,
        status=PregnancyStatus.PREGNANT,
        registered_on=registered_on or lmp_on + timedelta(weeks=8),
        pregnancy_registered_on=registered_on or lmp_on + timedelta(weeks=8),
        lmp_on=lmp_on,
        due_on=due_date(lmp_on),
        registered_week=8,
        birth_order=1,
        responsible_persons="王芳、李娟",
        registered_by=by,
    )
    for day in visits or []:
        Visit.objects.create(
            pregnancy=pregnancy,
            visited_on=day,
            visitors="王芳、李娟",
            mode="home",
            finding="pregnant",
            recorded_by=by,
        )
    return pregnancy
