"""Drafts of the documents a township produces, filled from the data (docs/assessment.md).

A draft is the editable text of `reports.officialdoc` (headings `#`, tables `|`), with the
masthead fields; the user corrects it on the page and downloads it as .docx (or PDF). Each
kind is registered here with who may draft it; the figures come from the same scorecard and
queries the pages show, so the document and the page cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment import access
from srbgov.assessment.indicators import Period
from srbgov.assessment.models import Level, Rectification, VetoEvent
from srbgov.assessment.scorecard import Scorecard, build_scorecard, target_text
from srbgov.oversight.models import Campaign, Case, Inspection, RectificationStatus
from srbgov.pregnancies.models import Birth, InfantDeath, Pregnancy
from srbgov.reports.officialdoc import (
    Block,
    Heading,
    Paragraph,
    Table,
    render_draft,
)
from srbgov.tips.models import LIANGFEI_CATEGORIES, Tip

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@dataclass(frozen=True)
class Draft:
    issuer: str
    number: str
    title: str
    addressee: str
    signatory: str
    date: date
    body: str  # the editable text (reports.officialdoc.parse_draft)


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    label: str | Promise
    allowed: Callable[[User], bool]
    draft: Callable[[User, Area, QueryDict], Draft]
    listed: bool = True  # False: opened from its record's page (a month's report)


DOCUMENTS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    DOCUMENTS[kind.slug] = kind
    return kind


def office_name(area: Area) -> str:
    suffix = "村民委员会" if area.level == AreaLevel.VILLAGE else "人民政府"
    return f"{area.name}{suffix}"


def _year(params: QueryDict) -> int:
    raw = params.get("year", "")
    return (
        int(raw)
        if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100
        else (timezone.localdate().year)
    )


def _month(params: QueryDict) -> int:
    raw = params.get("month", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 12 else 0


# --- the scorecard table --------------------------------------------------------------------


def scorecard_blocks(card: Scorecard) -> list[Block]:
    header = [_("单位")] + [i.name for i in card.indicators] + [_("得分"), _("排名")]
    rows = []
    for row in card.rows:
        by_kind = {c.indicator.kind: c for c in row.cells}
        cells = [row.unit.name]
        for indicator in card.indicators:
            cell = by_kind.get(indicator.kind)
            cells.append(f"{cell.text}（{cell.figure.score}）" if cell else "")
        if row.total.vetoed:
            cells.append(_("一票否决"))
        else:
            cells.append(f"{row.total.score}/{row.total.possible}")
        cells.append(str(row.rank or "—"))
        rows.append(cells)
    targets = "；".join(
        f"{i.name} {target_text_for(i.kind, card)}（{i.weight}分）"
        for i in card.indicators
    )
    note = _("说明：比率列出分子/分母，例数不足10例的只列例数。")
    if card.srb_note:
        note += card.srb_note
    return [
        Paragraph(_("考核指标及目标：%(targets)s。") % {"targets": targets}),
        Table(header=header, rows=rows),
        Paragraph(note),
    ]


def target_text_for(kind: str, card: Scorecard) -> str:
    for row in card.rows:
        for cell in row.cells:
            if cell.indicator.kind == kind:
                return target_text(cell.figure)
    return ""


def draft_scorecard(user: User, area: Area, params: QueryDict) -> Draft:
    year, month = _year(params), _month(params)
    level = Level.VILLAGE if area.level != AreaLevel.COUNTY else Level.TOWNSHIP
    card = build_scorecard(area=area, level=level, period=Period.of(year, month))
    title = _("%(area)s%(period)s综合治理出生人口性别比工作考核评分表") % {
        "area": area.name,
        "period": card.period.label,
    }
    return Draft(
        issuer=office_name(area),
        number="",
        title=title,
        addressee="",
        signatory=office_name(area),
        date=timezone.localdate(),
        body=render_draft(scorecard_blocks(card)),
    )


# --- the year-end summary (炉山镇 summary's sections) -----------------------------------------


def year_figures(area: Area, year: int) -> dict[str, int]:
    """The year's figures of the area, each one query over the scoped managers."""
    registered = Pregnancy.objects.in_area(area).filter(
        pregnancy_registered_on__year=year
    )
    preg = registered.aggregate(
        n=Count("id", distinct=True),
        on_time=Count("id", filter=Q(is_late_registration=False), distinct=True),
        visited=Count("visits__pregnancy_id", distinct=True),
    )
    births = (
        Birth.objects.in_area(area)
        .filter(born_on__year=year)
        .aggregate(
            boys=Count("id", filter=Q(sex="M")), girls=Count("id", filter=Q(sex="F"))
        )
    )
    inspections = Inspection.objects.in_area(area).filter(inspected_on__year=year)
    return {
        "pregnancies": preg["n"],
        "on_time": preg["on_time"],
        "visited": preg["visited"],
        "boys": births["boys"],
        "girls": births["girls"],
        "infant_deaths": InfantDeath.objects.in_area(area)
        .filter(died_at__year=year)
        .count(),
        "campaigns": Campaign.objects.in_area(area)
        .filter(deploy_starts_on__year=year)
        .count(),
        "inspections": inspections.count(),
        "inspections_rectify": inspections.exclude(
            rectification=RectificationStatus.NONE
        ).count(),
        "inspections_closed": inspections.filter(
            rectification=RectificationStatus.CLOSED
        ).count(),
        "cases": Case.objects.in_area(area).filter(opened_at__year=year).count(),
        "cases_closed": Case.objects.in_area(area)
        .filter(opened_at__year=year, status="closed")
        .count(),
        "leads": Tip.objects.filter(
            place_area__code__startswith=area.scope_prefix,
            category__in=LIANGFEI_CATEGORIES,
            received_on__year=year,
        ).count(),
        "vetoes": VetoEvent.objects.in_area(area)
        .filter(confirmed_on__year=year)
        .count(),
        "rectifications": Rectification.objects.in_area(area).filter(year=year).count(),
    }


def organisation_blocks(area: Area, year: int) -> list[Block]:
    """炉山镇 summary §二 from the organisation records: the leading group, the plans,
    the responsibility books, the joint meetings and the supervision visits."""
    from srbgov.workplans.models import Body, Member, PlanTask, WorkPlan
    from srbgov.workplans.queries import organisation_figures

    members = Member.objects.in_area(area)
    group = members.filter(body=Body.LEADING_GROUP).count()
    departments = members.filter(body=Body.DEPARTMENT).count()
    plans = WorkPlan.objects.in_area(area).filter(year=year)
    tasks = PlanTask.objects.in_area(area).filter(plan__year=year)
    done = tasks.filter(done_on__isnull=False).count()
    org = organisation_figures(scope=area, year=year, today=timezone.localdate())
    blocks: list[Block] = []
    if group or plans.exists():
        blocks.append(
            Paragraph(
                _(
                    "成立综合治理出生人口性别比领导小组（成员%(group)s人），下设办公室，"
                    "%(departments)s个成员单位各负其责；制定实施方案%(plans)s个，"
                    "分解任务%(tasks)s项，已完成%(done)s项。"
                )
                % {
                    "group": group,
                    "departments": departments,
                    "plans": plans.count(),
                    "tasks": tasks.count(),
                    "done": done,
                }
            )
        )
    if org.books_signed or org.books_missing or org.meetings or org.supervision_visits:
        blocks += [
            Heading(2, _("目标责任、联席会议和督查")),
            Paragraph(
                _(
                    "层层签订目标管理责任书%(signed)s份，尚有%(missing)s个单位未签订；"
                    "召开联席会议%(meetings)s次，交办任务%(tasks)s项，已完成%(done)s项；"
                    "开展督查%(visits)s次，发现问题%(items)s个，已整改完成%(closed)s个，"
                    "逾期未整改%(overdue)s个。"
                )
                % {
                    "signed": org.books_signed,
                    "missing": org.books_missing,
                    "meetings": org.meetings,
                    "tasks": org.meeting_tasks,
                    "done": org.meeting_tasks_done,
                    "visits": org.supervision_visits,
                    "items": org.supervision_items,
                    "closed": org.supervision_items_closed,
                    "overdue": org.supervision_items_overdue,
                }
            ),
        ]
    if not blocks:
        return [Paragraph(_("（请补充领导小组、联席会议和目标责任书的情况。）"))]
    return blocks


def draft_year_summary(user: User, area: Area, params: QueryDict) -> Draft:
    year = _year(params)
    f = year_figures(area, year)
    level = Level.VILLAGE if area.level != AreaLevel.COUNTY else Level.TOWNSHIP
    card = build_scorecard(area=area, level=level, period=Period.of(year))
    weak = [r.unit.name for r in card.weak_rows]
    blocks: list[Block] = [
        Paragraph(
            _(
                "%(year)s年，在上级人口计生部门的业务指导下，%(area)s全体计生干部共同努力，"
                "综合治理出生人口性别比工作取得了一定的成绩，现将工作总结如下："
            )
            % {"year": year, "area": area.name}
        ),
        Heading(1, _("加大宣传力度，营造舆论氛围")),
        Paragraph(_("（请补充本年宣传活动的形式、次数和覆盖面。）")),
        Heading(1, _("健全组织，完善制度")),
    ]
    blocks += organisation_blocks(area, year)
    blocks += [
        Heading(2, _("孕情服务跟踪")),
        Paragraph(
            _(
                "全年登记孕情%(n)s例，其中怀孕4个月内及时登记%(on_time)s例，已随访%(visited)s例。"
                "全年出生男婴%(boys)s人、女婴%(girls)s人；婴儿死亡%(deaths)s例，均已登记报告。"
            )
            % {
                "n": f["pregnancies"],
                "on_time": f["on_time"],
                "visited": f["visited"],
                "boys": f["boys"],
                "girls": f["girls"],
                "deaths": f["infant_deaths"],
            }
        ),
        Heading(1, _("发挥利益导向作用，开展关爱女孩行动")),
        Paragraph(_("（请补充关爱女孩行动和奖励优惠政策的落实情况。）")),
        Heading(1, _("严厉打击“两非”，净化生育环境")),
        Paragraph(
            _(
                "全年开展集中专项整治%(campaigns)s次，检查医疗机构和药店%(inspections)s家次，"
                "发现问题需整改%(rectify)s家次，已整改到位%(closed)s家次；受理“两非”案件线索"
                "%(leads)s条，立案%(cases)s起，结案%(cases_closed)s起。"
            )
            % {
                "campaigns": f["campaigns"],
                "inspections": f["inspections"],
                "rectify": f["inspections_rectify"],
                "closed": f["inspections_closed"],
                "leads": f["leads"],
                "cases": f["cases"],
                "cases_closed": f["cases_closed"],
            }
        ),
        Heading(1, _("考核情况")),
        Paragraph(
            _("按年度考核指标对各单位进行了考核，%(weak)s；一票否决事项%(vetoes)s起。")
            % {
                "weak": _("未达标单位：%(names)s，已下发整改任务%(n)s个")
                % {"names": "、".join(weak), "n": f["rectifications"]}
                if weak
                else _("各单位均已达标"),
                "vetoes": f["vetoes"],
            }
        ),
        *scorecard_blocks(card),
        Paragraph(
            _(
                "尽管我们的工作取得了一定的成绩，但是与上级部门的要求还有一定的差距，"
                "我们今后将继续努力工作。"
            )
        ),
    ]
    return Draft(
        issuer=office_name(area),
        number="",
        title=_("%(area)s%(year)s年综合治理出生人口性别比工作总结")
        % {"area": area.name, "year": year},
        addressee="",
        signatory=_("%(area)s综合治理性别比办公室") % {"area": area.name},
        date=timezone.localdate(),
        body=render_draft(blocks),
    )


register(
    DocumentKind(
        "year-summary",
        gettext_lazy("年度工作总结"),
        access.can_review_assessment,
        draft_year_summary,
    )
)
register(
    DocumentKind(
        "scorecard",
        gettext_lazy("考核评分表"),
        access.can_see_assessment,
        draft_scorecard,
    )
)


# --- the monthly village report -------------------------------------------------------------


def draft_monthly_report(user: User, area: Area, params: QueryDict) -> Draft:
    from srbgov.villagereports import access as report_access
    from srbgov.villagereports.models import FIGURES

    report = report_access.get_report_for_user(user, params.get("report", ""))
    rows = [[str(label), str(int(report.figures.get(k, 0)))] for k, label in FIGURES]
    blocks: list[Block] = [
        Table(header=[_("项目"), _("本月数")], rows=rows),
        Paragraph(_("状态：%(status)s。") % {"status": report.get_status_display()}),
    ]
    if report.notes:
        blocks.append(Paragraph(_("备注说明：%(notes)s") % {"notes": report.notes}))
    return Draft(
        issuer=office_name(report.village),
        number="",
        title=_("%(village)s村级计划生育信息月报告单（%(month)s）")
        % {"village": report.village.name, "month": report.label},
        addressee=_("%(town)s计生办")
        % {"town": report.village.parent.name if report.village.parent else ""},
        signatory=office_name(report.village),
        date=timezone.localdate(),
        body=render_draft(blocks),
    )


def _can_see_reports(user: User) -> bool:
    from srbgov.villagereports.access import can_see_reports

    return can_see_reports(user)


register(
    DocumentKind(
        "monthly-report",
        gettext_lazy("村级月报"),
        _can_see_reports,
        draft_monthly_report,
        listed=False,
    )
)


# --- the work plan (湫坡头镇 plan's layout: goals, phases, tasks, organisation) ---------------


def draft_work_plan(user: User, area: Area, params: QueryDict) -> Draft:
    from srbgov.workplans import access as plan_access

    plans = plan_access.plans_for_user(user)
    plan = (
        plan_access.get_plan_for_user(user, params["plan"])
        if params.get("plan")
        else plans.order_by("-year", "-id").first()
    )
    if plan is None:
        raise Http404
    tasks = plan_access.tasks_for_user(user).filter(plan=plan)
    members = plan_access.members_for_user(user).filter(area=plan.area)
    blocks: list[Block] = [Heading(1, _("工作目标")), Paragraph(plan.goals)]
    blocks.append(Heading(1, _("时间安排")))
    for name, start, end in plan.phases():
        blocks.append(
            Paragraph(f"{name}（{start:%Y年%-m月%-d日}—{end:%Y年%-m月%-d日}）。")
        )
    blocks.append(
        Paragraph(
            _("书面材料于%(due)s前报领导小组办公室。")
            % {"due": f"{plan.report_due_on:%Y年%-m月%-d日}"}
        )
    )
    blocks.append(Heading(1, _("任务分工")))
    blocks.append(
        Table(
            header=[_("阶段"), _("责任单位"), _("任务"), _("责任人"), _("完成期限")],
            rows=[
                [
                    t.get_phase_display(),
                    t.department,
                    t.description,
                    t.owner_name,
                    f"{t.due_on:%Y-%m-%d}",
                ]
                for t in tasks
            ],
        )
    )
    if members:
        blocks.append(Heading(1, _("组织领导")))
        blocks.append(
            Paragraph(
                "；".join(
                    f"{m.get_body_display()}{m.position}：{m.name}" for m in members
                )
                + "。"
            )
        )
    return Draft(
        issuer=office_name(plan.area),
        number="",
        title=plan.title,
        addressee=_("各村委会、各有关单位"),
        signatory=office_name(plan.area),
        date=timezone.localdate(),
        body=render_draft(blocks),
    )


def _can_see_plans(user: User) -> bool:
    from srbgov.workplans.access import can_see_plans

    return can_see_plans(user)


register(
    DocumentKind("work-plan", gettext_lazy("实施方案"), _can_see_plans, draft_work_plan)
)
