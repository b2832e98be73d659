"""Gestational age and calendar helpers (pure date arithmetic).

Gestational age counts from the first day of the last menstrual period (LMP, day 0);
the due date is LMP + 280 days (Naegele's rule, as in ``Pregnancy.due_on``, docs/design.md §4).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

GESTATION_DAYS = 280
ONE_DAY = timedelta(days=1)


def due_date(lmp_on: date) -> date:
    """Expected date of delivery: LMP + 280 days (40 weeks + 0 days)."""
    return lmp_on + timedelta(days=GESTATION_DAYS)


def gestational_day(lmp_on: date, on: date) -> int:
    """Days since the LMP (day 0 is the LMP itself; negative before it)."""
    return (on - lmp_on).days


def gestational_week(lmp_on: date, on: date) -> int:
    """Completed weeks of gestation on ``on`` (16+6 weeks gives 16).

    Raises ``ValueError`` when ``on`` is before the LMP.
    """
    days = gestational_day(lmp_on, on)
    if days < 0:
        raise ValueError("on is before the last menstrual period")
    return days // 7


def gestational_month(lmp_on: date, on: date) -> int:
    """The 28-day gestational month ``on`` falls in, counted from 1.

    Month 4 ends on day 111, i.e. at 16 weeks, matching the rule that a pregnancy is
    registered within 4 months (16 weeks) of gestation (docs/design.md §5). Raises
    ``ValueError`` when ``on`` is before the LMP.
    """
    return gestational_week(lmp_on, on) // 4 + 1


def month_start(day: date) -> date:
    """First day of the calendar month of ``day``."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """Last day of the calendar month of ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: date) -> int:
    """Number of days in the calendar month of ``day``."""
    return calendar.monthrange(day.year, day.month)[1]
