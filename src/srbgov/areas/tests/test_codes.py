from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.areas import codes


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("520999000000", "county", "520999", None),
        ("520999101000", "township", "520999101", "520999000000"),
        ("520999101201", "village", "520999101201", "520999101000"),
    ],
)
def test_it_reads_level_scope_and_parent_from_the_digits(
    code: str, level: str, prefix: str, parent: str | None
) -> None:
    assert codes.level_of(code) == level
    assert codes.scope_prefix(code) == prefix
    assert codes.parent_code(code) == parent


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("52099910120", "12位数字"),
        ("5209991012O1", "12位数字"),
        ("520900000000", "县级代码"),
        ("520999000201", "第7–9位"),
    ],
)
def test_it_refuses_malformed_codes_in_chinese(code: str, words: str) -> None:
    with pytest.raises(codes.AreaCodeError, match=words):
        codes.level_of(code)


@given(st.from_regex(r"[1-8]\d{3}[1-9]\d[1-9]\d{2}[1-9]\d{2}", fullmatch=True))
def test_property_a_village_lies_inside_its_township_and_county(code: str) -> None:
    township = codes.parent_code(code)
    assert township is not None
    county = codes.parent_code(township)
    assert county is not None
    assert code.startswith(codes.scope_prefix(township))
    assert code.startswith(codes.scope_prefix(county))
    assert codes.parent_code(county) is None
