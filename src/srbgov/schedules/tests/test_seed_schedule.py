"""Hand-worked schedules under the seed policy (湫坡头镇 plan §四(二)3).

The main example: LMP 2026-01-01 (day 0), so the due date is 2026-10-08 (day 280).
Gestational months are 28 days: months 1-4 = Jan 1..Apr 22 (days 0..111), month 5 =
Apr 23..May 20, month 6 = May 21..Jun 17, month 7 = Jun 18..Jul 15, month 8 =
Jul 16..Aug 12, month 9 = Aug 13..Sep 9, month 10 = Sep 10..Oct 7.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from srbgov.schedules import (
    SEED,
    Schedule,
    compute_schedule,
    due_date,
    gestational_month,
    gestational_week,
)

LMP = date(2026, 1, 1)


def rows(schedule: Schedule) -> list[tuple[str, date, date, int, int, int, str]]:
    return [
        (w.key, w.start_on, w.end_on, w.required, w.done, w.due, w.state)
        for w in schedule.windows
    ]


def test_gestational_helpers() -> None:
    assert due_date(LMP) == date(2026, 10, 8)
    assert gestational_week(LMP, date(2026, 2, 26)) == 8
    assert gestational_week(LMP, date(2026, 4, 22)) == 15  # day 111: 15+6 weeks
    assert gestational_month(LMP, date(2026, 4, 22)) == 4
    assert gestational_month(LMP, date(2026, 4, 23)) == 5  # day 112: 16 weeks
    with pytest.raises(ValueError, match="before"):
        gestational_week(LMP, date(2025, 12, 31))


def test_pregnancy_registered_at_week_8() -> None:
    # Certificate 2025-12-15; registered at week 8 (2026-02-26) with a visit.
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=date(2025, 12, 15),
        outcome_on=None,
        visits=[
            date(2025, 12, 20),
            date(2026, 2, 26),
            date(2026, 3, 20),
            date(2026, 5, 1),
            date(2026, 5, 10),
        ],
        on=date(2026, 5, 25),  # day 144, month 6
    )
    assert rows(schedule) == [
        (
            "pre_pregnancy_2025_12",
            date(2025, 12, 15),
            date(2025, 12, 31),
            1,
            1,
            0,
            "past",
        ),
        ("months_1_4", date(2026, 1, 1), date(2026, 4, 22), 2, 2, 0, "past"),
        ("month_5", date(2026, 4, 23), date(2026, 5, 20), 3, 2, 1, "past"),
        ("month_6", date(2026, 5, 21), date(2026, 6, 17), 3, 0, 3, "current"),
        ("month_7", date(2026, 6, 18), date(2026, 7, 15), 3, 0, 3, "future"),
        ("month_8", date(2026, 7, 16), date(2026, 8, 12), 3, 0, 3, "future"),
        ("month_9", date(2026, 8, 13), date(2026, 9, 9), 4, 0, 4, "future"),
        ("month_10", date(2026, 9, 10), date(2026, 10, 7), 4, 0, 4, "future"),
    ]
    assert [w.key for w in schedule.overdue_windows] == ["month_5"]
    assert schedule.is_overdue
    assert schedule.next_due_on == date(2026, 5, 20)  # overdue: a date before `on`
    assert schedule.current_window is not None
    assert schedule.current_window.key == "month_6"
    assert (schedule.total_required, schedule.total_done, schedule.total_due) == (
        23,
        5,
        18,
    )


def test_catching_up_moves_next_due_to_the_current_month() -> None:
    visits = [date(2026, 2, 1), date(2026, 3, 1)]
    visits += [date(2026, 4, 25), date(2026, 5, 1), date(2026, 5, 18)]
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=visits,
        on=date(2026, 5, 25),
    )
    assert schedule.windows[0].key == "months_1_4"  # no certificate: no pre-pregnancy
    assert not schedule.is_overdue
    assert schedule.next_due_on == date(2026, 6, 17)


def test_two_visits_on_one_day_are_two_visits() -> None:
    day = date(2026, 2, 26)
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=[day, day],
        on=date(2026, 3, 1),
    )
    assert (schedule.windows[0].done, schedule.windows[0].due) == (2, 0)
    assert schedule.next_due_on is None  # months 5.. are future


def test_visits_outside_every_window_count_nowhere() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=date(2025, 12, 15),
        outcome_on=date(2026, 3, 1),
        visits=[date(2025, 12, 14), date(2026, 3, 2), date(2027, 1, 1)],
        on=date(2026, 4, 1),
    )
    assert schedule.total_done == 0


def test_certificate_without_pregnancy_gets_calendar_months_up_to_on() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=None,
        certificate_on=date(2026, 3, 10),
        outcome_on=None,
        visits=[date(2026, 3, 12), date(2026, 5, 2), date(2026, 3, 9)],
        on=date(2026, 5, 15),
    )
    assert rows(schedule) == [
        (
            "pre_pregnancy_2026_03",
            date(2026, 3, 10),
            date(2026, 3, 31),
            1,
            1,
            0,
            "past",
        ),
        ("pre_pregnancy_2026_04", date(2026, 4, 1), date(2026, 4, 30), 1, 0, 1, "past"),
        (
            "pre_pregnancy_2026_05",
            date(2026, 5, 1),
            date(2026, 5, 31),
            1,
            1,
            0,
            "current",
        ),
    ]
    assert schedule.next_due_on == date(2026, 4, 30)
    assert [w.is_overdue for w in schedule.windows] == [False, True, False]


def test_no_certificate_and_no_pregnancy_means_no_windows() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=None,
        certificate_on=None,
        outcome_on=None,
        visits=[date(2026, 1, 1)],
        on=date(2026, 5, 15),
    )
    assert schedule.windows == ()
    assert schedule.next_due_on is None
    assert (schedule.total_required, schedule.total_due) == (0, 0)


def test_pre_pregnancy_months_end_the_day_before_the_lmp() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=date(2026, 3, 10),
        certificate_on=date(2026, 1, 20),
        outcome_on=None,
        visits=[],
        on=date(2026, 4, 1),
    )
    assert [
        (w.key, w.start_on, w.end_on, w.required) for w in schedule.windows[:4]
    ] == [
        ("pre_pregnancy_2026_01", date(2026, 1, 20), date(2026, 1, 31), 1),
        ("pre_pregnancy_2026_02", date(2026, 2, 1), date(2026, 2, 28), 1),
        ("pre_pregnancy_2026_03", date(2026, 3, 1), date(2026, 3, 9), 1),
        ("months_1_4", date(2026, 3, 10), date(2026, 6, 29), 2),  # day 111
    ]


def test_certificate_after_the_lmp_gives_no_pre_pregnancy_window() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=date(2026, 2, 1),
        outcome_on=None,
        visits=[],
        on=date(2026, 3, 1),
    )
    assert schedule.windows[0].key == "months_1_4"


def test_twin_preterm_birth_cuts_the_schedule_and_prorates() -> None:
    # Twins born 2026-08-20, day 231 (33 weeks): month 9 (from Aug 13) covers 8 of
    # its 28 days, so it requires ceil(4 x 8 / 28) = 2; month 10 never starts.
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 8, 20),
        visits=[date(2026, 8, 14), date(2026, 8, 25)],
        on=date(2026, 9, 1),
    )
    last = schedule.windows[-1]
    assert (last.key, last.start_on, last.end_on) == (
        "month_9",
        date(2026, 8, 13),
        date(2026, 8, 20),
    )
    assert (last.required, last.done, last.due, last.is_overdue) == (2, 1, 1, True)
    assert [w.key for w in schedule.windows][-2] == "month_8"


def test_early_miscarriage_keeps_only_the_window_it_falls_in() -> None:
    # Miscarriage on day 50: months 1-4 covers 51 of 112 days: ceil(2 x 51/112) = 1.
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 2, 20),
        visits=[date(2026, 2, 10)],
        on=date(2026, 3, 1),
    )
    assert rows(schedule) == [
        ("months_1_4", date(2026, 1, 1), date(2026, 2, 20), 1, 1, 0, "past"),
    ]
    assert schedule.next_due_on is None


def test_outcome_on_the_last_day_of_a_month_does_not_prorate() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 9, 9),  # day 251, the last day of month 9
        visits=[],
        on=date(2026, 9, 9),
    )
    assert (schedule.windows[-1].key, schedule.windows[-1].required) == ("month_9", 4)


def test_past_due_pregnancy_without_outcome_keeps_monthly_windows() -> None:
    on = date(2026, 11, 10)  # day 313, past the due date (Oct 8) by 33 days
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=[date(2026, 10, 20)],
        on=on,
    )
    assert rows(schedule)[-3:] == [
        ("month_10", date(2026, 9, 10), date(2026, 10, 7), 4, 0, 4, "past"),
        ("month_11", date(2026, 10, 8), date(2026, 11, 4), 4, 1, 3, "past"),
        ("month_12", date(2026, 11, 5), date(2026, 12, 2), 4, 0, 4, "current"),
    ]
    assert schedule.windows[-2].is_overdue


def test_ongoing_pregnancy_shows_future_windows_until_the_due_date() -> None:
    schedule = compute_schedule(
        SEED,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=[],
        on=date(2025, 12, 1),  # before the LMP: everything is future
    )
    assert schedule.windows[-1].end_on == date(2026, 10, 7)
    assert {w.state for w in schedule.windows} == {"future"}
    assert schedule.next_due_on is None


@pytest.mark.parametrize(
    ("lmp_on", "outcome_on", "discharge_on"),
    [
        (None, date(2026, 3, 1), None),  # an outcome without a pregnancy
        (LMP, date(2025, 12, 31), None),  # an outcome before the LMP
        (LMP, None, date(2026, 3, 1)),  # a discharge without an outcome
        (LMP, date(2026, 3, 1), date(2026, 2, 28)),  # discharged before the outcome
    ],
)
def test_impossible_dates_are_rejected(
    lmp_on: date | None, outcome_on: date | None, discharge_on: date | None
) -> None:
    with pytest.raises(ValueError, match="needs"):
        compute_schedule(
            SEED,
            lmp_on=lmp_on,
            certificate_on=None,
            outcome_on=outcome_on,
            discharge_on=discharge_on,
            visits=[],
            on=LMP,
        )


def test_a_pregnancy_open_for_decades_stays_linear_and_small() -> None:
    # Sanity, not a benchmark: the nightly job runs this for ~20,000 pregnancies.
    # LMP 2000-01-01, never closed, evaluated on 2026-01-01 (day 9497): months_1_4,
    # months 5-8, then 28-day months from day 224 while they start by day 9497,
    # i.e. 9273 // 28 + 1 = 332 of them; the last runs days 9492..9519.
    lmp = date(2000, 1, 1)
    visits = [lmp + timedelta(days=2 * n) for n in range(5000)]
    schedule = compute_schedule(
        SEED,
        lmp_on=lmp,
        certificate_on=None,
        outcome_on=None,
        visits=visits,
        on=date(2026, 1, 1),
    )
    assert len(schedule.windows) == 1 + 4 + 332
    assert schedule.windows[-1].key == "month_340"
    assert schedule.windows[-1].end_on == lmp + timedelta(days=9519)
    assert schedule.total_done == 4760  # even days 0..9518
