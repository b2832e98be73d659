"""The downloadable template of each kind: Chinese headers, an example row, a notes
sheet. Every column is formatted as text, so that Excel keeps an identity number's 18
characters (a number cell keeps 15 significant digits). docs/import.md §1."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from srbgov.exchange.kinds.base import Kind
from srbgov.reports.xlsx import append_row, fill_sheet, workbook_bytes

TEXT_FORMAT = "@"
TEMPLATE_ROWS = 2000


def template_workbook(kind: Kind) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    headers = [f"{c.header}*" if c.required else c.header for c in kind.columns]
    fill_sheet(
        sheet,
        title=f"{kind.label}导入",
        headers=headers,
        rows=[[c.example for c in kind.columns]],
    )
    for column in sheet.iter_cols(
        min_col=1, max_col=len(headers), min_row=2, max_row=TEMPLATE_ROWS
    ):
        for cell in column:
            cell.number_format = TEXT_FORMAT
    notes = workbook.create_sheet("填写说明")
    append_row(notes, ["列名", "是否必填", "说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for c in kind.columns:
        append_row(notes, [c.header, "必填" if c.required else "选填", c.note])
    append_row(notes, [])
    for line in kind.notes:
        append_row(notes, ["", "", line])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 80
    return workbook_bytes(workbook)
