"""Campaigns, inspections and cases as sheets (docs/access.md)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.oversight.models import Campaign, Case, Inspection, Survey, SurveyVisit
from srbgov.reports.exports import Column, Export

CAMPAIGNS: Export[Campaign] = Export(
    title=_("专项整治"),
    object_type="oversight.campaign",
    columns=(
        Column(
            _("名称"),
            lambda c: c.name,
            link=lambda c: reverse("oversight:campaign_detail", args=[c.pk]),
        ),
        Column(_("组织单位区划"), lambda c: c.area.name),
        Column(_("部署开始"), lambda c: c.deploy_starts_on),
        Column(_("部署结束"), lambda c: c.deploy_ends_on),
        Column(_("实施开始"), lambda c: c.implement_starts_on),
        Column(_("实施结束"), lambda c: c.implement_ends_on),
        Column(_("总结开始"), lambda c: c.summary_starts_on),
        Column(_("总结结束"), lambda c: c.summary_ends_on),
        Column(_("报告期限"), lambda c: c.report_due_on),
    ),
)

INSPECTIONS: Export[Inspection] = Export(
    title=_("检查记录"),
    object_type="oversight.inspection",
    columns=(
        Column(_("专项整治"), lambda i: i.campaign.name),
        Column(_("机构"), lambda i: i.facility.name),
        Column(_("检查日期"), lambda i: i.inspected_on),
        Column(_("检查人员"), lambda i: "、".join(i.inspectors)),
        Column(_("不符合项"), lambda i: "、".join(i.failed_items())),
        Column(_("发现的问题"), lambda i: i.findings),
        Column(_("整改期限"), lambda i: i.rectify_by),
        Column(_("整改状态"), lambda i: i.get_rectification_display()),
        Column(_("复查日期"), lambda i: i.followed_up_on),
    ),
)


def _subject(c: Case) -> object:
    return c.subject_facility or c.subject_practitioner or c.subject_description


CASES: Export[Case] = Export(
    title=_("案件"),
    object_type="oversight.case",
    columns=(
        Column(
            _("案件编号"),
            lambda c: c.number,
            link=lambda c: reverse("oversight:case_detail", args=[c.pk]),
        ),
        Column(_("案由"), lambda c: c.title),
        Column(_("承办区划"), lambda c: c.area.name),
        Column(_("来源"), lambda c: c.get_source_display()),
        Column(_("当事人类别"), lambda c: c.get_subject_kind_display()),
        Column(_("当事人"), _subject),
        Column(_("立案时间"), lambda c: c.opened_at),
        Column(_("状态"), lambda c: c.get_status_display()),
        Column(_("处理结果"), lambda c: c.get_disposition_display()),
        Column(_("罚没金额（元）"), lambda c: c.penalty_amount),
        Column(_("法律依据"), lambda c: c.legal_basis, page=False),
        Column(_("移送公安时间"), lambda c: c.referred_to_police_at),
    ),
)


# --- unlicensed-practice surveys (issue 17 item 4, docs/registers.md §7) -----------

SURVEYS: Export[Survey] = Export(
    title=_("非法行医排查"),
    filename=_("非法行医排查"),
    object_type="oversight.survey",
    columns=(
        Column(
            _("名称"),
            lambda s: s.name,
            link=lambda s: reverse("oversight:survey_detail", args=[s.pk]),
        ),
        Column(_("排查区划"), lambda s: s.area.name),
        Column(_("牵头部门"), lambda s: s.get_department_display()),
        Column(_("开始日期"), lambda s: s.started_on),
        Column(_("结束日期"), lambda s: s.ended_on),
        # Annotated by views_surveys._surveys (one query for the page).
        Column(_("排查场所"), lambda s: getattr(s, "n_visits", 0)),
        Column(_("发现问题"), lambda s: getattr(s, "n_problems", 0)),
    ),
)


def _items(v: SurveyVisit) -> str:
    return "、".join(str(i) for i in v.items.all())


VISITS: Export[SurveyVisit] = Export(
    title=_("排查记录"),
    filename=_("非法行医排查记录"),
    object_type="oversight.surveyvisit",
    columns=(
        Column(_("排查日期"), lambda v: v.visited_on),
        Column(_("场所类别"), lambda v: v.get_place_kind_display()),
        Column(_("场所名称/经营者"), lambda v: v.place_name),
        Column(_("地址"), lambda v: v.address),
        Column(_("所在村"), lambda v: v.village.name if v.village else ""),
        Column(_("持有执业许可"), lambda v: str(_("是") if v.is_licensed else _("否"))),
        Column(_("发现的设备"), lambda v: v.devices_found),
        Column(_("发现的药品"), lambda v: v.drugs_found),
        Column(_("提供的服务"), lambda v: v.services_offered),
        Column(_("查扣物品"), _items),
        Column(_("发现问题"), lambda v: str(_("是") if v.has_problem else _("否"))),
        Column(_("情况说明"), lambda v: v.note, page=False),
    ),
)
