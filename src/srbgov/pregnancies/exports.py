"""The follow-up lists as sheets: the pregnancy list and its worklists share one
declaration; infant deaths have their own (docs/access.md)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.pregnancies import queries
from srbgov.pregnancies.models import OPEN_STATUSES, InfantDeath, Pregnancy
from srbgov.reports.exports import Column, Export


def _week(p: Pregnancy) -> int | str | None:
    if p.status not in OPEN_STATUSES:
        return ""
    return queries.current_week(p.lmp_on, timezone.localdate())


def _yes_no(flag: bool) -> str:
    return str(_("是") if flag else _("否"))


PREGNANCIES: Export[Pregnancy] = Export(
    title=_("孕情名单"),
    object_type="pregnancies.pregnancy",
    css="pregnancies",
    columns=(
        Column(
            _("姓名"),
            lambda p: p.woman.name,
            link=lambda p: reverse("pregnancies:pregnancy_detail", args=[p.pk]),
        ),
        Column(_("乡镇"), lambda p: p.village.parent.name if p.village.parent else ""),
        Column(_("村"), lambda p: p.village.name),
        Column(_("状态"), lambda p: p.get_status_display()),
        Column(_("末次月经"), lambda p: p.lmp_on),
        Column(_("预产期"), lambda p: p.due_on),
        Column(_("当前孕周"), _week),
        Column(_("孕次孩次"), lambda p: p.birth_order),
        Column(
            _("超过4个月登记"),
            lambda p: _yes_no(p.is_late_registration),
            short=_("超4个月"),
        ),
        Column(_("下次随访截止"), lambda p: p.next_due_on),
        Column(_("逾期未访次数"), lambda p: p.overdue_visits, short=_("逾期未访")),
        Column(_("最近随访"), lambda p: p.last_visit_on),
        Column(_("责任人"), lambda p: p.responsible_persons, page=False),
    ),
)

INFANT_DEATHS: Export[InfantDeath] = Export(
    title=_("婴儿死亡"),
    object_type="pregnancies.infantdeath",
    css="deaths",
    columns=(
        Column(_("母亲"), lambda d: d.mother.name),
        Column(_("村"), lambda d: d.village.name),
        Column(_("性别"), lambda d: d.get_sex_display()),
        Column(_("出生日期"), lambda d: d.child.birth_on),
        Column(_("死亡时间"), lambda d: d.died_at),
        Column(_("死亡原因"), lambda d: d.cause),
        Column(_("死亡医学证明编号"), lambda d: d.death_certificate_number, page=False),
        Column(_("报告时间"), lambda d: d.reported_at),
        Column(_("报告间隔（小时）"), lambda d: d.report_delay_hours),
        Column(_("超过24小时报告"), lambda d: _yes_no(d.is_late_report)),
    ),
)
