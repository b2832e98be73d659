"""Hand-worked schedules under the national basic public health service policy.

LMP 2026-01-01: before 13 weeks = Jan 1..Apr 1 (days 0..90), 16-20 weeks =
Apr 23..May 27 (112..146), 21-24 weeks = May 28..Jun 24 (147..174), 28-36 weeks =
Jul 16..Sep 16 (196..258), 37-40 weeks = Sep 17..Oct 14 (259..286).
"""

from __future__ import annotations

from datetime import date

from srbgov.schedules import NATIONAL, Schedule, compute_schedule

LMP = date(2026, 1, 1)


def rows(schedule: Schedule) -> list[tuple[str, str, date, date, int, int, int]]:
    return [
        (w.key, w.kind, w.start_on, w.end_on, w.required, w.done, w.due)
        for w in schedule.windows
    ]


def test_pregnancy_registered_at_week_8() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=date(2025, 6, 1),  # no pre-pregnancy rule: ignored
        outcome_on=None,
        visits=[date(2026, 2, 26), date(2026, 4, 25), date(2026, 4, 10)],
        on=date(2026, 6, 1),  # day 151, 21+4 weeks
    )
    assert rows(schedule) == [
        ("anc_before_13w", "pregnancy", date(2026, 1, 1), date(2026, 4, 1), 1, 1, 0),
        ("gap_before_anc_16_20w", "gap", date(2026, 4, 2), date(2026, 4, 22), 0, 1, 0),
        ("anc_16_20w", "pregnancy", date(2026, 4, 23), date(2026, 5, 27), 1, 1, 0),
        ("anc_21_24w", "pregnancy", date(2026, 5, 28), date(2026, 6, 24), 1, 0, 1),
        ("gap_before_anc_28_36w", "gap", date(2026, 6, 25), date(2026, 7, 15), 0, 0, 0),
        ("anc_28_36w", "pregnancy", date(2026, 7, 16), date(2026, 9, 16), 1, 0, 1),
        ("anc_37_40w", "pregnancy", date(2026, 9, 17), date(2026, 10, 14), 1, 0, 1),
    ]
    assert [w.state for w in schedule.windows] == ["past"] * 3 + ["current"] + [
        "future"
    ] * 3
    assert schedule.next_due_on == date(2026, 6, 24)
    assert not schedule.is_overdue
    assert (schedule.total_required, schedule.total_done, schedule.total_due) == (
        5,
        3,
        3,
    )


def test_missed_first_contact_is_overdue() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=[date(2026, 4, 5)],  # 13+5 weeks: in the gap, too late
        on=date(2026, 4, 20),
    )
    assert [w.key for w in schedule.overdue_windows] == ["anc_before_13w"]
    assert schedule.next_due_on == date(2026, 4, 1)
    assert schedule.total_done == 1  # counted in the gap window, which needs nothing


def test_no_pregnancy_means_no_windows_without_a_pre_pregnancy_rule() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=None,
        certificate_on=date(2026, 1, 1),
        outcome_on=None,
        visits=[date(2026, 2, 1)],
        on=date(2026, 3, 1),
    )
    assert schedule.windows == ()


def test_delivery_and_discharge_give_the_postpartum_windows() -> None:
    # Born 2026-10-05 (day 277), discharged 2026-10-08. The 37-40 week window is cut
    # at the birth: ceil(1 x 19 / 28) = 1. The home visit is due in the 7 days after
    # discharge; the 42-day check on days 42..56 after the birth.
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 10, 5),
        discharge_on=date(2026, 10, 8),
        visits=[date(2026, 10, 1), date(2026, 10, 12)],
        on=date(2026, 10, 20),
    )
    assert rows(schedule)[-5:] == [
        ("anc_37_40w", "pregnancy", date(2026, 9, 17), date(2026, 10, 5), 1, 1, 0),
        (
            "gap_before_postpartum_7d",
            "gap",
            date(2026, 10, 6),
            date(2026, 10, 8),
            0,
            0,
            0,
        ),
        ("postpartum_7d", "postpartum", date(2026, 10, 9), date(2026, 10, 15), 1, 1, 0),
        (
            "gap_before_postpartum_42d",
            "gap",
            date(2026, 10, 16),
            date(2026, 11, 15),
            0,
            0,
            0,
        ),
        (
            "postpartum_42d",
            "postpartum",
            date(2026, 11, 16),
            date(2026, 11, 30),
            1,
            0,
            1,
        ),
    ]
    assert schedule.windows[-1].state == "future"


def test_without_a_discharge_date_the_home_visit_follows_the_outcome() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 10, 5),
        visits=[
            date(2026, 2, 1),
            date(2026, 5, 1),
            date(2026, 6, 1),
            date(2026, 8, 1),
            date(2026, 9, 20),
        ],
        on=date(2026, 10, 20),
    )
    assert [w.key for w in schedule.overdue_windows] == ["postpartum_7d"]
    keys = [w.key for w in schedule.windows]
    assert keys[-3:] == ["postpartum_7d", "gap_before_postpartum_42d", "postpartum_42d"]
    home = schedule.windows[-3]
    assert (home.start_on, home.end_on) == (date(2026, 10, 6), date(2026, 10, 12))
    assert home.is_overdue
    assert schedule.next_due_on == date(2026, 10, 12)


def test_early_loss_drops_later_contacts_but_keeps_postpartum_windows() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 4, 15),  # day 104, in the 13-15 week gap
        visits=[],
        on=date(2026, 4, 16),
    )
    assert [(w.key, w.end_on) for w in schedule.windows[:2]] == [
        ("anc_before_13w", date(2026, 4, 1)),
        ("gap_before_postpartum_7d", date(2026, 4, 15)),
    ]
    assert "anc_16_20w" not in {w.key for w in schedule.windows}


def test_past_due_without_outcome_adds_no_window_after_40_weeks() -> None:
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=None,
        visits=[],
        on=date(2026, 11, 1),
    )
    assert schedule.windows[-1].key == "anc_37_40w"
    assert schedule.current_window is None
    assert len(schedule.overdue_windows) == 5


def test_a_very_long_stay_pushes_the_home_visit_after_the_42_day_check() -> None:
    # Discharged 50 days after the birth: the home visit would be days 51..57, the
    # 42-day check days 42..56; the later-starting window starts after the other.
    schedule = compute_schedule(
        NATIONAL,
        lmp_on=LMP,
        certificate_on=None,
        outcome_on=date(2026, 10, 5),
        discharge_on=date(2026, 11, 24),
        visits=[],
        on=date(2026, 10, 20),
    )
    tail = [(w.key, w.start_on, w.end_on) for w in schedule.windows[-3:]]
    assert tail == [
        ("gap_before_postpartum_42d", date(2026, 10, 6), date(2026, 11, 15)),
        ("postpartum_42d", date(2026, 11, 16), date(2026, 11, 30)),
        ("postpartum_7d", date(2026, 12, 1), date(2026, 12, 1)),
    ]
