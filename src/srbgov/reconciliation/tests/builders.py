"""Builders for reconciliation tests (imported only by tests and the bench): real
register entries through the providers service, real registry outcomes through the
pregnancies service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from srbgov.accounts.models import User
from srbgov.people.models import Woman
from srbgov.pregnancies.models import Outcome, OutcomeKind
from srbgov.pregnancies.services import BirthData, record_outcome
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.models import Facility, FacilityDelivery
from srbgov.providers.services import ChildData, record_facility_delivery


def village_birth(
    *,
    by: User,
    woman: Woman,
    on: date,
    sexes: Sequence[str] = ("F",),
    facility: Facility | None = None,
) -> Outcome:
    """A live birth the village registered: pregnancy, then the outcome service."""
    pregnancy = make_pregnancy(by=by, woman=woman, lmp_on=on - timedelta(days=275))
    return record_outcome(
        by=by,
        pregnancy=pregnancy,
        kind=OutcomeKind.LIVE_BIRTH,
        occurred_on=on,
        facility=facility,
        children=[BirthData(sex=s, born_on=on) for s in sexes],
    )


def facility_delivery(
    *,
    by: User,
    facility: Facility,
    id_number: str,
    name: str,
    on: date,
    sexes: Sequence[str] = ("F",),
    village_code: str = "",
    orders: Sequence[int | None] | None = None,
) -> FacilityDelivery:
    orders = orders or [None] * len(sexes)
    return record_facility_delivery(
        facility=facility,
        recorded_by=by,
        mother_id_number=id_number,
        mother_name=name,
        delivered_on=on,
        children=[
            ChildData(sex=s, birth_order=o) for s, o in zip(sexes, orders, strict=True)
        ],
        village_code=village_code,
    )
