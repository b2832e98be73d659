"""Demo campaigns, inspections and cases (and, first, the provider registries).
Deterministic and idempotent: keyed by names; dates fixed against the demo's anchor."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.oversight.models import (
    CHECKLIST,
    Campaign,
    Case,
    CaseSource,
    CaseTask,
    CheckResult,
    Department,
    Inspection,
    InvestigationRecord,
    RectificationStatus,
    SubjectKind,
)
from srbgov.providers import demo as providers_demo
from srbgov.providers.models import Facility, FacilityKind

CAMPAIGN_NAMES = [
    "春季“两非”专项整治",
    "夏季B超和药品专项检查",
    "秋季“两非”集中整治",
    "冬季终止妊娠登记专项检查",
]


def _campaign(county: Area, by: User, year: int, n: int) -> Campaign:
    start = date(year, 2 + 3 * n, 1)
    campaign, _created = Campaign.objects.get_or_create(
        area=county,
        name=f"{year}年{CAMPAIGN_NAMES[n]}",
        defaults={
            "deploy_starts_on": start,
            "deploy_ends_on": start + timedelta(days=9),
            "implement_starts_on": start + timedelta(days=10),
            "implement_ends_on": start + timedelta(days=49),
            "summary_starts_on": start + timedelta(days=50),
            "summary_ends_on": start + timedelta(days=59),
            "report_due_on": start + timedelta(days=60),
            "note": _("按“三个一整顿”要求，对辖区医疗机构和药店逐一检查。"),
            "created_by": by,
        },
    )
    return campaign


def _inspections(
    campaign: Campaign, facilities: list[Facility], by: User
) -> list[Inspection]:
    if campaign.inspections.exists():
        return list(campaign.inspections.all())
    made = []
    for n, facility in enumerate(facilities):
        failed = n % 3 == 1
        checklist = {key: CheckResult.PASS for key, _label in CHECKLIST}
        if failed:
            checklist["operator_pledges"] = CheckResult.FAIL
            checklist["drug_ledger"] = CheckResult.FAIL
        on = campaign.implement_starts_on + timedelta(days=2 * n)
        inspection = Inspection.objects.create(
            campaign=campaign,
            facility=facility,
            inspected_on=on,
            inspectors=["张计生", "刘卫生"],
            checklist=checklist,
            findings=_("B超操作人员责任书未续签；终止妊娠药品台账缺少3月份发放记录。")
            if failed
            else "",
            rectify_by=on + timedelta(days=15) if failed else None,
            rectification=RectificationStatus.OPEN
            if failed
            else RectificationStatus.NONE,
            recorded_by=by,
        )
        if failed and n % 2 == 0:
            inspection.rectification = RectificationStatus.CLOSED
            inspection.followed_up_on = on + timedelta(days=12)
            inspection.follow_up_note = _("已补签责任书，台账补录完整。")
            inspection.followed_up_by = by
            inspection.save()
        made.append(inspection)
    return made


def _cases(township: Area, inspections: list[Inspection], by: User) -> None:
    if Case.objects.filter(area=township).exists():
        return
    with_findings = [
        i for i in inspections if i.rectification != RectificationStatus.NONE
    ]
    specs: list[tuple[str, Inspection | None, str, str]] = []
    if with_findings:
        specs.append(
            (
                CaseSource.INSPECTION,
                with_findings[0],
                SubjectKind.FACILITY,
                _("药店违规销售终止妊娠药品"),
            )
        )
    specs.append(
        (
            CaseSource.TIP,
            None,
            SubjectKind.INTERMEDIARY,
            _("有人在集市介绍孕妇外出做胎儿性别鉴定"),
        )
    )
    for n, (source, inspection, kind, title) in enumerate(specs):
        case = Case.objects.create(
            area=township,
            title=title,
            source=source,
            inspection=inspection,
            tip_reference="JB2026-0007" if source == CaseSource.TIP else "",
            subject_kind=kind,
            subject_facility=inspection.facility if inspection else None,
            subject_description=""
            if inspection
            else _("男，约50岁，骑摩托车，自称能“看男女”"),
            summary=inspection.findings
            if inspection
            else _("群众举报：有人在集市招揽孕妇，收费带往外地做B超鉴定胎儿性别。"),
            opened_by=by,
            opened_at=datetime(
                2026, 9, 1 + n, 9, tzinfo=timezone.get_current_timezone()
            ),
        )
        case.number = f"AJ2026{case.pk:05d}"
        if source == CaseSource.TIP:
            case.referred_to_police_at = case.opened_at + timedelta(days=2)
        case.save()
        CaseTask.objects.create(
            case=case,
            department=Department.HEALTH_CENTER if inspection else Department.POLICE,
            description=_("核查当事人并调查取证"),
            due_on=date(2026, 12, 15),
            assigned_by=by,
        )
        InvestigationRecord.objects.create(
            case=case,
            recorded_on=date(2026, 9, 5 + n),
            place=township.name,
            interviewee=_("知情群众"),
            investigators=["张计生", "杨民警"],
            content=_("询问知情人，了解当事人活动时间和地点。"),
            recorded_by=by,
        )


def load(*, county: Area, townships: list[Area], anchor: date) -> None:
    facilities = providers_demo.load(townships=townships, anchor=anchor)
    by = User.objects.filter(role=Role.COUNTY_OFFICER).order_by("pk").first()
    officer = User.objects.filter(role=Role.TOWNSHIP_OFFICER, area=townships[0]).first()
    if by is None or officer is None:
        return
    for n in range(4):
        _campaign(county, by, anchor.year - 1, n)
    campaigns = [_campaign(county, by, anchor.year, n) for n in range(3)]
    first = [
        f
        for f in facilities
        if townships[0].contains(f.area) and f.kind != FacilityKind.HOSPITAL
    ]
    inspections = _inspections(campaigns[-1], first, officer)
    _cases(townships[0], inspections, officer)
