"""Every write of campaigns, inspections and cases. Keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import Alert, AlertStatus
from srbgov.alerts.services import resolve_alert
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, clean_uploads_first, store_upload
from srbgov.oversight.models import (
    CHECKLIST,
    Campaign,
    Case,
    CaseSource,
    CaseStatus,
    CaseTask,
    CheckResult,
    Department,
    Disposition,
    Inspection,
    InvestigationRecord,
    RectificationStatus,
    SubjectKind,
    SurveyVisit,
)
from srbgov.providers.models import Facility, Practitioner

if TYPE_CHECKING:
    from srbgov.accounts.models import User

REFERRING = (Disposition.POLICE, Disposition.CRIMINAL)


def _names(raw: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for name in raw:
        name = name.strip()
        if name and name not in seen:
            seen.append(name)
    return seen


@transaction.atomic
def create_campaign(
    *,
    by: User,
    name: str,
    deploy_starts_on: date,
    deploy_ends_on: date,
    implement_starts_on: date,
    implement_ends_on: date,
    summary_starts_on: date,
    summary_ends_on: date,
    report_due_on: date,
    note: str = "",
) -> Campaign:
    """A 专项整治 of the user's county or township, its three phases in order."""
    area = by.scope
    if area.level == AreaLevel.VILLAGE:
        raise ValidationError(_("专项整治由乡镇或县组织。"))
    phases = [
        (deploy_starts_on, deploy_ends_on, "deploy_ends_on", "部署阶段"),
        (implement_starts_on, implement_ends_on, "implement_ends_on", "实施阶段"),
        (summary_starts_on, summary_ends_on, "summary_ends_on", "总结阶段"),
    ]
    for starts, ends, field, label in phases:
        if ends < starts:
            raise ValidationError({field: [f"{label}的结束日期不能早于开始日期。"]})
    if implement_starts_on < deploy_starts_on:
        raise ValidationError(
            {"implement_starts_on": ["实施阶段不能早于部署阶段开始。"]}
        )
    if summary_starts_on < implement_starts_on:
        raise ValidationError({"summary_starts_on": ["总结阶段不能早于实施阶段开始。"]})
    if report_due_on < summary_starts_on:
        raise ValidationError({"report_due_on": ["报告期限不能早于总结阶段开始。"]})
    campaign = Campaign(
        area=area,
        name=name.strip(),
        deploy_starts_on=deploy_starts_on,
        deploy_ends_on=deploy_ends_on,
        implement_starts_on=implement_starts_on,
        implement_ends_on=implement_ends_on,
        summary_starts_on=summary_starts_on,
        summary_ends_on=summary_ends_on,
        report_due_on=report_due_on,
        note=note.strip(),
        created_by=by,
    )
    campaign.full_clean()
    campaign.save()
    record(user=by, action=AuditAction.CREATE, obj=campaign)
    return campaign


@transaction.atomic
def record_inspection(
    *,
    by: User,
    campaign: Campaign,
    facility: Facility,
    inspected_on: date,
    inspectors: Sequence[str],
    checklist: Mapping[str, str],
    findings: str = "",
    rectify_by: date | None = None,
) -> Inspection:
    """An inspection within a campaign by at least two inspectors (湫坡头镇 plan
    §四(一)2). A failed item or a written finding opens a rectification with a deadline."""
    if not (campaign.area.contains(facility.area) and by.scope.contains(facility.area)):
        raise ValidationError({"facility": ["该机构不在本次专项整治的范围内。"]})
    names = _names(inspectors)
    if len(names) < 2:
        raise ValidationError({"inspectors": ["检查人员至少两人。"]})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": ["检查日期不能晚于今天。"]})
    if inspected_on < campaign.deploy_starts_on:
        raise ValidationError({"inspected_on": ["检查日期早于本次专项整治开始。"]})
    keys = {k for k, _label in CHECKLIST}
    if set(checklist) - keys or not set(checklist.values()) <= set(CheckResult.values):
        raise ValidationError({"checklist": ["检查项目填写有误。"]})
    failed = CheckResult.FAIL in checklist.values()
    has_findings = failed or bool(findings.strip())
    if failed and not findings.strip():
        raise ValidationError({"findings": ["有不符合的项目，请写明发现的问题。"]})
    if has_findings and (rectify_by is None or rectify_by <= inspected_on):
        raise ValidationError(
            {"rectify_by": ["发现问题时请填写晚于检查日期的整改期限。"]}
        )
    inspection = Inspection(
        campaign=campaign,
        facility=facility,
        inspected_on=inspected_on,
        inspectors=names,
        checklist=dict(checklist),
        findings=findings.strip(),
        rectify_by=rectify_by if has_findings else None,
        rectification=RectificationStatus.OPEN
        if has_findings
        else RectificationStatus.NONE,
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    record(user=by, action=AuditAction.CREATE, obj=inspection)
    return inspection


@transaction.atomic
def close_rectification(
    *, by: User, inspection: Inspection, followed_up_on: date, note: str
) -> Inspection:
    """复查: the follow-up visit that finds the problems fixed closes the rectification."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.rectification != RectificationStatus.OPEN:
        raise ValidationError(_("该检查没有待整改的问题。"))
    if not note.strip():
        raise ValidationError({"note": ["请填写复查情况。"]})
    if not inspection.inspected_on <= followed_up_on <= timezone.localdate():
        raise ValidationError({"followed_up_on": ["复查日期应在检查日期与今天之间。"]})
    inspection.rectification = RectificationStatus.CLOSED
    inspection.followed_up_on = followed_up_on
    inspection.follow_up_note = note.strip()
    inspection.followed_up_by = by
    inspection.full_clean()
    inspection.save()
    record(user=by, action=AuditAction.UPDATE, obj=inspection, detail={"closed": True})
    return inspection


@transaction.atomic
def open_case(
    *,
    by: User,
    area: Area,
    title: str,
    source: str,
    summary: str,
    subject_kind: str,
    subject_facility: Facility | None = None,
    subject_practitioner: Practitioner | None = None,
    subject_description: str = "",
    inspection: Inspection | None = None,
    alert: Alert | None = None,
    tip_reference: str = "",
    survey_visit: SurveyVisit | None = None,
) -> Case:
    """立案 from an inspection finding, an alert, a tip or a survey visit that found a
    problem (`practice_services.case_from_visit` prefills it). The subject is whoever
    performed or arranged the act: a facility, a practitioner, an intermediary, or not
    yet known — never the woman (docs/design.md §2). Opening from an alert resolves it."""
    if not by.scope.contains(area):
        raise ValidationError({"area": ["只能在本辖区立案。"]})
    if source == CaseSource.SURVEY:
        _check_visit_opens(by=by, area=area, visit=survey_visit)
    if source == CaseSource.INSPECTION and inspection is None:
        raise ValidationError({"inspection": ["请选择来源检查。"]})
    if source == CaseSource.ALERT and alert is None:
        raise ValidationError({"alert": ["请选择来源预警。"]})
    if source == CaseSource.TIP and not tip_reference.strip():
        raise ValidationError({"tip_reference": ["请填写举报编号。"]})
    if subject_kind == SubjectKind.FACILITY and subject_facility is None:
        raise ValidationError({"subject_facility": ["请选择涉案机构。"]})
    if subject_kind == SubjectKind.PRACTITIONER and subject_practitioner is None:
        raise ValidationError({"subject_practitioner": ["请选择涉案人员。"]})
    if subject_kind == SubjectKind.INTERMEDIARY and not subject_description.strip():
        raise ValidationError({"subject_description": ["请简要写明中介人员情况。"]})
    case = Case(
        area=area,
        title=title.strip(),
        source=source,
        summary=summary.strip(),
        subject_kind=subject_kind,
        subject_facility=subject_facility
        if subject_kind == SubjectKind.FACILITY
        else None,
        subject_practitioner=subject_practitioner
        if subject_kind == SubjectKind.PRACTITIONER
        else None,
        subject_description=subject_description.strip(),
        inspection=inspection if source == CaseSource.INSPECTION else None,
        alert=alert if source == CaseSource.ALERT else None,
        tip_reference=tip_reference.strip() if source == CaseSource.TIP else "",
        survey_visit=survey_visit if source == CaseSource.SURVEY else None,
        opened_by=by,
    )
    case.full_clean()
    case.save()
    case.number = f"AJ{case.opened_at:%Y}{case.pk:05d}"
    case.save(update_fields=["number"])
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=case,
        detail={"survey_visit": case.survey_visit_id} if case.survey_visit_id else None,
    )
    if case.alert is not None and case.alert.status == AlertStatus.OPEN:
        resolve_alert(
            by=by,
            alert=case.alert,
            resolution=_("已立案查处：%(number)s") % {"number": case.number},
        )
    return case


def _check_visit_opens(*, by: User, area: Area, visit: SurveyVisit | None) -> None:
    """A survey visit opens one case, when it found a problem, in the survey's
    township (or the county above it). Locks the visit so that two managers opening
    at once make one case."""
    if visit is None:
        raise ValidationError({"survey_visit": ["请从排查记录立案。"]})
    locked = SurveyVisit.objects.select_for_update().get(pk=visit.pk)
    if not locked.has_problem:
        raise ValidationError(_("该排查记录未发现问题，不能据此立案。"))
    if not (by.scope.contains(visit.survey.area) and area.contains(visit.survey.area)):
        raise ValidationError({"area": [_("承办区划应包含排查的乡镇。")]})
    if opened := Case.objects.filter(survey_visit=locked).first():
        raise ValidationError(
            _("该排查记录已立案：%(number)s") % {"number": opened.number}
        )


def _refer(case: Case) -> None:
    if case.referred_to_police_at is None:
        case.referred_to_police_at = timezone.now()


@transaction.atomic
def add_case_task(
    *, by: User, case: Case, department: str, description: str, due_on: date
) -> CaseTask:
    """A task for one department; a task for the 派出所 refers the case to the police."""
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("案件已结案，不能再分派任务。"))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": ["完成期限不能早于今天。"]})
    task = CaseTask(
        case=case,
        department=department,
        description=description.strip(),
        due_on=due_on,
        assigned_by=by,
    )
    task.full_clean()
    task.save()
    if department == Department.POLICE:
        _refer(case)
        case.save(update_fields=["referred_to_police_at"])
    record(user=by, action=AuditAction.UPDATE, obj=case, detail={"task": task.pk})
    return task


@transaction.atomic
def complete_task(*, by: User, task: CaseTask, result: str, done_on: date) -> CaseTask:
    if task.done_on is not None:
        raise ValidationError(_("该任务已办结。"))
    if not result.strip():
        raise ValidationError({"result": ["请填写办理结果。"]})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": ["完成日期不能晚于今天。"]})
    task.done_on, task.result = done_on, result.strip()
    task.full_clean()
    task.save()
    record(user=by, action=AuditAction.UPDATE, obj=task.case, detail={"done": task.pk})
    return task


@clean_uploads_first("attachment")
@transaction.atomic
def add_investigation_record(
    *,
    by: User,
    case: Case,
    recorded_on: date,
    interviewee: str,
    investigators: Sequence[str],
    content: str,
    place: str = "",
    attachment: Upload | None = None,
) -> InvestigationRecord:
    """调查笔录, made by at least two investigators, with an optional scanned copy."""
    names = _names(investigators)
    if len(names) < 2:
        raise ValidationError({"investigators": ["调查人员至少两人。"]})
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": ["调查日期不能晚于今天。"]})
    entry = InvestigationRecord(
        case=case,
        recorded_on=recorded_on,
        place=place.strip(),
        interviewee=interviewee.strip(),
        investigators=names,
        content=content.strip(),
        recorded_by=by,
    )
    if attachment is not None:
        entry.attachment = store_upload(
            by=by, upload=attachment, folder="cases", field="attachment"
        )
    entry.full_clean()
    entry.save()
    record(user=by, action=AuditAction.CREATE, obj=entry)
    return entry


@transaction.atomic
def dispose_case(
    *,
    by: User,
    case: Case,
    disposition: str,
    disposed_on: date,
    penalty_amount: Decimal | None = None,
    legal_basis: str = "",
    licence_action: str = "",
    note: str = "",
) -> Case:
    """结案: unfounded, an administrative penalty (amount and legal basis, Population and
    Family Planning Law Art. 39), a licence action, or referral to the police / a
    criminal case (which the police of the area then see)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN or disposition == case.disposition:
        raise ValidationError(_("案件已结案或已作出该处理。"))
    if disposition == Disposition.PENALTY and (
        penalty_amount is None or penalty_amount <= 0 or not legal_basis.strip()
    ):
        raise ValidationError(
            {"penalty_amount": ["行政处罚请填写罚没金额和法律依据。"]}
        )
    if disposition == Disposition.LICENCE and not licence_action.strip():
        raise ValidationError({"licence_action": ["请写明对执业许可的处理。"]})
    if disposed_on > timezone.localdate():
        raise ValidationError({"disposed_on": ["处理日期不能晚于今天。"]})
    case.disposition = disposition
    case.penalty_amount = penalty_amount if disposition == Disposition.PENALTY else None
    case.legal_basis = legal_basis.strip()
    case.licence_action = licence_action.strip()
    case.disposition_note = note.strip()
    case.disposed_on = disposed_on
    case.disposed_by = by
    # A referral keeps the case open until the police report back (a later
    # disposition, e.g. a criminal case, closes it).
    case.status = (
        CaseStatus.OPEN if disposition == Disposition.POLICE else CaseStatus.CLOSED
    )
    if disposition in REFERRING:
        _refer(case)
    case.full_clean()
    case.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=case,
        detail={"disposition": disposition},
    )
    return case
