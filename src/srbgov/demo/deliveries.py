"""The demo county's delivery register (issue 17 item 2, issue 13 item 3): one month
of deliveries at the demo clerk's health center, entered through the register's own
service, so that the reconciliation page has something true to show — most births
matched, one 漏报 (a mother the villages never registered) and one sex mismatch.

Deterministic (the births of that month, in date order) and idempotent (nothing is
written when the facility's register already holds the month).
"""

from __future__ import annotations

from datetime import date, timedelta

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.pregnancies.models import Outcome, OutcomeKind
from srbgov.providers.models import FacilityClerk, FacilityDelivery
from srbgov.providers.services import ChildData, record_facility_delivery

# The deliveries of the month at one health center: enough for the page to page.
DELIVERIES = 40
MISSED_MOTHER = ("覃小梅", date(1997, 4, 15))


def _month_before(anchor: date) -> tuple[date, date]:
    last = anchor.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _missed_number(village: Area) -> str:
    """A valid number no registry woman holds (the first free sequence)."""
    cipher = identity_cipher()
    address = village.code[:6]
    for sequence in range(300, 500):
        number = identity.make_number(address, MISSED_MOTHER[1], sequence, "F")
        if not Woman.objects.filter(id_number_hash=cipher.lookup_hash(number)).exists():
            return number
    raise RuntimeError("no free identity number for the demo's missed mother")


def load(*, anchor: date) -> int:
    """Returns how many deliveries it entered (0 when they were there already)."""
    link = (
        FacilityClerk.objects.filter(user__role=Role.FACILITY_CLERK)
        .select_related("user", "facility", "facility__area")
        .order_by("user__username")
        .first()
    )
    if link is None:
        return 0
    clerk: User = link.user
    facility = link.facility
    township = facility.area
    first, last = _month_before(anchor)
    if FacilityDelivery.objects.filter(
        facility=facility, delivered_on__range=(first, last)
    ).exists():
        return 0
    outcomes = list(
        Outcome.objects.in_area(township)
        .filter(kind=OutcomeKind.LIVE_BIRTH, occurred_on__range=(first, last))
        .select_related("pregnancy__woman")
        .prefetch_related("births")
        .order_by("occurred_on", "pk")[:DELIVERIES]
    )
    cipher = identity_cipher()
    entered = 0
    for index, outcome in enumerate(outcomes):
        woman = outcome.pregnancy.woman
        births = sorted(outcome.births.all(), key=lambda b: b.birth_order)
        if not births:
            continue
        sexes = [b.sex for b in births]
        if index == len(outcomes) // 2:
            # The one mismatch: the facility wrote a boy where the village a girl
            # (or the reverse) — for the officer to confirm and the alert to raise.
            sexes[0] = "M" if sexes[0] == "F" else "F"
        record_facility_delivery(
            facility=facility,
            recorded_by=clerk,
            mother_id_number=cipher.decrypt(woman.id_number_encrypted),
            mother_name=woman.name,
            delivered_on=outcome.occurred_on,
            children=[
                ChildData(sex=sex, birth_order=b.birth_order)
                for sex, b in zip(sexes, births, strict=True)
            ],
        )
        entered += 1
    village = township.children.order_by("code").first()
    if village is not None:
        # The one 漏报: a mother of the township no village registered.
        record_facility_delivery(
            facility=facility,
            recorded_by=clerk,
            mother_id_number=_missed_number(village),
            mother_name=MISSED_MOTHER[0],
            delivered_on=first + timedelta(days=14),
            children=[ChildData(sex="F", birth_order=1)],
            village_code=village.code,
        )
        entered += 1
    return entered
