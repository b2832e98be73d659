"""Compute a woman's visit windows, and what is required, done and due in each.

``compute_schedule`` is pure: a policy, the key dates of one pregnancy, its visit dates
and an evaluation date in; a ``Schedule`` of consecutive windows out. The nightly job
calls it for every open pregnancy (~20,000) and stores ``next_due_on``, so it builds
no object heavier than one small frozen ``Window`` per window; the cost is
O(windows + visits x log windows).

Rules (docs/design.md §5, 湫坡头镇 plan §四(二)3, and the policy docstrings):

* Pre-pregnancy windows are calendar months from the certificate date to the day
  before the LMP, or, with no pregnancy known yet, through the month of ``on``.
* Pregnancy windows follow the policy's rules from the LMP (day 0). With no outcome
  they run through the window containing ``on`` and on to the due date (future windows
  keep their requirements so a timeline can show them); an open-ended rule (the seed's
  "month 9 to delivery") keeps adding periods past the due date while no outcome is
  recorded, so missing visits stay visible.
* With an outcome the pregnancy windows stop at the outcome date (inclusive). The
  window cut short prorates: ceil(required x days covered / days of the window), e.g.
  a seed month of 28 days requiring 4 that is cut after 8 days requires 2.
* Postpartum windows follow the outcome (the policy's postpartum rules). A window
  that would overlap the previous one (a very long hospital stay) starts the day after
  it, keeping at least one day.
* Gaps between windows become ``"gap"`` windows requiring nothing, named
  ``gap_before_<next key>``, so the windows always tile their span.
* A visit counts in the window containing its date; visits outside every window count
  nowhere; two visits on one day are two visits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from .gestation import (
    GESTATION_DAYS,
    ONE_DAY,
    days_in_month,
    gestational_day,
    month_end,
)
from .policy import PostpartumRule, PregnancyRule, PrePregnancyRule, SchedulePolicy

WindowKind = Literal["pre_pregnancy", "pregnancy", "postpartum", "gap"]
WindowState = Literal["past", "current", "future"]


@dataclass(frozen=True, slots=True)
class Window:
    """One window: visits ``required`` between ``start_on`` and ``end_on`` inclusive.

    ``done`` counts visits dated inside it, ``due = max(required - done, 0)``,
    ``state`` places it relative to the evaluation date, and ``is_overdue`` is true
    when it ended before that date with visits still due.
    """

    key: str
    kind: WindowKind
    start_on: date
    end_on: date
    required: int
    done: int
    due: int
    state: WindowState
    is_overdue: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    """The windows of one woman under one policy, evaluated on ``on``.

    ``next_due_on`` is the end date of the earliest window that is current or past
    with visits still due (a date before ``on`` means overdue), or None if none is.
    """

    policy_key: str
    on: date
    windows: tuple[Window, ...]
    next_due_on: date | None

    @property
    def total_required(self) -> int:
        return sum(w.required for w in self.windows)

    @property
    def total_done(self) -> int:
        """Visits counted in some window (visits outside all windows are not)."""
        return sum(w.done for w in self.windows)

    @property
    def total_due(self) -> int:
        return sum(w.due for w in self.windows)

    @property
    def overdue_windows(self) -> tuple[Window, ...]:
        return tuple(w for w in self.windows if w.is_overdue)

    @property
    def is_overdue(self) -> bool:
        return any(w.is_overdue for w in self.windows)

    @property
    def current_window(self) -> Window | None:
        return next((w for w in self.windows if w.state == "current"), None)


class _Spec(NamedTuple):
    key: str
    kind: WindowKind
    start: date
    end: date
    required: int


def compute_schedule(
    policy: SchedulePolicy,
    *,
    lmp_on: date | None,
    certificate_on: date | None,
    outcome_on: date | None,
    discharge_on: date | None = None,
    visits: Iterable[date],
    on: date,
) -> Schedule:
    """The visit windows of one woman under ``policy``, evaluated on ``on``.

    ``lmp_on`` None means no pregnancy yet (pre-pregnancy windows only, if the policy
    has them and ``certificate_on`` is set). Raises ``ValueError`` for impossible
    inputs: an outcome without an LMP or before it, a discharge without an outcome or
    before it.
    """
    _check_dates(lmp_on, outcome_on, discharge_on)
    specs: list[_Spec] = []
    if policy.pre_pregnancy is not None and certificate_on is not None:
        last = month_end(on) if lmp_on is None else lmp_on - ONE_DAY
        specs.extend(_pre_pregnancy(policy.pre_pregnancy, certificate_on, last))
    if lmp_on is not None:
        specs.extend(_pregnancy(policy.pregnancy, lmp_on, outcome_on, on))
        if outcome_on is not None:
            discharged = outcome_on if discharge_on is None else discharge_on
            specs.extend(_postpartum(policy.postpartum, outcome_on, discharged))
    windows = _count(_tile(specs), visits, on)
    next_due_on = next(
        (w.end_on for w in windows if w.due > 0 and w.state != "future"), None
    )
    return Schedule(
        policy_key=policy.key, on=on, windows=windows, next_due_on=next_due_on
    )


def _check_dates(
    lmp_on: date | None, outcome_on: date | None, discharge_on: date | None
) -> None:
    if outcome_on is not None and (lmp_on is None or outcome_on < lmp_on):
        raise ValueError("an outcome needs a last menstrual period on or before it")
    if discharge_on is not None and (outcome_on is None or discharge_on < outcome_on):
        raise ValueError("a discharge needs an outcome on or before it")


def _prorate(required: int, covered: int, length: int) -> int:
    """ceil(required x covered / length), in integers."""
    return -(-required * covered // length)


def _pre_pregnancy(rule: PrePregnancyRule, first: date, last: date) -> Iterator[_Spec]:
    """Calendar-month windows from ``first`` to ``last``; partial months prorate."""
    start = first
    while start <= last:
        end = min(month_end(start), last)
        covered, length = (end - start).days + 1, days_in_month(start)
        yield _Spec(
            key=f"pre_pregnancy_{start.year:04d}_{start.month:02d}",
            kind="pre_pregnancy",
            start=start,
            end=end,
            required=_prorate(rule.per_month, covered, length),
        )
        start = end + ONE_DAY


def _pregnancy(
    rules: Sequence[PregnancyRule], lmp_on: date, outcome_on: date | None, on: date
) -> Iterator[_Spec]:
    """Gestational windows through the outcome, or else through ``on`` and due date."""
    if outcome_on is None:
        cut = None
        horizon = max(gestational_day(lmp_on, on), GESTATION_DAYS - 1)
    else:
        cut = horizon = gestational_day(lmp_on, outcome_on)
    for rule in rules:
        for key, first, last in _spans(rule, horizon):
            required = rule.required
            if cut is not None and last > cut:
                required = _prorate(required, cut - first + 1, last - first + 1)
                last = cut
            yield _Spec(
                key=key,
                kind="pregnancy",
                start=lmp_on + timedelta(days=first),
                end=lmp_on + timedelta(days=last),
                required=required,
            )


def _spans(rule: PregnancyRule, horizon: int) -> Iterator[tuple[str, int, int]]:
    """(key, first day, last day) of the rule's windows starting by ``horizon``."""
    period = rule.period_days
    if period is None:
        if rule.first_day <= horizon:
            last = horizon if rule.last_day is None else rule.last_day
            yield rule.key, rule.first_day, last
        return
    start = rule.first_day
    while start <= horizon and (rule.last_day is None or start <= rule.last_day):
        yield f"{rule.key}_{start // period + 1}", start, start + period - 1
        start += period


def _postpartum(
    rules: Sequence[PostpartumRule], outcome_on: date, discharge_on: date
) -> list[_Spec]:
    """Windows after the outcome, ordered by their start."""
    specs = []
    for rule in rules:
        anchor = discharge_on if rule.anchor == "discharge" else outcome_on
        specs.append(
            _Spec(
                key=rule.key,
                kind="postpartum",
                start=anchor + timedelta(days=rule.first_day),
                end=anchor + timedelta(days=rule.last_day),
                required=rule.required,
            )
        )
    specs.sort(key=lambda s: (s.start, s.end, s.key))
    return specs


def _tile(specs: Iterable[_Spec]) -> list[_Spec]:
    """Fill gaps with ``gap`` windows and push overlapping starts past the previous."""
    tiled: list[_Spec] = []
    for spec in specs:
        if tiled:
            after = tiled[-1].end + ONE_DAY
            if spec.start > after:
                tiled.append(
                    _Spec(
                        key=f"gap_before_{spec.key}",
                        kind="gap",
                        start=after,
                        end=spec.start - ONE_DAY,
                        required=0,
                    )
                )
            elif spec.start < after:
                spec = spec._replace(start=after, end=max(spec.end, after))
        tiled.append(spec)
    return tiled


def _count(specs: list[_Spec], visits: Iterable[date], on: date) -> tuple[Window, ...]:
    """Count visits per window (binary search on starts) and build the windows."""
    starts = [s.start for s in specs]
    done = [0] * len(specs)
    for visit in visits:
        index = bisect_right(starts, visit) - 1
        if index >= 0 and visit <= specs[index].end:
            done[index] += 1
    windows = []
    for spec, count in zip(specs, done, strict=True):
        due = max(spec.required - count, 0)
        state: WindowState = (
            "past" if spec.end < on else "future" if spec.start > on else "current"
        )
        windows.append(
            Window(
                key=spec.key,
                kind=spec.kind,
                start_on=spec.start,
                end_on=spec.end,
                required=spec.required,
                done=count,
                due=due,
                state=state,
                is_overdue=state == "past" and due > 0,
            )
        )
    return tuple(windows)
