"""The OnCalendar subset: parsed as systemd reads it, and previous/following exact."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from srbgov.operations import schedule
from srbgov.operations.registry import JOBS, Job

SPECS = [
    "*-*-* 01:30:00",
    "*-*-* 02:00",
    "*-*-* *:0/15",
    "*-*-* 0/6:05",
    "Mon..Fri *-*-* 08,12,18:00",
    "Sun *-*-* 23:59:00",
    "Sat,Sun *-*-* */2:30",
]
# hypothesis takes naive bounds and adds the zone itself
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def test_it_reads_the_fields_systemd_reads() -> None:
    cal = schedule.parse("Mon..Fri *-*-* 08,12:0/20")
    assert cal.weekdays == frozenset({0, 1, 2, 3, 4})
    assert cal.hours == (8, 12)
    assert cal.minutes == (0, 20, 40)


@pytest.mark.parametrize(
    "bad", ["daily", "*-*-* 25:00", "*-*-* 01:30:15", "Foo *-*-* 01:00", "2024-*-* 1:0"]
)
def test_it_refuses_what_it_cannot_evaluate(bad: str) -> None:
    with pytest.raises(schedule.ScheduleError):
        schedule.parse(bad)


def test_a_daily_job_fired_this_morning_when_asked_in_the_afternoon() -> None:
    cal = schedule.parse("*-*-* 01:30:00")
    at = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    assert schedule.previous(cal, at) == datetime(2026, 3, 4, 1, 30, tzinfo=UTC)
    assert schedule.following(cal, at) == datetime(2026, 3, 5, 1, 30, tzinfo=UTC)
    assert schedule.longest_gap(cal) == timedelta(days=1)


@hypothesis_settings(deadline=None)
@given(spec=st.sampled_from(SPECS), at=moments)
def test_previous_is_the_latest_firing_not_after(spec: str, at: datetime) -> None:
    cal = schedule.parse(spec)
    before = schedule.previous(cal, at)
    assert before <= at
    assert cal.matches(before)
    # nothing fires strictly between it and `at`
    assert schedule.following(cal, before) > at


@hypothesis_settings(deadline=None)
@given(spec=st.sampled_from(SPECS), at=moments)
def test_following_is_the_first_firing_after(spec: str, at: datetime) -> None:
    cal = schedule.parse(spec)
    after = schedule.following(cal, at)
    assert after > at
    assert cal.matches(after)
    assert schedule.previous(cal, after - timedelta(minutes=1)) <= at
    assert after - schedule.previous(cal, at) <= schedule.longest_gap(cal)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
@pytest.mark.parametrize("job", JOBS, ids=lambda j: j.name)
def test_systemd_agrees_on_each_rendered_schedule(job: Job) -> None:
    """systemd accepts the timer's expression (with the zone, as rendered) and names
    the same next firing as srbgov does."""
    rendered = f"{job.on_calendar} {settings.TIME_ZONE}"
    out = subprocess.run(
        ["systemd-analyze", "calendar", rendered],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    ).stdout
    next_elapse = next(
        line.split(":", 1)[1].strip()
        for line in out.splitlines()
        if "Next elapse" in line
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    now = datetime.now(zone)
    ours = schedule.following(job.calendar, now).astimezone(UTC)
    # systemd says e.g. "Wed 2026-12-02 17:30:00 UTC"
    assert ours.strftime("%Y-%m-%d %H:%M:%S UTC") in next_elapse
