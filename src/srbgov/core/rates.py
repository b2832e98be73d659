"""Shares shown as percentages that never claim what the counts do not say
(docs/homes.md §Rates): 612 of 613 is "99.8", never "100"; 1 of 2,000 is "0.1", never
"0"; only all of them is 100 and only none is 0."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

TENTH = Decimal("0.1")


def share_percent(*, part: int, whole: int) -> str | None:
    """`part` of `whole` as a percentage with one decimal, or None without a whole."""
    if whole <= 0:
        return None
    exact = Fraction(100 * part, whole)
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    shown = value.quantize(TENTH, rounding=ROUND_HALF_EVEN)
    if shown >= 100 and part < whole:
        shown = value.quantize(TENTH, rounding=ROUND_FLOOR)
    elif shown <= 0 and part > 0:
        shown = value.quantize(TENTH, rounding=ROUND_CEILING)
    return f"{shown:.1f}"
