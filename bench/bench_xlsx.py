"""The .xlsx writer every export goes through (`srbgov.reports.xlsx.rows_to_xlsx`).

- xlsx_rows_5000: a sheet of 5,000 rows × 10 columns, one text cell in a hundred
  formula-like (written as text), to bytes. Goal: a county's list exports in seconds.
- xlsx_rows_5000_baseline: the same rows through the previous writer, which read every
  appended row back with `sheet[sheet.max_row]` (a scan of the whole sheet per row),
  so that the comparison holds within the run.

Needs no database: the writer is plain openpyxl.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROWS = 5000
HEADERS = [f"列{i}" for i in range(10)]


def _rows() -> list[list[Any]]:
    return [
        [
            i,
            f"姓名{i}",
            "=HYPERLINK(1)" if i % 100 == 0 else "文本",
            "2026-01-01",
            *("值" for _ in range(6)),
        ]
        for i in range(ROWS)
    ]


def _previous_append_row(sheet: Any, row: Sequence[Any]) -> list[Any]:
    from srbgov.reports.xlsx import FORMULA_PREFIXES, _cell

    values = [_cell(v) for v in row]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
    return values


def run() -> None:
    import django

    django.setup()
    from openpyxl import Workbook

    from bench.timing import median_ms, report
    from srbgov.reports import xlsx

    rows = _rows()

    def current() -> None:
        xlsx.rows_to_xlsx(title="bench", headers=HEADERS, rows=rows)

    def previous() -> None:
        workbook = Workbook()
        sheet = workbook.active
        _previous_append_row(sheet, HEADERS)
        for row in rows:
            _previous_append_row(sheet, row)
        xlsx.workbook_bytes(workbook)

    report("xlsx_rows_5000_baseline", median_ms(previous, runs=1, warmup=0), "ms", 1)
    report("xlsx_rows_5000", median_ms(current, runs=5), "ms", 5)
