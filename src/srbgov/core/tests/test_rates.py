"""Shares never rounded up to 100 % nor down to 0 % (core/rates.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.template import Context, Template
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from srbgov.core.rates import share_percent


class SharePercentTests(SimpleTestCase):
    def test_the_figures_of_the_issue(self) -> None:
        self.assertEqual(share_percent(part=612, whole=613), "99.8")
        self.assertEqual(share_percent(part=5706, whole=5715), "99.8")
        self.assertEqual(share_percent(part=9999, whole=10000), "99.9")
        self.assertEqual(share_percent(part=1, whole=2000), "0.1")
        self.assertEqual(share_percent(part=613, whole=613), "100.0")
        self.assertEqual(share_percent(part=0, whole=613), "0.0")
        self.assertIsNone(share_percent(part=0, whole=0))

    @given(st.integers(min_value=1, max_value=10**7), st.data())
    def test_100_and_0_only_when_true_and_within_a_tenth(
        self, whole: int, data: st.DataObject
    ) -> None:
        part = data.draw(st.integers(min_value=0, max_value=whole))
        shown = Decimal(share_percent(part=part, whole=whole) or "nan")
        self.assertEqual(shown == 100, part == whole)
        self.assertEqual(shown == 0, part == 0)
        exact = Fraction(100 * part, whole)
        self.assertLessEqual(abs(Fraction(shown) - exact), Fraction(1, 10))

    def test_the_template_filter(self) -> None:
        out = Template("{% load rates %}{{ a|share:b }}|{{ a|share:c }}").render(
            Context({"a": 612, "b": 613, "c": 0})
        )
        self.assertEqual(out, "99.8|—")
