"""The statistics workbook: one sheet per table, counts only, no identities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from srbgov.reports.exports import Column, Export
from srbgov.reports.xlsx import fill_sheet, workbook_bytes
from srbgov.tips.models import Reward, Tip
from srbgov.tips.queries import Tally, TipStats

TIPS: Export[Tip] = Export(
    title=gettext_lazy("举报线索"),
    object_type="tips.tip",
    columns=(
        Column(
            gettext_lazy("编号"),
            lambda t: t.reference,
            link=lambda t: reverse("tips:tip_detail", args=[t.pk]),
        ),
        Column(gettext_lazy("受理日期"), lambda t: t.received_on),
        Column(gettext_lazy("举报事项"), lambda t: t.get_category_display()),
        Column(
            gettext_lazy("发生地"), lambda t: t.place_area.name if t.place_area else ""
        ),
        Column(
            gettext_lazy("承办乡镇"), lambda t: t.township.name if t.township else ""
        ),
        Column(gettext_lazy("状态"), lambda t: t.get_status_display()),
        Column(gettext_lazy("核查结论日期"), lambda t: t.decided_on),
    ),
)


def _signed(r: Reward) -> str:
    if r.signed_by_code:
        return _("回执码")
    return _("具名") if r.paid_on else ""


REWARDS: Export[Reward] = Export(
    title=gettext_lazy("举报奖励"),
    object_type="tips.reward",
    columns=(
        Column(
            gettext_lazy("举报编号"),
            lambda r: r.tip.reference,
            link=lambda r: reverse("tips:tip_detail", args=[r.tip_id]),
        ),
        Column(gettext_lazy("奖励类别"), lambda r: r.get_kind_display()),
        Column(gettext_lazy("金额（元）"), lambda r: r.amount),
        Column(gettext_lazy("状态"), lambda r: r.get_status_display()),
        Column(gettext_lazy("提出人"), lambda r: r.proposed_by.username),
        Column(gettext_lazy("提出日期"), lambda r: r.proposed_on),
        Column(
            gettext_lazy("审批人"),
            lambda r: r.decided_by.username if r.decided_by else "",
        ),
        Column(gettext_lazy("审批日期"), lambda r: r.decided_on),
        Column(gettext_lazy("发放日期"), lambda r: r.paid_on),
        Column(
            gettext_lazy("发放方式"),
            lambda r: r.get_paid_method_display() if r.paid_method else "",
        ),
        Column(gettext_lazy("签收方式"), _signed),
    ),
)


def _sheet(book: Workbook, title: str, headers: Sequence[str], rows: list[Any]) -> None:
    fill_sheet(book.create_sheet(title[:31]), title=title, headers=headers, rows=rows)


def _tally_rows(tallies: list[Tally]) -> list[tuple[Any, ...]]:
    return [
        (
            t.label,
            t.received,
            t.verified,
            t.not_verified,
            round(t.rate * 100, 1) if t.rate is not None else "",
        )
        for t in tallies
    ]


def stats_workbook(stats: TipStats) -> bytes:
    book = Workbook()
    book.remove(book.active)
    tally_headers = [_("分组"), _("受理"), _("查实"), _("未查实"), _("查实率（%）")]
    _sheet(
        book,
        _("按举报事项"),
        tally_headers,
        _tally_rows([*stats.by_category, stats.total]),
    )
    _sheet(book, _("按乡镇"), tally_headers, _tally_rows(stats.by_township))
    _sheet(book, _("按月份"), tally_headers, _tally_rows(stats.by_month))
    _sheet(
        book,
        _("各村两非线索"),
        [_("乡镇"), _("村"), _("“两非”线索数"), _("达到每年至少1条")],
        [
            (v.township, v.village, v.leads, _("是") if v.meets_target else _("否"))
            for v in stats.villages
        ],
    )
    _sheet(
        book,
        _("奖励"),
        [_("年度"), _("已发放笔数"), _("已发放金额（元）"), _("待审批或待领取")],
        [
            (
                stats.year,
                stats.rewards_paid,
                stats.rewards_paid_yuan,
                stats.rewards_pending,
            )
        ],
    )
    return workbook_bytes(book)
