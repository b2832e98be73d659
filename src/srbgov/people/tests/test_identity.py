"""GB 11643-1999 identity numbers: the check the village worker relies on at entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.people import identity

TODAY = date(2026, 11, 29)

# Published example: GB 11643-1999 Appendix A gives 11010519491231002X
# (Beijing Chaoyang, born 1949-12-31, sequence 002: a woman, check character X).
STANDARD_EXAMPLE = "11010519491231002X"


def test_it_accepts_the_standards_own_example() -> None:
    parsed = identity.parse(STANDARD_EXAMPLE, today=TODAY, expect_sex="F")
    assert parsed.birth_on == date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.masked == "110105************"


def test_it_tolerates_spaces_full_width_digits_and_lower_case_x() -> None:
    typed = "１１０１０５ 1949 1231 002x"
    assert identity.parse(typed, today=TODAY).number == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("11010519491231002", "length", "应为18位"),
        ("1101051949123100AX", "characters", "前17位必须是数字"),
        ("110105194902300028", "birth_date", "不是有效日期"),
        ("110105203012310028", "birth_date", "不合理"),
        ("110105194912310038", "sex", "男性"),
        ("110105194912310029", "check_digit", "校验位错误"),
    ],
)
def test_it_names_each_failure_in_chinese(raw: str, code: str, words: str) -> None:
    with pytest.raises(identity.IdentityNumberError) as failure:
        identity.parse(raw, today=TODAY, expect_sex="F")
    assert failure.value.code == code
    assert words in failure.value.message


birth_dates = st.dates(min_value=date(1920, 1, 1), max_value=TODAY - timedelta(days=1))
sexes = st.sampled_from(["F", "M"])
sequences = st.integers(min_value=0, max_value=499)
addresses = st.sampled_from(["520999", "110105", "610429", "440303"])


@given(addresses, birth_dates, sequences, sexes)
def test_property_every_built_number_parses_back(
    address: str, born: date, seq: int, sex: identity.Sex
) -> None:
    parsed = identity.parse(identity.make_number(address, born, seq, sex), today=TODAY)
    assert (parsed.birth_on, parsed.sex, parsed.address_code) == (born, sex, address)


@given(addresses, birth_dates, sequences, sexes, st.integers(0, 16), st.integers(1, 9))
def test_property_any_single_digit_error_is_caught(
    address: str, born: date, seq: int, sex: identity.Sex, position: int, shift: int
) -> None:
    number = identity.make_number(address, born, seq, sex)
    wrong_digit = str((int(number[position]) + shift) % 10)
    typo = number[:position] + wrong_digit + number[position + 1 :]
    with pytest.raises(identity.IdentityNumberError):
        identity.parse(typo, today=TODAY)


@given(addresses, birth_dates, sequences, sexes, st.integers(0, 15))
def test_property_swapping_two_adjacent_digits_is_caught(
    address: str, born: date, seq: int, sex: identity.Sex, position: int
) -> None:
    number = identity.make_number(address, born, seq, sex)
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(identity.IdentityNumberError):
        identity.parse(swapped, today=TODAY)


@given(st.text(alphabet="0123456789X", min_size=10, max_size=18))
def test_property_masking_keeps_only_first_six_and_last_four(number: str) -> None:
    masked = identity.mask(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert set(masked[6:-4]) <= {"*"}
