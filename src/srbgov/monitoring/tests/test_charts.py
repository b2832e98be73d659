"""The SRB charts read at a glance (docs/homes.md, "Charts"): fitted axes with the
normal band, reference lines told apart with a legend, the funnel on a log births
axis with the villages outside the limits named. The SVG is parsed, not grepped."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # our own server-rendered SVG, not untrusted
from datetime import date
from pathlib import Path

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srbgov.browser import BrowserTestCase
from srbgov.monitoring.charts import (
    BAND_HIGH,
    BAND_LOW,
    BOTTOM,
    HEIGHT,
    TOP,
    fit_srb_scale,
    log_ticks,
    trend_chart,
)
from srbgov.monitoring.queries import SrbRow
from srbgov.monitoring.tests.builders import demo_world, ended_outcome, make_births
from srbgov.stats import SrbClass
from srbgov.testing import BaseTestCase, make_woman

SVG = "{http://www.w3.org/2000/svg}"


def artifacts() -> Path:
    out = Path(__file__).resolve().parents[4] / "test-artifacts"
    out.mkdir(exist_ok=True)
    return out


def svg_of(html: str, css: str) -> ET.Element:
    match = re.search(rf'<svg class="chart {css}".*?</svg>', html, re.S)
    assert match, css
    text = match.group(0).replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
    return ET.fromstring(text)  # noqa: S314 (our own page)


def value_at(y: float, lo: float, hi: float) -> float:
    """Invert the chart's y mapping (top = hi)."""
    return hi - (y - TOP) / (HEIGHT - TOP - BOTTOM) * (hi - lo)


def row(label: str, boys: int, girls: int, lower: float, upper: float) -> SrbRow:
    return SrbRow(
        label,
        boys,
        girls,
        boys + girls,
        100 * boys / girls,
        lower,
        upper,
        SrbClass.NORMAL,
        judged=False,
    )


# A shared, busy machine makes generation slow; the properties are cheap.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(
    st.lists(st.floats(min_value=0, max_value=400), max_size=30),
    st.floats(min_value=100, max_value=110),
)
def test_the_fitted_scale_holds_the_data_the_band_and_the_reference(
    values: list[float], reference: float
) -> None:
    scale = fit_srb_scale(values, reference=reference, floor=60, ceil=180)
    kept = [min(max(v, 60), 180) for v in values]
    assert scale.lo <= min([*kept, BAND_LOW, reference])
    assert scale.hi >= max([*kept, BAND_HIGH, reference])
    assert 60 <= scale.lo < scale.hi <= 180 or not values
    ticks = scale.ticks()
    assert all(scale.lo <= t <= scale.hi for t in ticks)
    assert 2 <= len(ticks) <= 7


@RELAXED
@given(st.lists(st.floats(min_value=95, max_value=125), min_size=1, max_size=30))
def test_data_near_the_band_gets_an_axis_near_the_band(values: list[float]) -> None:
    # The old axis ran 50–250 for data at 103–118; it now spans at most about twice
    # the data's own range (and never less than the band).
    scale = fit_srb_scale(values, reference=106.0)
    span = max([*values, BAND_HIGH]) - min([*values, BAND_LOW])
    assert scale.hi - scale.lo <= 2 * span + 10


@RELAXED
@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_log_ticks_are_1_2_5_within_the_range(a: int, b: int) -> None:
    lo, hi = min(a, b), max(a, b)
    ticks = log_ticks(lo, hi)
    assert all(lo <= t <= hi for t in ticks)
    assert all(str(t).rstrip("0") in ("1", "2", "5") for t in ticks)
    assert ticks == sorted(ticks)


def test_the_trend_axis_is_fitted_and_the_two_lines_differ() -> None:
    rows = [
        row("2022", 1030, 1000, 95.0, 111.0),
        row("2023", 1180, 1000, 108.0, 128.0),
        row("2024", 3, 1, 40.0, 900.0),  # few births: an interval cut at the axis
    ]
    chart = trend_chart(rows, 106.3)
    assert chart.y_min <= 95 and chart.y_max >= 128
    # 2024 (3 boys, 1 girl: 300) is drawn on the edge, not fitted.
    assert chart.y_max <= 180 and chart.bars[2].point_cut
    ref, high = chart.refs
    assert ref.css != high.css and abs(ref.y - high.y) >= 2
    assert chart.bars[2].cut_upper and chart.bars[2].cut_lower
    assert not chart.bars[0].cut_upper
    assert {e.css for e in chart.legend} >= {"band", "ref", "high"}
    xs = [e.x for e in chart.legend]
    assert xs == sorted(set(xs))


class ChartPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        woman = make_woman(by=cls.cun_a, village=cls.village_a)
        outcome = ended_outcome(by=cls.cun_a, woman=woman, on=date(2025, 6, 1))
        # 一村 200 births at 150 (far above the limits), 二村 10 and 三村 20 births
        # within them: on a linear axis to 300 the two small villages sat 21 px apart.
        plan = [
            (cls.village_a, 120, 80, 1, 0),
            (cls.village_b, 5, 5, 1, 0),
            (cls.village_c, 10, 10, 1, 0),
        ]
        make_births(outcome, plan, year=2025)

    def test_the_funnel_has_a_log_axis_and_names_the_village_outside(self) -> None:
        self.login(self.xian)
        html = self.client.get(
            reverse("monitoring:funnel"), {"period": "window3", "year": "2025"}
        ).content.decode()
        svg = svg_of(html, "funnel")
        assert svg.get("data-x-scale") == "log"
        points = {
            c.get("data-village"): c
            for c in svg.iter(f"{SVG}circle")
            if c.get("data-village")
        }
        assert set(points) == {"一村", "二村", "三村"}
        x = {k: float(c.get("cx", 0)) for k, c in points.items()}
        # Log scale: 10 → 20 births is as wide as 100 → 200.
        assert x["三村"] - x["二村"] > 100
        ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "x-tick"]
        assert "10" in ticks and "100" in ticks
        labels = [
            t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "point-label"
        ]
        assert labels == ["一村"]
        lo, hi = float(svg.get("data-y-min", 0)), float(svg.get("data-y-max", 0))
        assert lo <= 100 and hi >= 150
        y_a = value_at(float(points["一村"].get("cy", 0)), lo, hi)
        assert math.isclose(y_a, 150, abs_tol=0.5)
        band = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "band"]
        top = value_at(float(band[0].get("y", 0)), lo, hi)
        bottom = value_at(
            float(band[0].get("y", 0)) + float(band[0].get("height", 0)), lo, hi
        )
        assert math.isclose(top, 107, abs_tol=0.2) and math.isclose(
            bottom, 103, abs_tol=0.2
        )
        legend = [
            g.get("data-css")
            for g in svg.iter(f"{SVG}g")
            if g.get("class") == "legend-entry"
        ]
        assert legend == ["band", "ref", "l95", "l998"]

    def test_the_trend_axis_contains_its_points_and_shades_the_band(self) -> None:
        self.login(self.zhen_a)
        html = self.client.get(
            reverse("monitoring:overview"), {"period": "window3", "year": "2025"}
        ).content.decode()
        svg = svg_of(html, "trend-chart")
        lo, hi = float(svg.get("data-y-min", 0)), float(svg.get("data-y-max", 0))
        # 甲镇 2025: 125 boys / 85 girls = 147.1; the axis is no longer 50–250.
        assert lo <= 103 and hi >= 147.1 and hi - lo < 200
        ys = [
            value_at(float(c.get("cy", 0)), lo, hi)
            for c in svg.iter(f"{SVG}circle")
            if c.get("class") == "within" and c.get("r") == "4"
        ]
        assert any(math.isclose(v, 147.1, abs_tol=0.5) for v in ys)
        assert [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "band"]
        lines = {line.get("class") for line in svg.iter(f"{SVG}line")}
        assert {"ref", "high"} <= lines
        # The table and the export stay beside the chart.
        assert "年份" in html and reverse("monitoring:export", args=["trend"]) in html


class ChartsInBrowserTests(BrowserTestCase):
    """The demo's twelve villages drawn in chromium, phone and desktop: no label runs
    into another and nothing scrolls sideways; screenshots into test-artifacts/."""

    def test_the_funnel_and_the_trend_on_the_demo_villages(self) -> None:
        demo_world(type(self))
        query = "?period=window5&year=2026&cell=after_girls"
        for size, page in (("desktop", self.new_page()), ("phone", None)):
            page = self.log_in("xian", page)
            page.goto(self.live_server_url + reverse("monitoring:funnel") + query)
            boxes = page.evaluate(
                "() => [...document.querySelectorAll('.chart .point-label')]"
                ".map(e => { const r = e.getBBox(); return [r.x, r.y, r.width, r.height]; })"
            )
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    apart = (
                        a[0] + a[2] <= b[0]
                        or b[0] + b[2] <= a[0]
                        or a[1] + a[3] <= b[1]
                        or b[1] + b[3] <= a[1]
                    )
                    assert apart, (a, b)
            wide = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert wide <= 0
            page.locator("svg.funnel").screenshot(
                path=str(artifacts() / f"chart-funnel-{size}.png")
            )
            page.goto(self.live_server_url + reverse("monitoring:overview") + query)
            page.locator("svg.trend-chart").screenshot(
                path=str(artifacts() / f"chart-trend-{size}.png")
            )
