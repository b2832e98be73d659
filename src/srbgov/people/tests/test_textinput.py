"""What users type (docs/security.md §2): pure rules, with hypothesis properties."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.people import identity, textinput

ASCII_DIGITS = "0123456789"
FULL_WIDTH = "０１２３４５６７８９"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
OTHER_DIGITS = st.sampled_from(list(ARABIC_INDIC + SUPERSCRIPTS + "①۳߃३"))
NUMBERS = st.builds(
    identity.make_number,
    st.just("520999"),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 12, 31)),
    st.integers(0, 499),
    st.just("F"),
)


@given(NUMBERS)
def test_full_width_numbers_parse_to_the_ascii_number(number: str) -> None:
    typed = number.translate(str.maketrans(ASCII_DIGITS + "X", FULL_WIDTH + "Ｘ"))
    today = date(2026, 12, 1)
    assert identity.parse(typed, today=today).number == number
    assert identity.parse(f"　{typed} ", today=today).number == number


@given(NUMBERS, st.data())
def test_any_other_unicode_digit_is_refused_never_read_as_a_digit(
    number: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, 16))
    odd = data.draw(OTHER_DIGITS)
    typed = number[:position] + odd + number[position + 1 :]
    assert odd.isdigit() or unicodedata.category(odd) == "No"
    with pytest.raises(identity.IdentityNumberError) as refused:
        identity.parse(typed, today=date(2026, 12, 1))
    assert refused.value.code == "characters"


def test_arabic_indic_digits_spelling_a_number_are_refused() -> None:
    number = identity.make_number("520999", date(1995, 3, 8), 7, "F")
    typed = (
        number[:17].translate(str.maketrans(ASCII_DIGITS, ARABIC_INDIC)) + number[17]
    )
    assert typed[:17].isdigit()  # what the old check relied on
    with pytest.raises(identity.IdentityNumberError, match="半角0–9"):
        identity.parse(typed, today=date(2026, 12, 1))


@given(st.text(max_size=30))
def test_fold_width_changes_only_full_width_forms(text: str) -> None:
    folded = textinput.fold_width(text)
    assert len(folded) == len(text)
    for before, after in zip(text, folded, strict=True):
        if before != after:
            assert "\uff01" <= before <= "\uff5e" or before == "\u3000"
            assert after == unicodedata.normalize("NFKC", before)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.data())
def test_a_mobile_number_however_written_is_stored_as_its_digits(
    mobile: str, data: st.DataObject
) -> None:
    prefix = data.draw(st.sampled_from(["", "+86", "0086", "+86 ", "＋８６"]))
    separated = f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    written = data.draw(
        st.sampled_from(
            [
                mobile,
                separated,
                mobile.translate(str.maketrans(ASCII_DIGITS, FULL_WIDTH)),
                f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
            ]
        )
    )
    assert textinput.clean_phone(prefix + written) == mobile


@given(st.text(min_size=1, max_size=20))
def test_a_phone_is_digits_or_refused_never_anything_else(text: str) -> None:
    try:
        cleaned = textinput.clean_phone(text)
    except textinput.InputError as problem:
        assert problem.message
        return
    assert cleaned == "" or (cleaned.isascii() and cleaned.isdigit())


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc-def-ghij", "characters"),
        ("138١٢٣٤٥٦٧٨", "characters"),
        ("13²00138000", "characters"),
        ("12345", "length"),
        ("138001380001", "length"),
    ],
)
def test_phones_that_are_not_numbers_are_refused(typed: str, code: str) -> None:
    with pytest.raises(textinput.InputError) as refused:
        textinput.clean_phone(typed)
    assert refused.value.code == code


def test_landlines_with_and_without_area_code_are_accepted() -> None:
    assert textinput.clean_phone("0851-8123456") == "08518123456"
    assert textinput.clean_phone("(010) 12345678") == "01012345678"
    assert textinput.clean_phone("8123456") == "8123456"


@given(st.text(max_size=30))
def test_a_clean_name_has_no_bidi_control_and_is_stable(text: str) -> None:
    name = textinput.clean_name(text)
    assert not textinput.has_bidi_controls(name)
    assert textinput.clean_name(name) == name
    # Unassigned code points (Cn) stay: a newer Unicode may give them to a rare
    # character of a name.
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs") for ch in name)


def test_a_right_to_left_override_is_taken_out_of_a_name() -> None:
    assert textinput.clean_name("王\u202e芳fdp.exe") == "王芳fdp.exe"
    assert textinput.clean_name(" 欧阳\u2067娜娜\u2069 ") == "欧阳娜娜"


@given(st.text(max_size=40))
def test_redacting_old_masks_leaves_no_last_four(text: str) -> None:
    number = identity.make_number("520999", date(1990, 1, 1), 3, "F")
    old = number[:6] + "*" * 8 + number[-4:]
    redacted = identity.redact_old_masks(f"{text}{old}（{text}")
    assert old not in redacted
    assert number[:6] + "*" * 12 in redacted
