"""Properties of the report's masking and the corrected report's restore
(exchange/report.py): what is masked comes back only from its own row."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.exchange.kinds import KINDS
from srbgov.exchange.report import ROW_NUMBER, masked_cells, restore_numbers
from srbgov.exchange.tabular import RawTable
from srbgov.exchange.tests.helpers import HEADERS
from srbgov.people.identity import make_number

WOMEN = KINDS["women"]


@st.composite
def registers(draw: st.DrawFn) -> RawTable:
    count = draw(st.integers(min_value=1, max_value=12))
    offsets = draw(
        st.lists(
            st.integers(min_value=0, max_value=20_000),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    rows = [
        (
            n + 2,
            [
                f"张{n}",
                make_number("520999", date(1980, 1, 1) + timedelta(days=d), n, "F"),
                "甲镇 一村",
                "",
                "",
                "",
            ],
        )
        for n, d in enumerate(offsets)
    ]
    return RawTable(headers=list(HEADERS), rows=rows)


def report_of(original: RawTable, keep: set[int]) -> RawTable:
    """The report as the user gets it back: the rows, masked but for `keep`."""
    rows = [
        (i + 2, [*(cells if n in keep else masked_cells(cells, [1])), str(n), "错"])
        for i, (n, cells) in enumerate(original.rows)
    ]
    return RawTable(headers=[*original.headers, ROW_NUMBER, "错误"], rows=rows)


@settings(max_examples=60, deadline=None)
@given(original=registers(), data=st.data())
def test_masking_hides_the_number_and_restore_gives_back_each_rows_own(
    original: RawTable, data: st.DataObject
) -> None:
    numbers = [cells[1] for _n, cells in original.rows]
    keep = data.draw(st.sets(st.sampled_from([n for n, _c in original.rows])))
    sent = report_of(original, keep)
    for (_n, cells), number in zip(sent.rows, numbers, strict=True):
        if int(cells[6]) not in keep:
            assert cells[1] == number[:6] + "*" * 12
    back = restore_numbers(sent, kind=WOMEN, source=original)
    assert [cells[1] for _n, cells in back.rows] == numbers


@settings(max_examples=60, deadline=None)
@given(original=registers(), shift=st.integers(min_value=100, max_value=10_000))
def test_a_row_number_outside_the_original_restores_nothing(
    original: RawTable, shift: int
) -> None:
    sent = report_of(original, set())
    moved = RawTable(
        headers=sent.headers,
        rows=[(n, [*c[:6], str(int(c[6]) + shift), c[7]]) for n, c in sent.rows],
    )
    back = restore_numbers(moved, kind=WOMEN, source=original)
    assert all("*" in cells[1] for _n, cells in back.rows)
