"""Writes of the unlicensed-practice surveys (非法行医排查) and of the private persons
a case is about (issue 17 item 4). Keyword-only, atomic, audited
(docs/registers.md §7)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.oversight.models import (
    Case,
    CasePerson,
    Department,
    ItemKind,
    PersonRole,
    PlaceKind,
    SeizedItem,
    SubjectKind,
    Survey,
    SurveyVisit,
)
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.providers.models import Facility

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# Surveys are led by the planning office or the health center (中水镇 plan §一3).
SURVEY_DEPARTMENTS = (Department.PLANNING_OFFICE, Department.HEALTH_CENTER)


@transaction.atomic
def start_survey(
    *,
    by: User,
    area: Area,
    name: str,
    department: str,
    started_on: date,
    ended_on: date | None = None,
    note: str = "",
) -> Survey:
    """A township's survey round (排查) of private clinics and unlicensed providers."""
    if area.level != AreaLevel.TOWNSHIP or not by.scope.contains(area):
        raise ValidationError({"area": [_("请选择本辖区的乡镇。")]})
    if department not in SURVEY_DEPARTMENTS:
        raise ValidationError({"department": [_("排查由计生办或卫生院牵头。")]})
    if not name.strip():
        raise ValidationError({"name": [_("请填写名称。")]})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": [_("结束日期不能早于开始日期。")]})
    survey = Survey(
        area=area,
        name=name.strip(),
        department=department,
        started_on=started_on,
        ended_on=ended_on,
        note=note.strip(),
        created_by=by,
    )
    survey.full_clean()
    survey.save()
    record(user=by, action=AuditAction.CREATE, obj=survey)
    return survey


@transaction.atomic
def record_survey_visit(
    *,
    by: User,
    survey: Survey,
    visited_on: date,
    place_kind: str,
    place_name: str,
    address: str = "",
    facility: Facility | None = None,
    village: Area | None = None,
    is_licensed: bool = False,
    devices_found: str = "",
    drugs_found: str = "",
    services_offered: str = "",
    has_problem: bool = False,
    note: str = "",
) -> SurveyVisit:
    """One place visited, with what was found there."""
    if place_kind not in PlaceKind.values:
        raise ValidationError({"place_kind": [_("请选择场所类别。")]})
    if visited_on > timezone.localdate() or visited_on < survey.started_on:
        raise ValidationError(
            {"visited_on": [_("排查日期应在排查开始之后、今天之前。")]}
        )
    if facility is not None and not survey.area.contains(facility.area):
        raise ValidationError({"facility": [_("机构不在本次排查的乡镇。")]})
    if village is not None and (
        village.level != AreaLevel.VILLAGE or not survey.area.contains(village)
    ):
        raise ValidationError({"village": [_("村不在本次排查的乡镇。")]})
    name = place_name.strip() or (facility.name if facility else "")
    if not name:
        raise ValidationError({"place_name": [_("请填写场所名称或经营者。")]})
    visit = SurveyVisit(
        survey=survey,
        visited_on=visited_on,
        place_kind=place_kind,
        facility=facility,
        place_name=name,
        address=address.strip(),
        village=village,
        is_licensed=is_licensed,
        devices_found=devices_found.strip(),
        drugs_found=drugs_found.strip(),
        services_offered=services_offered.strip(),
        has_problem=has_problem,
        note=note.strip(),
        recorded_by=by,
    )
    visit.full_clean()
    visit.save()
    record(user=by, action=AuditAction.CREATE, obj=visit)
    return visit


@transaction.atomic
def record_seized_item(
    *,
    by: User,
    visit: SurveyVisit,
    kind: str,
    description: str,
    quantity: int,
    unit: str,
) -> SeizedItem:
    """One line of what a visit seized; a seizure marks the visit as a problem."""
    if kind not in ItemKind.values:
        raise ValidationError({"kind": [_("请选择物品类别。")]})
    if quantity < 1:
        raise ValidationError({"quantity": [_("数量至少为1。")]})
    if not description.strip() or not unit.strip():
        raise ValidationError(_("请填写物品名称和单位。"))
    item = SeizedItem(
        visit=visit,
        kind=kind,
        description=description.strip(),
        quantity=quantity,
        unit=unit.strip(),
        recorded_by=by,
    )
    item.full_clean()
    item.save()
    if not visit.has_problem:
        SurveyVisit.objects.filter(pk=visit.pk).update(has_problem=True)
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=item,
        detail={"visit": visit.pk, "kind": kind, "quantity": quantity},
    )
    return item


@transaction.atomic
def add_case_person(
    *,
    by: User,
    case: Case,
    role: str,
    name: str,
    id_number: str = "",
    address: str = "",
    note: str = "",
) -> CasePerson:
    """Name a private person the case is about; an identity number, when given, is
    GB 11643-checked, encrypted, hashed and masked (docs/security.md §1)."""
    if role not in PersonRole.values:
        raise ValidationError({"role": [_("请选择涉案身份。")]})
    if not name.strip():
        raise ValidationError({"name": [_("请填写姓名。")]})
    person = CasePerson(
        case=case,
        role=role,
        name=name.strip(),
        address=address.strip(),
        note=note.strip(),
        added_by=by,
    )
    if id_number.strip():
        try:
            parsed = identity.parse(id_number, today=timezone.localdate())
        except identity.IdentityNumberError as problem:
            raise ValidationError(
                {"id_number": [problem.message]}, code=problem.code
            ) from None
        cipher = identity_cipher()
        person.id_number_encrypted = cipher.encrypt(parsed.number)
        person.id_number_hash = cipher.lookup_hash(parsed.number)
        person.id_number_masked = parsed.masked
    person.full_clean()
    person.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=person,
        detail={"role": role, "has_number": bool(person.id_number_hash)},
    )
    return person


def case_from_visit(visit: SurveyVisit) -> dict[str, Any]:
    """What a case opened from a survey visit starts with (the 立案 form's initial
    values): the survey's township, the place as the subject — the filed facility, or
    the unlicensed practice described — and what the visit found and seized as the
    summary. The manager may edit it before opening (`services.open_case`)."""
    place = visit.place_name + (f"（{visit.address}）" if visit.address else "")
    lines = [
        _("%(survey)s，%(date)s排查%(kind)s：%(place)s")
        % {
            "survey": visit.survey.name,
            "date": visit.visited_on.isoformat(),
            "kind": visit.get_place_kind_display(),
            "place": place,
        }
    ]
    if not visit.is_licensed:
        lines.append(_("未持有执业许可。"))
    for label, found in (
        (_("发现的设备"), visit.devices_found),
        (_("发现的药品"), visit.drugs_found),
        (_("提供的服务"), visit.services_offered),
    ):
        if found:
            lines.append(f"{label}：{found}")
    items = "；".join(
        f"{item.get_kind_display()} {item.description} {item.quantity}{item.unit}"
        for item in visit.items.order_by("id")
    )
    if items:
        lines.append(_("查扣物品：%(items)s") % {"items": items})
    if visit.note:
        lines.append(_("情况说明：%(note)s") % {"note": visit.note})
    subject: dict[str, Any] = (
        {"subject_kind": SubjectKind.FACILITY, "subject_facility": visit.facility_id}
        if visit.facility_id
        else {
            "subject_kind": SubjectKind.INTERMEDIARY,
            "subject_description": place[:200],
        }
    )
    return {
        "title": (_("非法行医排查发现：%(place)s") % {"place": visit.place_name})[:120],
        "summary": "\n".join(lines),
        "area": visit.survey.area_id,
        **subject,
    }
