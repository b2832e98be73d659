"""Builders for the statistics tests (imported only by tests)."""

from __future__ import annotations

from datetime import date, timedelta

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.monitoring import demo
from srbgov.people.models import Child, Woman
from srbgov.pregnancies.models import Birth, Outcome, OutcomeKind, Pregnancy
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import Personas

ANCHOR = date(2026, 11, 1)


def ended_outcome(*, by: User, woman: Woman, on: date) -> Outcome:
    """A live-birth outcome written straight to the table (as an import would)."""
    pregnancy = make_pregnancy(by=by, woman=woman, lmp_on=on - timedelta(days=280))
    return Outcome.objects.create(
        pregnancy=pregnancy,
        kind=OutcomeKind.LIVE_BIRTH,
        occurred_on=on,
        gestational_weeks=40,
        recorded_by=by,
    )


def make_birth(
    *,
    outcome: Outcome,
    village: Area,
    sex: str,
    born_on: date,
    order: int = 1,
    earlier_boys: int = 0,
    earlier_girls: int = 0,
    facility_id: int | None = None,
) -> Birth:
    """A `Birth` row (with its child) written without the birth service: the caller
    decides whether the hook counts it."""
    pregnancy: Pregnancy = outcome.pregnancy
    child = Child.objects.create(
        mother=pregnancy.woman, birth_on=born_on, sex=sex, birth_order=order
    )
    return Birth.objects.create(
        outcome=outcome,
        pregnancy=pregnancy,
        mother=pregnancy.woman,
        child=child,
        sex=sex,
        born_on=born_on,
        birth_order=order,
        earlier_boys=earlier_boys,
        earlier_girls=earlier_girls,
        village=village,
        facility_id=facility_id,
    )


def make_births(
    outcome: Outcome,
    plan: list[tuple[Area, int, int, int, int]],
    *,
    year: int,
) -> None:
    """For each (village, boys, girls, birth order, earlier girls) of `plan`, that
    many births spread over the months of `year`, then the count tables rebuilt."""
    from srbgov.monitoring.counts import rebuild_birth_counts

    for village, boys, girls, order, earlier_girls in plan:
        for sex, n in (("M", boys), ("F", girls)):
            for i in range(n):
                make_birth(
                    outcome=outcome,
                    village=village,
                    sex=sex,
                    born_on=date(year, 1 + i % 12, 5),
                    order=order,
                    earlier_girls=earlier_girls,
                )
    rebuild_birth_counts()


def demo_world(personas: type[Personas]) -> tuple[list[Area], demo.DemoSummary]:
    """The personas' county grown to 12 villages, with the demo births loaded."""
    extra = personas.more_villages(5, 4)
    villages = sorted(
        [personas.village_a, personas.village_b, personas.village_c, *extra],
        key=lambda v: v.code,
    )
    summary = demo.load(villages=villages, by=personas.xian, anchor=ANCHOR)
    assert summary is not None
    return villages, summary
