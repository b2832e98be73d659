"""The facility delivery register (分娩实名登记, issue 17 item 2): the one service every
source (the clerk's page, the import, the API) writes a delivery through, so that the
rules hold whatever the source (docs/reconciliation.md §5).

Rules: XX镇 plan §三(四)3 (facilities keep real-name registers of deliveries); the
mother's identity number is checked and stored as in every real-name register
(docs/security.md §1).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.services import parse_woman_identity
from srbgov.providers.models import (
    ChildOutcome,
    ChildSex,
    DeliveryChild,
    DeliverySource,
    Facility,
    FacilityDelivery,
)
from srbgov.providers.services.realname import real_name

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# More than six children in one delivery has never been recorded alive; a larger
# number is a typing error (a birth order typed into the count).
MAX_CHILDREN = 6
# A birth order beyond 15 is a typing error too.
MAX_BIRTH_ORDER = 15


@dataclass(frozen=True)
class ChildData:
    """One child as the clerk, the import or the API gives it."""

    sex: str
    outcome: str = ChildOutcome.LIVE
    birth_certificate_number: str = ""
    birth_order: int | None = None


def _check_children(children: Sequence[ChildData]) -> list[ChildData]:
    if not children:
        raise ValidationError({"children": [_("请至少填写一名新生儿。")]})
    if len(children) > MAX_CHILDREN:
        raise ValidationError(
            {"children": [_("一次分娩最多登记%(n)d名新生儿。") % {"n": MAX_CHILDREN}]}
        )
    cleaned: list[ChildData] = []
    seen: set[str] = set()
    for child in children:
        if child.sex not in ChildSex.values:
            raise ValidationError({"children": [_("请选择新生儿性别。")]})
        if child.outcome not in ChildOutcome.values:
            raise ValidationError(
                {"children": [_("请选择新生儿结局（活产或死胎死产）。")]}
            )
        order = child.birth_order
        if order is not None and not 1 <= order <= MAX_BIRTH_ORDER:
            raise ValidationError(
                {"children": [_("孩次应在1到%(n)d之间。") % {"n": MAX_BIRTH_ORDER}]}
            )
        number = child.birth_certificate_number.strip().upper()
        if number and child.outcome != ChildOutcome.LIVE:
            raise ValidationError({"children": [_("死胎死产不签发出生医学证明。")]})
        if number in seen:
            raise ValidationError({"children": [_("出生医学证明编号重复。")]})
        if number:
            seen.add(number)
        cleaned.append(
            ChildData(
                sex=child.sex,
                outcome=child.outcome,
                birth_certificate_number=number,
                birth_order=order,
            )
        )
    taken = DeliveryChild.objects.filter(birth_certificate_number__in=seen)
    if taken.exists():
        raise ValidationError(
            {"children": [_("出生医学证明编号已登记在另一次分娩中。")]}
        )
    return cleaned


def _village(code: str) -> Area | None:
    code = code.strip()
    if not code:
        return None
    village = Area.objects.filter(code=code, level=AreaLevel.VILLAGE).first()
    if village is None:
        raise ValidationError({"village_code": [_("没有这个村级区划代码。")]})
    return village


def _submitted(key: UUID | None, by: User) -> FacilityDelivery | None:
    """What an earlier submission with this key saved (core/submissions.py)."""
    if key is None:
        return None
    earlier = FacilityDelivery.objects.filter(submission_key=key).first()
    if earlier is not None and earlier.recorded_by_id != by.pk:
        raise ValidationError(_("该表单已由其他用户提交，请重新打开表单。"))
    return earlier


# The shared real-name helpers name the fields of the termination form; errors here
# name the arguments of this service (the form's fields and the API's keys).
_RENAMED = {"id_number": "mother_id_number", "woman_name": "mother_name"}


@contextmanager
def _named_for_arguments() -> Iterator[None]:
    try:
        yield
    except ValidationError as problem:
        if not hasattr(problem, "error_dict"):
            raise
        raise ValidationError(
            {_RENAMED.get(k, k): v for k, v in problem.error_dict.items()}
        ) from None


@transaction.atomic
def record_facility_delivery(
    *,
    facility: Facility,
    recorded_by: User,
    mother_id_number: str,
    mother_name: str,
    delivered_on: date,
    children: Sequence[ChildData],
    source: str = DeliverySource.CLERK,
    village_code: str = "",
    submission_key: UUID | None = None,
) -> FacilityDelivery:
    """Enter one delivery, with its children, in the facility's register.

    The mother is linked to her registry record when the keyed hash of her number
    finds one; her village is the code given, else her registry village. A key seen
    before returns what it saved then (a retried push or a double tap saves once)."""
    if (already := _submitted(submission_key, recorded_by)) is not None:
        return already
    if source not in DeliverySource.values:
        raise ValidationError({"source": [_("来源无效。")]})
    if facility.is_pharmacy:
        raise ValidationError({"facility": [_("药店不能登记分娩。")]})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": [_("分娩日期不能晚于今天。")]})
    with _named_for_arguments():
        parsed = parse_woman_identity(mother_id_number)
    if delivered_on <= parsed.birth_on:
        raise ValidationError({"delivered_on": [_("分娩日期早于产妇的出生日期。")]})
    kids = _check_children(children)
    with _named_for_arguments():
        name = real_name(name=mother_name, id_number=mother_id_number)
    village = _village(village_code)
    if village is None and name.woman is not None:
        village = name.woman.village
    if FacilityDelivery.objects.filter(
        facility=facility, id_number_hash=name.number_hash, delivered_on=delivered_on
    ).exists():
        raise ValidationError(_("该产妇当天在本机构的分娩已经登记。"))
    delivery = FacilityDelivery(
        facility=facility,
        delivered_on=delivered_on,
        mother_birth_on=parsed.birth_on,
        village=village,
        source=source,
        submission_key=submission_key,
        recorded_by=recorded_by,
    )
    name.apply(delivery)
    delivery.full_clean()
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        # Two simultaneous posts of the same delivery: the constraint had the last word.
        raise ValidationError(_("该产妇当天在本机构的分娩已经登记。")) from None
    for position, kid in enumerate(kids, start=1):
        child = DeliveryChild(
            delivery=delivery,
            position=position,
            sex=kid.sex,
            outcome=kid.outcome,
            birth_order=kid.birth_order,
            birth_certificate_number=kid.birth_certificate_number,
        )
        child.full_clean()
        child.save()
    record(
        user=recorded_by,
        action=AuditAction.CREATE,
        obj=delivery,
        detail={
            "source": source,
            "children": len(kids),
            "linked": delivery.woman_id is not None,
        },
    )
    return delivery


@transaction.atomic
def complete_birth_certificate(
    *, by: User, child: DeliveryChild, number: str
) -> DeliveryChild:
    """补录出生医学证明编号 for a live-born child of the register: the certificate is
    issued after the delivery was entered (docs/homes.md, "register entries to
    complete"). A number already recorded is not overwritten here: a correction of a
    certificate is the county's, not a second fill."""
    number = number.strip().upper()  # as the entry form stores it (_clean_children)
    if not number:
        raise ValidationError({"number": [_("请填写出生医学证明编号。")]})
    child = DeliveryChild.objects.select_for_update().get(pk=child.pk)
    if child.outcome != ChildOutcome.LIVE:
        raise ValidationError(_("只有活产新生儿有出生医学证明。"))
    if child.birth_certificate_number:
        raise ValidationError(_("该新生儿已登记出生医学证明编号。"))
    child.birth_certificate_number = number
    child.full_clean()
    try:
        # full_clean found no other child with this number; one saved meanwhile by
        # another user is caught by the constraint.
        with transaction.atomic():
            child.save(update_fields=["birth_certificate_number"])
    except IntegrityError:
        raise ValidationError(
            {"number": [_("该出生医学证明编号已登记在另一名新生儿名下。")]}
        ) from None
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=child.delivery,
        detail={"child": child.position, "certificate": True},
    )
    return child
