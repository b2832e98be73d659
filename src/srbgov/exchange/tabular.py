"""Reading an uploaded table: .xlsx or .csv bytes in, header and rows of text out.

No Django and no other srbgov app: the rules here are about files, not people, and they
are tested with hypothesis (exchange/tests/test_tabular.py). docs/import.md §2.

- .xlsx is read with python-calamine (Rust; about ten times openpyxl's read-only mode on
  a 50,000-row sheet, docs/import.md §6), first sheet only.
- .csv: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), or GB18030
  (what WPS and older Excel write for a Chinese CSV). UTF-8 is tried first and strictly:
  a GB18030 file of Chinese text is almost never valid UTF-8, while every byte string
  that is valid UTF-8 is meant as UTF-8 by whoever wrote it.
- Every cell becomes text: whole numbers without ".0" (a phone typed as a number), dates
  as YYYY-MM-DD. A long number that Excel stored as a float (an identity number typed
  into a number cell has lost its last digits) is flagged, never silently rounded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineError, CalamineWorkbook

from srbgov.people.textinput import fold_width

# Excel keeps 15 significant digits; a whole number with more was rounded on entry.
MAX_EXACT_DIGITS = 15
LOST_DIGITS = "\x00lost-digits"
# The template's example row begins so; a user who leaves it in imports nothing from it.
EXAMPLE_MARK = "【示例】"


class TableError(ValueError):
    """The file as a whole cannot be read; the message is the user's words."""


@dataclass(frozen=True)
class RawTable:
    headers: list[str]
    # (row number as the spreadsheet shows it, cells as text)
    rows: list[tuple[int, list[str]]]


def cell_text(value: object) -> str:
    """One cell as the text a user typed."""
    if type(value) is str:  # most cells: the fast path first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            whole = int(value)
            if len(str(abs(whole))) > MAX_EXACT_DIGITS:
                return LOST_DIGITS
            return str(whole)
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (time, timedelta)):
        return str(value)
    return str(value).strip()


def decode_csv(data: bytes) -> str:
    """The text of a CSV file in one of the encodings Chinese offices write."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030", errors="strict")
    except UnicodeDecodeError:
        raise TableError(
            "无法识别文件的文字编码：请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 后重新上传。"
        ) from None


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_csv(data)
    if "\x00" in text:
        raise TableError("文件中有无法识别的字符，可能不是表格文件。")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() for cell in row]


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError):
        raise TableError(
            "无法打开这个 Excel 文件：请确认是 .xlsx 格式且没有设置密码。"
        ) from None
    for row in rows:
        yield [cell_text(v) for v in row]


def first_sheet_name(data: bytes) -> str:
    """The name of an .xlsx file's first sheet ("" when it cannot be read): an error
    report names its job there (docs/import.md §3)."""
    try:
        names = CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
    except (CalamineError, ValueError, OSError):
        return ""
    return str(names[0]) if names else ""


def read_table(data: bytes, *, suffix: str) -> RawTable:
    """Header (first non-empty row) and the non-empty rows after it, numbered as in
    the spreadsheet (the header's row + 1, …), cells as text."""
    if suffix == ".csv":
        source = _csv_rows(data)
    elif suffix == ".xlsx":
        source = _xlsx_rows(data)
    else:
        raise TableError("只能上传 .xlsx 或 .csv 文件。")
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(source, start=1):
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        if cells[0].startswith(EXAMPLE_MARK):
            continue
        rows.append((number, cells))
    if headers is None:
        raise TableError("文件中没有内容：第一行应为列名，从第二行起每行一条记录。")
    return RawTable(headers=headers, rows=rows)


def header_key(text: str) -> str:
    """A header as it is compared: width folded, spaces and the required-column marks
    (`*`, `（必填）`) removed, so that `姓名*`, `姓 名` and `姓名（必填）` all match."""
    folded = fold_width(text)
    folded = re.sub(r"[(（]\s*必填\s*[)）]", "", folded)
    return re.sub(r"[\s*＊]+", "", folded)


@dataclass(frozen=True)
class HeaderProblem:
    column: str
    message: str


def map_headers(
    headers: Sequence[str],
    *,
    columns: Sequence[tuple[str, str, bool, Sequence[str]]],
) -> tuple[dict[str, int], list[HeaderProblem]]:
    """Which position holds which column. `columns` is (key, header, required,
    aliases). Unknown headers are ignored (a workbook may carry the office's own
    columns); a missing required column or a column given twice is a problem."""
    wanted: dict[str, str] = {}
    for key, header, _required, aliases in columns:
        for name in (header, *aliases):
            wanted[header_key(name)] = key
    positions: dict[str, int] = {}
    problems: list[HeaderProblem] = []
    for position, text in enumerate(headers):
        found = wanted.get(header_key(text))
        if found is None:
            continue
        if found in positions:
            problems.append(
                HeaderProblem(text, f"列“{text}”出现了两次，请删除其中一列。")
            )
            continue
        positions[found] = position
    for key, header, required, _aliases in columns:
        if required and key not in positions:
            problems.append(
                HeaderProblem(header, f"缺少必填列“{header}”。请使用下载的模板。")
            )
    return positions, problems


def row_values(cells: Sequence[str], positions: dict[str, int]) -> dict[str, str]:
    """A row's cells by column key; a short row has empty cells at its end."""
    return {
        key: (cells[position] if position < len(cells) else "")
        for key, position in positions.items()
    }


DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(text: str) -> date | None:
    """A date as offices write it (2024-03-08, 2024/3/8, 2024.3.8, 2024年3月8日,
    20240308, or an Excel date cell already turned into ISO text), else None."""
    folded = fold_width(text).strip()
    if "T" in folded:
        folded = folded.split("T", 1)[0]
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(folded)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None
