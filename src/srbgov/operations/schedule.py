"""The subset of systemd's OnCalendar syntax the job registry uses, evaluated in Python.

One schedule string serves both sides: systemd fires the timer from it
(deploy/systemd/srbgov-job-*.timer), and srbgov reads it to tell whether a job is due
(`run_job --all-due`) or was missed (the administrator's page). Only what the registry
needs is accepted, so the two readings cannot disagree on anything exotic:

    [WEEKDAYS ]*-*-* HOURS:MINUTES[:00]

WEEKDAYS is a comma list of Mon..Sun names or ranges (``Mon..Fri``); HOURS and MINUTES
are each ``*``, a number, a comma list, or ``start/step`` (``*/15``, ``0/15``). Seconds,
if written, must be 00. Pure: no Django (docs/operations.md, "Schedules").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SPEC = re.compile(
    r"^(?:(?P<dow>[A-Za-z.,]+)\s+)?\*-\*-\*\s+(?P<h>[0-9*/,]+):(?P<m>[0-9*/,]+)(?::00)?$"
)


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Calendar:
    """A parsed schedule: the weekdays (0 = Monday), hours and minutes it fires at."""

    text: str
    weekdays: frozenset[int]
    hours: tuple[int, ...]
    minutes: tuple[int, ...]

    def matches(self, moment: datetime) -> bool:
        return (
            moment.weekday() in self.weekdays
            and moment.hour in self.hours
            and moment.minute in self.minutes
        )


def _field(text: str, limit: int, spec: str) -> tuple[int, ...]:
    values: set[int] = set()
    for part in text.split(","):
        if part == "*":
            values.update(range(limit))
        elif "/" in part:
            start, _, step = part.partition("/")
            first = 0 if start == "*" else _number(start, limit, spec)
            if not step.isdigit() or int(step) == 0:
                raise ScheduleError(f"bad step in {spec!r}")
            values.update(range(first, limit, int(step)))
        else:
            values.add(_number(part, limit, spec))
    return tuple(sorted(values))


def _number(text: str, limit: int, spec: str) -> int:
    if not text.isdigit() or int(text) >= limit:
        raise ScheduleError(f"value {text!r} out of range in {spec!r}")
    return int(text)


def _weekdays(text: str | None, spec: str) -> frozenset[int]:
    if text is None:
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("..")
        try:
            a = WEEKDAYS.index(first)
            b = WEEKDAYS.index(last) if last else a
        except ValueError:
            raise ScheduleError(f"bad weekday in {spec!r}") from None
        if b < a:
            raise ScheduleError(f"backwards weekday range in {spec!r}")
        days.update(range(a, b + 1))
    return frozenset(days)


def parse(spec: str) -> Calendar:
    """Parse a schedule; raises ScheduleError for anything outside the subset."""
    found = _SPEC.match(spec.strip())
    if found is None:
        raise ScheduleError(f"unsupported OnCalendar expression {spec!r}")
    return Calendar(
        text=spec.strip(),
        weekdays=_weekdays(found["dow"], spec),
        hours=_field(found["h"], 24, spec),
        minutes=_field(found["m"], 60, spec),
    )


def previous(calendar: Calendar, at: datetime) -> datetime:
    """The latest firing at or before `at` (same tzinfo as `at`, seconds zeroed).

    Walks back day by day (at most a week), so the cost is bounded whatever the schedule.
    Wall-clock arithmetic: across a DST change a firing may be an hour off, which the
    grace period absorbs (China has no DST).
    """
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    for back in range(8):
        date_start = day - timedelta(days=back)
        if date_start.weekday() not in calendar.weekdays:
            continue
        for hour in reversed(calendar.hours):
            for minute in reversed(calendar.minutes):
                moment = date_start.replace(hour=hour, minute=minute)
                if moment <= at:
                    return moment
    raise ScheduleError(f"{calendar.text!r} never fires")  # pragma: no cover


def following(calendar: Calendar, at: datetime) -> datetime:
    """The first firing strictly after `at`."""
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    for ahead in range(8):
        date_start = day + timedelta(days=ahead)
        if date_start.weekday() not in calendar.weekdays:
            continue
        for hour in calendar.hours:
            for minute in calendar.minutes:
                moment = date_start.replace(hour=hour, minute=minute)
                if moment > at:
                    return moment
    raise ScheduleError(f"{calendar.text!r} never fires")  # pragma: no cover


@cache
def longest_gap(calendar: Calendar) -> timedelta:
    """The longest time between two firings (the job's period, for the missed-run rule)."""
    start = datetime(
        2024, 1, 1, tzinfo=UTC
    )  # a Monday: one full week covers every pattern
    moment = previous(calendar, start)
    gap = timedelta(0)
    while moment < start + timedelta(days=7):
        nxt = following(calendar, moment)
        gap = max(gap, nxt - moment)
        moment = nxt
    return gap
