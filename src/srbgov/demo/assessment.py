"""Demo assessment (docs/assessment.md): 湫坡头镇's leading group and departments, its work
plan with tasks, a year of monthly village reports, and one weak village under
rectification. Deterministic and idempotent: keyed by names, areas and months; dates fixed
against the demo's anchor; figures counted from the demo's own records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.assessment.indicators import REGISTRY, Period
from srbgov.assessment.models import (
    Indicator,
    Level,
    Rectification,
    RectificationStatus,
    RuleChoice,
)
from srbgov.assessment.scorecard import build_scorecard
from srbgov.assessment.services import adopt_default_indicators, save_indicator
from srbgov.villagereports.models import MonthlyReport, ReportStatus
from srbgov.villagereports.queries import live_figures
from srbgov.workplans.models import Body, Member, PlanTask, WorkPlan

MEMBERS = [
    (
        Body.LEADING_GROUP,
        "镇委书记",
        "组长",
        "对全镇综合治理出生人口性别比工作负总责。",
    ),
    (Body.LEADING_GROUP, "镇长", "组长", "亲自抓、负总责，保障人力、物力、财力。"),
    (Body.LEADING_GROUP, "纪委书记", "副组长", "对专项检查发现案件的查处进行协调。"),
    (Body.LEADING_GROUP, "分管副镇长", "副组长", "直接责任人，具体抓。"),
    (
        Body.OFFICE,
        "计生站站长",
        "办公室主任",
        "办公室设在计生办，负责日常工作和材料报送。",
    ),
    (
        Body.DEPARTMENT,
        "计生办",
        "",
        "组织、协调和监督集中治理；调查孕情消失；设立举报箱。",
    ),
    (
        Body.DEPARTMENT,
        "卫生院",
        "",
        "查处本系统“两非”案件；B超和终止妊娠登记；婴儿死亡报告。",
    ),
    (Body.DEPARTMENT, "派出所", "", "依法打击遗弃、溺杀、贩卖婴儿等违法犯罪行为。"),
]

TASKS = [
    ("mobilise", "计生办", "成立综合治理领导机构，制定并印发实施方案", 30),
    ("mobilise", "各村委会", "召开动员会，签订目标责任书", 40),
    ("implement", "卫生院", "B超室、妇产科、药房张贴禁止“两非”警示标志", 80),
    ("implement", "计生办", "清理登记有孕情而没有生育的对象", 150),
    ("implement", "派出所", "配合查处“两非”案件线索", 200),
    ("review", "各村委会", "自查整改，书面材料报镇领导小组办公室", 246),
]


def load(*, townships: list[Area], anchor: date) -> None:
    township = townships[0]
    officer = (
        User.objects.filter(area=township, role=Role.TOWNSHIP_OFFICER)
        .order_by("id")
        .first()
    )
    if officer is None:
        return
    year = anchor.year
    for i, (body, name, position, duties) in enumerate(MEMBERS):
        Member.objects.get_or_create(
            area=township,
            body=body,
            name=name,
            defaults={"position": position, "duties": duties, "position_order": i},
        )
    plan, _created = WorkPlan.objects.get_or_create(
        area=township,
        title=f"关于{year}年综合治理出生人口性别比工作方案",
        defaults={
            "year": year,
            "goals": "政策内二胎及以上孕妇登记上报及时达85%；上报孕妇的孕情随访服务率达到100%；"
            "每个村上报一起“两非”案件线索；全镇出生人口性别比达到规划指标。",
            "mobilise_starts_on": date(year, 4, 1),
            "mobilise_ends_on": date(year, 4, 30),
            "implement_starts_on": date(year, 5, 1),
            "implement_ends_on": date(year, 10, 15),
            "review_starts_on": date(year, 10, 16),
            "review_ends_on": date(year, 10, 31),
            "report_due_on": date(year, 12, 3),
            "created_by": officer,
        },
    )
    for phase, department, description, offset in TASKS:
        due = date(year, 3, 28) + timedelta(days=offset)
        done = due <= anchor - timedelta(days=20) and department != "派出所"
        PlanTask.objects.get_or_create(
            plan=plan,
            description=description,
            defaults={
                "phase": phase,
                "department": department,
                "owner": officer if department == "计生办" else None,
                "owner_name": f"{township.name}{department}",
                "due_on": due,
                "progress": 100 if done else 60,
                "done_on": due if done else None,
            },
        )
    _monthly_reports(township, officer, year, anchor)
    _indicators(township, year)
    _rectification(township, officer, year, anchor)


def _monthly_reports(township: Area, officer: User, year: int, anchor: date) -> None:
    villages = list(Area.objects.filter(parent=township).order_by("code"))
    workers = {u.area_id: u for u in User.objects.filter(area__in=villages)}
    for month_number in range(1, anchor.month):
        month = date(year, month_number, 1)
        if MonthlyReport.objects.filter(village__parent=township, month=month).exists():
            continue
        live = live_figures(township, month)
        for i, village in enumerate(villages):
            last = month_number == anchor.month - 1
            if last and i == len(villages) - 1:
                continue  # the late village: last month's report not yet in
            figures = dict(live[village.pk])
            reviewed_at = datetime(
                year, month_number, 1, tzinfo=timezone.get_current_timezone()
            ) + timedelta(days=38)
            MonthlyReport.objects.create(
                village=village,
                month=month,
                status=ReportStatus.SUBMITTED
                if last and i == 0
                else ReportStatus.APPROVED,
                figures=figures,
                computed=figures,
                created_by=workers.get(village.pk, officer),
                submitted_at=reviewed_at - timedelta(days=4),
                submitted_by=workers.get(village.pk, officer),
                reviewed_at=None if last and i == 0 else reviewed_at,
                reviewed_by=None if last and i == 0 else officer,
            )


# The seed's indicators plus the publicity, care and training counts of the publicity app
# (docs/care.md §4), so that the demo's scorecards count the year's activities.
EXTRA_INDICATORS = {
    Level.VILLAGE: (("publicity_activities", 10), ("care_activities", 10)),
    Level.TOWNSHIP: (
        ("publicity_activities", 5),
        ("care_activities", 5),
        ("staff_training", 5),
    ),
}


def _indicators(township: Area, year: int) -> None:
    county = township.parent
    by = User.objects.filter(username="xian").first()
    if county is None or by is None:
        return
    for level, extra in EXTRA_INDICATORS.items():
        if Indicator.objects.filter(county=county, year=year, level=level).exists():
            continue
        saved = adopt_default_indicators(by=by, county=county, year=year, level=level)
        for position, (kind, weight) in enumerate(extra, start=len(saved)):
            if kind not in REGISTRY:
                continue
            save_indicator(
                by=by,
                county=county,
                year=year,
                level=level,
                kind=kind,
                name=str(REGISTRY[kind].label),
                target=REGISTRY[kind].default_target,
                weight=weight,
                rule=RuleChoice.THRESHOLD,
                position=position,
            )


def _rectification(township: Area, officer: User, year: int, anchor: date) -> None:
    """The township's weakest village of the year so far explains and rectifies."""
    if Rectification.objects.filter(area__parent=township, year=year).exists():
        return
    card = build_scorecard(area=township, level=Level.VILLAGE, period=Period.of(year))
    weak = [r for r in card.rows if r.weak]
    if not weak:
        return
    row = min(
        weak, key=lambda r: (r.total.percent is not None, r.total.percent, r.unit.code)
    )
    Rectification.objects.create(
        area=row.unit,
        year=year,
        reason="\n".join(row.shortfalls()),
        explanation="部分外出务工孕妇未能在怀孕4个月内登记；包保干部随访不及时。",
        measures="每月由村计生专干逐户核查；对外出对象联系现居住地计生部门索取证明。",
        deadline=anchor + timedelta(days=45),
        status=RectificationStatus.SUBMITTED,
        created_by=officer,
        submitted_at=datetime(
            anchor.year, anchor.month, 1, tzinfo=timezone.get_current_timezone()
        ),
    )
