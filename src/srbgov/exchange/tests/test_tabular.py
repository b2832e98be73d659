"""Header and row parsing of uploaded tables (exchange/tabular.py): properties over
any text a cell may hold, any column order and any of the encodings offices write."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from srbgov.exchange.tabular import (
    LOST_DIGITS,
    TableError,
    cell_text,
    decode_csv,
    header_key,
    map_headers,
    parse_date,
    read_table,
    row_values,
)

COLUMNS = [
    ("name", "姓名", True, ()),
    ("id_number", "身份证号码", True, ("身份证号",)),
    ("village", "所在村", True, ()),
    ("phone", "联系电话", False, ()),
]

# Cell text as people type it: Chinese, ASCII, full-width forms; no line breaks or
# surrounding spaces (a cell is stripped) and no NUL.
cell = st.text(
    alphabet=st.sampled_from("王芳李娜一村甲镇0123456789Xx-/ ，,\"'＃１２ａ"),
    max_size=12,
).map(str.strip)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])


def to_csv(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


@given(
    order=st.permutations(range(len(COLUMNS))),
    body=st.lists(st.lists(cell, min_size=4, max_size=4), max_size=8),
    encoding=encodings,
)
@settings(max_examples=150, deadline=None)
def test_any_column_order_and_encoding_reads_back_every_non_empty_row(
    order: list[int], body: list[list[str]], encoding: str
) -> None:
    headers = [COLUMNS[i][1] for i in order]
    rows = [[r[i] for i in order] for r in body]
    table = read_table(to_csv([headers, *rows], encoding), suffix=".csv")
    positions, problems = map_headers(table.headers, columns=COLUMNS)
    assert problems == []
    expected = [
        (number, dict(zip(("name", "id_number", "village", "phone"), r, strict=True)))
        for number, r in enumerate(body, start=2)
        if any(r) and not r[0].startswith("【示例】")
    ]
    got = [(n, row_values(cells, positions)) for n, cells in table.rows]
    assert got == expected


@given(st.text(max_size=40), encodings)
@settings(max_examples=200, deadline=None)
def test_decoding_gives_back_the_text_in_every_supported_encoding(
    text: str, encoding: str
) -> None:
    assume(not text.startswith("\ufeff"))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if encoding == "gb18030":
        # The one ambiguity: GB18030 bytes that are also valid UTF-8 are read as
        # UTF-8 (docs/import.md §2). Chinese text in GB18030 almost never is.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(data.decode("utf-8") == text)
    assert decode_csv(data) == text


def test_gb18030_chinese_is_not_mistaken_for_utf8() -> None:
    text = "姓名,身份证号码,所在村\r\n王芳,520999199503080021,甲镇 一村\r\n"
    assert decode_csv(text.encode("gb18030")) == text


@given(header=st.sampled_from([c[1] for c in COLUMNS]), spaces=st.text(" ", max_size=3))
def test_required_marks_spaces_and_full_width_forms_do_not_change_a_header(
    header: str, spaces: str
) -> None:
    for variant in (
        f"{header}*",
        f"{spaces}{header}{spaces}",
        f"{header}（必填）",
        f"{header}＊",
    ):
        assert header_key(variant) == header_key(header)


@given(missing=st.sampled_from([c for c in COLUMNS if c[2]]))
def test_a_missing_required_column_is_named(
    missing: tuple[str, str, bool, tuple[str, ...]],
) -> None:
    headers = [c[1] for c in COLUMNS if c != missing]
    _positions, problems = map_headers(headers, columns=COLUMNS)
    assert [p.column for p in problems] == [missing[1]]


def test_a_column_given_twice_is_a_problem_and_unknown_columns_are_ignored() -> None:
    positions, problems = map_headers(
        ["姓名", "身份证号", "所在村", "身份证号码", "本村自己的列"], columns=COLUMNS
    )
    assert positions == {"name": 0, "id_number": 1, "village": 2}
    assert len(problems) == 1 and "出现了两次" in problems[0].message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_in_every_office_format_parse_to_the_same_day(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
    ):
        assert parse_date(text) == day


def test_impossible_dates_and_other_text_are_not_dates() -> None:
    for text in ("2024-02-30", "昨天", "", "2024-13-01", "24-3-8"):
        assert parse_date(text) is None


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_whole_numbers_keep_every_digit_and_long_ones_are_flagged(n: int) -> None:
    assert cell_text(float(n)) == str(n)
    assert cell_text(n) == str(n)


def test_an_identity_number_stored_as_a_number_is_flagged_not_rounded() -> None:
    assert cell_text(520999199503080021.0) == LOST_DIGITS
    assert cell_text(date(2024, 3, 8)) == "2024-03-08"


def test_an_xlsx_sheet_reads_like_the_csv() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码", "所在村", "联系电话"])
    sheet.append(["王芳", "520999199503080021", "一村", 13800001234])
    sheet.append([None, None, None, None])
    sheet.append(["李娜", "52099919950308002X", "二村", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), suffix=".xlsx")
    assert table.rows == [
        (2, ["王芳", "520999199503080021", "一村", "13800001234"]),
        (4, ["李娜", "52099919950308002X", "二村", ""]),
    ]


def test_bytes_in_no_supported_encoding_are_refused_in_chinese() -> None:
    with pytest.raises(TableError, match="编码"):
        decode_csv(b"\xe7\x8e\x8b\x80\x80")
