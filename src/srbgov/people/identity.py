"""GB 11643-1999 citizen identity numbers (公民身份号码). Pure: no Django.

18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence
whose last digit is odd for men and even for women, and a check character computed by
ISO 7064 MOD 11-2 over the first 17 digits (10 is written X).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from srbgov.people.textinput import fold_width

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1900, 1, 1)

Sex = Literal["F", "M"]


class IdentityNumberError(ValueError):
    """Why a number is refused; `code` is stable, `message` is the user's words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IdentityNumber:
    number: str
    address_code: str
    birth_on: date
    sex: Sex

    @property
    def masked(self) -> str:
        """What pages, exports and logs show: the address code only (see `mask`)."""
        return mask(self.number)


def check_character(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError("17 digits expected")
    # map() rather than a generator: an import checks 50,000 numbers (docs/import.md §6).
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize(raw: str) -> str:
    """Fold the full-width forms people type on phones, drop spaces, upper-case the X.

    Other Unicode digits are left as they are, for `parse` to refuse (textinput.py).
    """
    return re.sub(r"\s+", "", fold_width(raw)).upper()


NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


VISIBLE_PREFIX = 6


def mask(number: str) -> str:
    """The first 6 characters (the address code) and asterisks for the rest.

    The 8 characters after the address code are the birth date, which is stored and
    shown in clear; the last 4 (sequence and check digit) are then all that keeps the
    number secret, so none of them is ever shown (docs/security.md §1). With the birth
    date known, 500 sequences remain for a woman and the check digit cannot tell them
    apart: nothing can be rebuilt without the keyed hash.
    """
    return number[:VISIBLE_PREFIX] + "*" * max(len(number) - VISIBLE_PREFIX, 0)


def parse(raw: str, *, today: date, expect_sex: Sex | None = None) -> IdentityNumber:
    """Check a number as GB 11643 says and read its birth date and sex.

    Raises IdentityNumberError with a Chinese message for each kind of failure, in the
    order a worker can fix them: length, characters, birth date, sex, check digit.
    """
    number = normalize(raw)
    if len(number) != 18:
        raise IdentityNumberError(
            "length", f"身份证号码应为18位，您输入了{len(number)}位。"
        )
    # ASCII only: `str.isdigit()` also passes Arabic-Indic and superscript digits.
    if not NUMBER_SHAPE.fullmatch(number):
        raise IdentityNumberError(
            "characters", "身份证号码前17位必须是数字（半角0–9），最后一位是数字或X。"
        )
    if number[:2] in {"00", "10"} or number[0] == "9":
        raise IdentityNumberError("address", "身份证号码前6位不是有效的行政区划代码。")
    try:
        birth_on = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityNumberError(
            "birth_date",
            f"身份证号码中的出生日期（第7–14位：{number[6:14]}）不是有效日期。",
        ) from None
    if birth_on > today or birth_on < EARLIEST_BIRTH:
        raise IdentityNumberError(
            "birth_date", f"身份证号码中的出生日期 {birth_on:%Y-%m-%d} 不合理。"
        )
    sex: Sex = "F" if int(number[16]) % 2 == 0 else "M"
    if expect_sex is not None and sex != expect_sex:
        raise IdentityNumberError(
            "sex",
            "身份证号码第17位为奇数，表示男性；服务对象应为女性，请核对号码。"
            if expect_sex == "F"
            else "身份证号码第17位为偶数，表示女性，请核对号码。",
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdentityNumberError(
            "check_digit",
            "身份证号码校验位错误：请逐位核对号码，可能有一位输错或两位颠倒。",
        )
    return IdentityNumber(
        number=number, address_code=number[:6], birth_on=birth_on, sex=sex
    )


def make_number(address_code: str, birth_on: date, sequence: int, sex: Sex) -> str:
    """Build a valid number (demo data and tests). `sequence` is 0–499."""
    order = sequence % 500 * 2 + (0 if sex == "F" else 1)
    first17 = f"{address_code}{birth_on:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


# The mask used before docs/security.md §1: first 6, eight asterisks, last 4.
_OLD_MASK = re.compile(r"([0-9]{6})\*{8}[0-9X]{4}")


def redact_old_masks(text: str) -> str:
    """Rewrite every number masked the old way inside `text` (alert summaries, audit
    entries, anything that copied a masked number) to the current mask. Used by the
    data migrations that bring stored text under the rule."""
    return _OLD_MASK.sub(lambda m: m.group(1) + "*" * 12, text)
