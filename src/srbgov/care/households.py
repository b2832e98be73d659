"""Care households derived from the registry (docs/care.md §1).

Why set-based and not only a hook: children enter the registry by several paths (the
woman's form, a birth outcome, an infant death, imports and the API), and a hook on
each would be one more thing a new path can forget. So the rule lives in one place,
`refresh_households(area=…)`, which recomputes every household of an area from the
children rows in a few queries; the nightly command `refresh_care_households` and the
yearly re-check call it. A live birth also refreshes the mother's household at once
through the birth service's `BIRTH_RECORDED` hook (care/apps.py), so a new son shows
on the household's page the same day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.care import eligibility
from srbgov.care.models import CareHousehold
from srbgov.people.models import Child, Spouse, Woman

SYSTEM = "care.refresh"


@dataclass(frozen=True)
class Refreshed:
    created: int
    changed: int


def _facts(woman_ids: list[int]) -> dict[int, list[eligibility.ChildFact]]:
    facts: dict[int, list[eligibility.ChildFact]] = defaultdict(list)
    # No ordering: Child's default ("mother", …) orders by the Woman's own default,
    # which joins women and areas and sorts; on PostgreSQL with fresh statistics (the
    # demo's load in one transaction) that plan took a minute a township.
    rows = (
        Child.objects.filter(mother_id__in=woman_ids)
        .order_by()
        .values_list("mother_id", "sex", "is_alive", "birth_on")
    )
    for mother_id, sex, alive, born in rows:
        facts[mother_id].append(eligibility.ChildFact(sex, alive, born))
    return facts


def _apply(household: CareHousehold, category: eligibility.Category) -> bool:
    new = (
        category.kind,
        category.reason,
        category.living_daughters,
        category.living_sons,
        category.children_died,
    )
    old = (
        household.kind,
        household.reason,
        household.living_daughters,
        household.living_sons,
        household.children_died,
    )
    if new == old:
        return False
    (
        household.kind,
        household.reason,
        household.living_daughters,
        household.living_sons,
        household.children_died,
    ) = new
    household.derived_at = timezone.now()
    return True


@transaction.atomic
def refresh_households(*, area: Area, women: list[int] | None = None) -> Refreshed:
    """Recompute the care households of `area` (or of the listed women) from their
    children. A woman becomes a household the first time she qualifies; a household
    that stops qualifying keeps its row with kind "" and the reason, so its history
    and applications stay. Costs four queries plus one write per change."""
    scope = Woman.objects.in_area(area)
    if women is not None:
        scope = scope.filter(pk__in=women)
    ids = list(scope.values_list("pk", flat=True))
    facts = _facts(ids)
    existing = {h.woman_id: h for h in CareHousehold.objects.filter(woman_id__in=ids)}
    births = dict(scope.values_list("pk", "birth_on"))
    fathers = dict(
        Spouse.objects.filter(woman_id__in=ids).values_list("woman_id", "birth_on")
    )
    created: list[CareHousehold] = []
    changed: list[CareHousehold] = []
    for woman_id in ids:
        household = existing.get(woman_id)
        disabled = household.only_child_disabled if household else False
        category = eligibility.categorise(
            facts.get(woman_id, []), only_child_disabled=disabled
        )
        if household is None:
            if not category.kind:
                continue
            household = CareHousehold(
                woman_id=woman_id,
                mother_birth_on=births[woman_id],
                father_birth_on=fathers.get(woman_id),
            )
            _apply(household, category)
            created.append(household)
        elif _apply(household, category):
            changed.append(household)
    CareHousehold.objects.bulk_create(created, batch_size=500)
    CareHousehold.objects.bulk_update(
        changed,
        [
            "kind",
            "reason",
            "living_daughters",
            "living_sons",
            "children_died",
            "derived_at",
        ],
        batch_size=500,
    )
    if created or changed:
        record(
            user=None,
            username=SYSTEM,
            action=AuditAction.UPDATE,
            object_type="care.carehousehold",
            object_repr=f"{area.name}",
            detail={"created": len(created), "changed": len(changed)},
        )
    return Refreshed(len(created), len(changed))


def refresh_for_birth(birth: object) -> None:
    """The `BIRTH_RECORDED` hook: the mother's household, in the birth's transaction."""
    mother = getattr(birth, "mother", None)
    if mother is not None:
        refresh_households(area=mother.village, women=[mother.pk])


@transaction.atomic
def confirm_household(
    *,
    by: User,
    household: CareHousehold,
    residence: str,
    lives_in_village: bool,
    mother_birth_on: date | None,
    father_birth_on: date | None,
    only_child_disabled: bool,
    on: date,
) -> CareHousehold:
    """The village worker's confirmation or correction of the household's situation;
    the category is derived again (a confirmed disability changes it)."""
    household.residence = residence
    household.lives_in_village = lives_in_village
    household.mother_birth_on = mother_birth_on
    household.father_birth_on = father_birth_on
    household.only_child_disabled = only_child_disabled
    household.confirmed_by = by
    household.confirmed_on = on
    facts = _facts([household.woman_id]).get(household.woman_id, [])
    _apply(
        household,
        eligibility.categorise(facts, only_child_disabled=only_child_disabled),
    )
    household.full_clean()
    household.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=household,
        detail={"confirmed": True, "kind": household.kind},
    )
    return household


def household_facts(household: CareHousehold) -> eligibility.Household:
    return eligibility.Household(
        kind=household.kind,
        mother_birth_on=household.mother_birth_on,
        father_birth_on=household.father_birth_on,
        residence=household.residence,
        lives_in_village=household.lives_in_village,
    )
