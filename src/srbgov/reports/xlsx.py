"""Excel (.xlsx) exports: plain rows in, bytes out.

Every text cell is written as text: a value that begins with `=`, `+`, `-`, `@`, a tab
or a carriage return would otherwise be taken for a formula by openpyxl (`=`) or by a
spreadsheet when the cell is edited (formula injection: a user name
`=HYPERLINK("http://x","y")` would become a live link in the auditor's export).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def rows_to_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    notes: Sequence[str] = (),
) -> bytes:
    """One sheet; `notes` go below the table after an empty row, one a row in the
    first column (what a page says under its table, e.g. what a verdict means)."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    fill_sheet(sheet, title=title, headers=headers, rows=rows)
    if notes:
        sheet.append([None])
        for note in notes:
            # After fill_sheet: a long sentence must not widen the first column.
            append_row(sheet, [note])
    return workbook_bytes(workbook)


def fill_sheet(
    sheet: Worksheet,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    max_width: int = 40,
) -> None:
    """One table on one sheet: bold header row, frozen, columns sized to content."""
    sheet.title = title[:31]
    append_row(sheet, [str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = append_row(sheet, row)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = min(max_width, max(widths[i], len(str(value)) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"


def append_row(sheet: Worksheet, row: Sequence[Any]) -> list[Any]:
    """Append one row, every text cell as text (never a formula).

    A text that looks like a formula goes in as a ready-made text cell. Fixing it
    after `append` by reading the row back (`sheet[sheet.max_row]`) made every
    append scan the whole sheet: a 5,000-row export took minutes."""
    values = [_cell(v) for v in row]
    sheet.append(
        [_text_cell(sheet, v) if _looks_like_formula(v) else v for v in values]
    )
    return values


def _looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _text_cell(sheet: Worksheet, value: str) -> Cell:
    cell = Cell(sheet)
    cell.value = value
    cell.data_type = "s"
    cell.quotePrefix = True  # the spreadsheet keeps it text when edited
    return cell


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).replace(tzinfo=None)
            if timezone.is_aware(value)
            else value
        )
    if value is None or isinstance(value, (int, float, str, date)):
        return value
    return str(value)


def xlsx_response(content: bytes, filename_stem: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename_stem)}-{stamp}.xlsx"
    )
    return response
