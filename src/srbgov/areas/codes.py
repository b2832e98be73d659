"""The 12-digit statistical division code (统计用区划代码): 6 county + 3 township + 3 village.

Pure helpers, no Django: the level and the parent of a code are read from its digits.
"""

from __future__ import annotations

import re
from typing import Literal

Level = Literal["county", "township", "village"]

_CODE = re.compile(r"\d{12}")


class AreaCodeError(ValueError):
    """A malformed division code; `message` is the user's words (Chinese)."""


def level_of(code: str) -> Level:
    """County codes end in 000000, township codes in 000, village codes in neither."""
    if not _CODE.fullmatch(code):
        raise AreaCodeError("区划代码必须是12位数字。")
    if code[:6].endswith("00"):
        raise AreaCodeError("区划代码前6位必须是县级代码（不能以00结尾）。")
    if code[6:] == "000000":
        return "county"
    if code[9:] == "000":
        return "township"
    if code[6:9] == "000":
        raise AreaCodeError("村级代码的第7–9位（乡镇代码）不能为000。")
    return "village"


def scope_prefix(code: str) -> str:
    """The digits every code in this area's subtree starts with."""
    level = level_of(code)
    return {"county": code[:6], "township": code[:9], "village": code}[level]


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level == "county":
        return None
    if level == "township":
        return code[:6] + "000000"
    return code[:9] + "000"
