"""The statistics workbook: one sheet per table, counts only, no identities."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from srbgov.tips.queries import Tally, TipStats


def _sheet(book: Workbook, title: str, headers: Sequence[str], rows: list[Any]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18


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
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
