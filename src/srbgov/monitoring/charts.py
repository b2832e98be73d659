"""Server-side SVG geometry for the funnel plot and the trend chart (no CDN, no JS).

Plain numbers in, coordinates and hover texts out; the templates draw them, and each
point carries a <title> (the browser's tooltip) with the figures a user checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.monitoring.queries import SrbRow, VillageRow
from srbgov.stats import FunnelZone, funnel_curve

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
SRB_MIN, SRB_MAX = 50.0, 250.0


def fmt(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞"
    return f"{value:.1f}"


# Lazy, so each label is translated once per call rather than all six (the funnel
# page labels every village twice: bench/bench_load.py, docs/operations.md).
ZONE_LABELS = {
    FunnelZone.ABOVE_998: gettext_lazy("高于99.8%控制限"),
    FunnelZone.ABOVE_95: gettext_lazy("高于95%控制限"),
    FunnelZone.WITHIN: gettext_lazy("控制限内"),
    FunnelZone.BELOW_95: gettext_lazy("低于95%控制限（数据质量）"),
    FunnelZone.BELOW_998: gettext_lazy("低于99.8%控制限（数据质量）"),
    FunnelZone.NO_BIRTHS: gettext_lazy("无出生"),
}


def zone_label(zone: FunnelZone) -> str:
    return str(ZONE_LABELS[zone])


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    css: str
    title: str
    name: str
    zone: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    points: list[Point]
    lines: list[tuple[str, str]]  # (css class, polyline points)
    reference_y: float
    high_y: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _y(srb: float) -> float:
    clipped = min(max(srb, SRB_MIN), SRB_MAX)
    return TOP + (SRB_MAX - clipped) / (SRB_MAX - SRB_MIN) * (HEIGHT - TOP - BOTTOM)


def _nice_max(value: int) -> int:
    step = 10 ** max(1, len(str(max(value, 1))) - 1)
    return int(max(step, math.ceil(value * 1.05 / step) * step))


def funnel_chart(rows: list[VillageRow], reference_srb: float) -> FunnelChart:
    max_n = _nice_max(max((r.births for r in rows), default=10))

    def x(n: float) -> float:
        return LEFT + n / max_n * (WIDTH - LEFT - RIGHT)

    grid = sorted({max(5, round(5 * (max_n / 5) ** (i / 40))) for i in range(41)})
    curve = funnel_curve(grid, reference_srb=reference_srb)
    lines = []
    for css, attr in (
        ("l998", "upper_998"),
        ("l95", "upper_95"),
        ("l95", "lower_95"),
        ("l998", "lower_998"),
    ):
        pts = " ".join(
            f"{x(lim.births):.1f},{_y(getattr(lim, attr)):.1f}" for lim in curve
        )
        lines.append((css, pts))
    points = []
    for r in rows:
        if r.births == 0 or r.srb is None:
            continue
        title = _(
            "%(name)s（%(town)s）：出生 %(n)d（男 %(b)d，女 %(g)d），性别比 %(srb)s"
            "（95%%区间 %(lo)s–%(hi)s）；%(zone)s；按过度离散调整：%(mult)s（乘法）、"
            "%(add)s（随机效应）；收缩估计 %(shr)s，真实值高于107的概率 %(prob).0f%%"
        ) % {
            "name": r.name,
            "town": r.township,
            "n": r.births,
            "b": r.boys,
            "g": r.girls,
            "srb": fmt(r.srb),
            "lo": fmt(r.lower),
            "hi": fmt(r.upper),
            "zone": zone_label(r.zone),
            "mult": zone_label(r.zone_multiplicative),
            "add": zone_label(r.zone_additive),
            "shr": fmt(r.shrunk_srb),
            "prob": 100 * r.prob_above,
        }
        points.append(
            Point(
                round(x(r.births), 1),
                round(_y(r.srb), 1),
                r.zone,
                title,
                r.name,
                str(r.zone),
            )
        )
    x_ticks = [Tick(x(max_n * i / 4), str(round(max_n * i / 4))) for i in range(5)]
    y_ticks = [Tick(_y(v), str(int(v))) for v in (50, 100, 150, 200, 250)]
    return FunnelChart(
        WIDTH,
        HEIGHT,
        points,
        lines,
        _y(reference_srb),
        _y(107.0),
        x_ticks,
        y_ticks,
    )


@dataclass(frozen=True)
class TrendBar:
    x: float
    y: float | None
    y_lower: float
    y_upper: float
    label: str
    title: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    bars: list[TrendBar]
    path: str
    reference_y: float
    high_y: float
    y_ticks: list[Tick]


def trend_chart(rows: list[SrbRow], reference_srb: float) -> TrendChart:
    step = (WIDTH - LEFT - RIGHT) / max(len(rows), 1)
    bars = []
    for i, r in enumerate(rows):
        cx = round(LEFT + step * (i + 0.5), 1)
        title = _(
            "%(label)s：出生 %(n)d（男 %(b)d，女 %(g)d），性别比 %(srb)s（95%%区间 %(lo)s–%(hi)s）"
        ) % {
            "label": r.label,
            "n": r.births,
            "b": r.boys,
            "g": r.girls,
            "srb": fmt(r.srb),
            "lo": fmt(r.lower),
            "hi": fmt(r.upper),
        }
        bars.append(
            TrendBar(
                cx,
                round(_y(r.srb), 1) if r.srb is not None else None,
                round(_y(r.lower), 1),
                round(_y(r.upper), 1),
                r.label,
                title,
            )
        )
    path = " ".join(f"{b.x:.1f},{b.y:.1f}" for b in bars if b.y is not None)
    return TrendChart(
        WIDTH,
        HEIGHT,
        bars,
        path,
        _y(reference_srb),
        _y(107.0),
        [Tick(_y(v), str(int(v))) for v in (50, 100, 150, 200, 250)],
    )
