"""Adapter between pregnancies and the pure `srbgov.schedules` package.

Turns rows into plain dates, calls `compute_schedule`, and keeps the denormalised
schedule state on `Pregnancy` (`next_due_on`, `overdue_visits`, `absent_findings`,
`last_visit_on`, `schedule_checked_on`) so the worklists are single indexed queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from srbgov.areas.models import Area
from srbgov.pregnancies.models import (
    ABSENT_FINDINGS,
    Pregnancy,
    PregnancyStatus,
    Visit,
)
from srbgov.pregnancies.policies import PolicyResolver, policy_for_village
from srbgov.schedules import Schedule, compute_schedule
from srbgov.schedules import SchedulePolicy as Policy

#: Follow-up ends this many days after the outcome (national policy: 42-day check,
#: days 42–56); after that a pregnancy leaves the worklists.
POSTPARTUM_FOLLOW_DAYS = 60
MAX_SMALL = 32767
STATE_FIELDS = [
    "policy_key",
    "next_due_on",
    "overdue_visits",
    "absent_findings",
    "last_visit_on",
    "schedule_checked_on",
]


@dataclass(frozen=True)
class VisitRow:
    visited_on: date
    finding: str


@dataclass(frozen=True)
class ScheduleState:
    """What is stored on the pregnancy, plus the latest overdue window's end (the
    identity of the current overdue-visit finding)."""

    policy_key: str
    next_due_on: date | None
    overdue_visits: int
    absent_findings: int
    last_visit_on: date | None
    latest_overdue_on: date | None


def is_followed(pregnancy: Pregnancy, on: date) -> bool:
    """Open, or ended less than POSTPARTUM_FOLLOW_DAYS ago (postpartum visits)."""
    if pregnancy.status in (PregnancyStatus.AWAITING, PregnancyStatus.PREGNANT):
        return True
    if pregnancy.status != PregnancyStatus.ENDED:
        return False
    outcome = getattr(pregnancy, "outcome", None)
    return outcome is not None and (on - outcome.occurred_on).days <= (
        POSTPARTUM_FOLLOW_DAYS
    )


def compute_for(
    pregnancy: Pregnancy,
    *,
    policy: Policy,
    visit_dates: Iterable[date],
    on: date,
) -> Schedule:
    """The schedule of one pregnancy under `policy` (outcome and discharge included)."""
    outcome = getattr(pregnancy, "outcome", None)
    ended = outcome is not None and pregnancy.status == PregnancyStatus.ENDED
    return compute_schedule(
        policy,
        lmp_on=pregnancy.lmp_on,
        certificate_on=pregnancy.certificate_on,
        outcome_on=outcome.occurred_on if ended and outcome else None,
        discharge_on=outcome.discharge_on if ended and outcome else None,
        visits=visit_dates,
        on=on,
    )


def state_for(
    pregnancy: Pregnancy,
    *,
    policy: Policy,
    visits: Sequence[VisitRow],
    inherited: Sequence[VisitRow] = (),
    on: date,
) -> ScheduleState:
    """Denormalised state; `inherited` are visits of the record it was handed over
    from (they count in the schedule, not in this record's findings)."""
    own_absent = sum(1 for v in visits if v.finding in ABSENT_FINDINGS)
    last = max((v.visited_on for v in visits), default=None)
    if not is_followed(pregnancy, on):
        return ScheduleState(policy.key, None, 0, own_absent, last, None)
    schedule = compute_for(
        pregnancy,
        policy=policy,
        visit_dates=[v.visited_on for v in (*visits, *inherited)],
        on=on,
    )
    windows = schedule.windows
    if pregnancy.status == PregnancyStatus.ENDED:
        # After the outcome only postpartum visits can still be made: antenatal visits
        # missed stay on the timeline, but a worker cannot act on them any more, so they
        # leave the worklists and the overdue-visit alert.
        windows = tuple(w for w in windows if w.kind == "postpartum")
    overdue = [w for w in windows if w.is_overdue]
    next_due = min((w.end_on for w in windows if w.due > 0), default=None)
    return ScheduleState(
        policy_key=policy.key,
        next_due_on=next_due,
        overdue_visits=min(sum(w.due for w in overdue), MAX_SMALL),
        absent_findings=min(own_absent, MAX_SMALL),
        last_visit_on=last,
        latest_overdue_on=max((w.end_on for w in overdue), default=None),
    )


def apply_state(pregnancy: Pregnancy, state: ScheduleState, on: date) -> bool:
    """Copy `state` onto the row; True if anything changed."""
    before = [getattr(pregnancy, f) for f in STATE_FIELDS]
    pregnancy.policy_key = state.policy_key
    pregnancy.next_due_on = state.next_due_on
    pregnancy.overdue_visits = state.overdue_visits
    pregnancy.absent_findings = state.absent_findings
    pregnancy.last_visit_on = state.last_visit_on
    pregnancy.schedule_checked_on = on
    return before != [getattr(pregnancy, f) for f in STATE_FIELDS]


def visit_rows(pregnancy_ids: Iterable[int]) -> dict[int, list[VisitRow]]:
    """Visits per pregnancy, in one query per 2,000 pregnancies."""
    ids = list(pregnancy_ids)
    found: dict[int, list[VisitRow]] = defaultdict(list)
    for start in range(0, len(ids), 2000):
        rows = Visit.objects.filter(pregnancy_id__in=ids[start : start + 2000])
        for pregnancy_id, visited_on, finding in rows.values_list(
            "pregnancy_id", "visited_on", "finding"
        ).iterator(chunk_size=5000):
            found[pregnancy_id].append(VisitRow(visited_on, finding))
    return found


def _inherited(pregnancy: Pregnancy) -> list[VisitRow]:
    """Visits of the record this one was handed over from (one step, as in bulk)."""
    source_id = pregnancy.handed_over_from_id
    if source_id is None:
        return []
    return visit_rows([source_id]).get(source_id, [])


def refresh(pregnancy: Pregnancy, *, on: date) -> ScheduleState:
    """Recompute and save one pregnancy's schedule state (call it inside the write's
    transaction, with the row locked)."""
    state = state_for(
        pregnancy,
        policy=policy_for_village(pregnancy.village),
        visits=visit_rows([pregnancy.pk]).get(pregnancy.pk, []),
        inherited=_inherited(pregnancy),
        on=on,
    )
    apply_state(pregnancy, state, on)
    pregnancy.save(update_fields=STATE_FIELDS)
    return state


def refresh_many(
    pregnancies: Sequence[Pregnancy], *, on: date, resolver: PolicyResolver
) -> dict[int, ScheduleState]:
    """Recompute a chunk (nightly job): one visit query, one bulk update of the rows
    whose state changed. `pregnancies` need `village`, `village.parent` and `outcome`
    loaded (select_related)."""
    sources = {p.handed_over_from_id for p in pregnancies if p.handed_over_from_id}
    visits = visit_rows([p.pk for p in pregnancies] + [s for s in sources if s])
    states: dict[int, ScheduleState] = {}
    changed: list[Pregnancy] = []
    for pregnancy in pregnancies:
        inherited = (
            visits.get(pregnancy.handed_over_from_id, [])
            if pregnancy.handed_over_from_id
            else []
        )
        state = state_for(
            pregnancy,
            policy=resolver.for_village(pregnancy.village),
            visits=visits.get(pregnancy.pk, []),
            inherited=inherited,
            on=on,
        )
        states[pregnancy.pk] = state
        if apply_state(pregnancy, state, on):
            changed.append(pregnancy)
    Pregnancy.objects.bulk_update(changed, STATE_FIELDS, batch_size=500)
    return states


def refresh_area(area: Area, *, on: date) -> int:
    """Reschedule every followed pregnancy in `area` (after its policy changed)."""
    resolver = PolicyResolver()
    recent = on - timedelta(days=POSTPARTUM_FOLLOW_DAYS)
    followed = (
        Pregnancy.objects.in_area(area)
        .filter(
            Q(status__in=[PregnancyStatus.AWAITING, PregnancyStatus.PREGNANT])
            | Q(status=PregnancyStatus.ENDED, outcome__occurred_on__gte=recent)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(followed)
    for start in range(0, len(ids), 1000):
        chunk = list(
            Pregnancy.objects.filter(pk__in=ids[start : start + 1000]).select_related(
                "village__parent__parent", "outcome"
            )
        )
        refresh_many(chunk, on=on, resolver=resolver)
    return len(ids)
