"""Server-side SVG geometry for the funnel plot and the trend chart (no CDN, no JS).

Plain numbers in, coordinates and hover texts out; the templates draw them, and each
point carries a <title> (the browser's tooltip) with the figures a user checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.monitoring.queries import SrbRow, VillageRow
from srbgov.stats import (
    TAIL_95,
    TAIL_998,
    FunnelZone,
    critical_boys,
    critical_boys_below,
)
from srbgov.stats.exact import srb_of

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


def exact_limit_lines(
    grid: list[int], reference_srb: float
) -> list[tuple[str, list[tuple[int, float]]]]:
    """(css, [(births, SRB)]) of the exact limits: at each n the SRB of the first
    count inside the zone (the smallest boys with an upper tail <= 2.5 % or 0.1 %,
    the largest with a lower tail <= it). The lines step with the integer counts,
    as the zones do (docs/statistics.md); n where a zone cannot be reached is left
    out."""
    n = np.asarray(grid, dtype=np.int64)
    out: list[tuple[str, list[tuple[int, float]]]] = []
    for css, tail, upper in (
        ("l998", TAIL_998, True),
        ("l95", TAIL_95, True),
        ("l95", TAIL_95, False),
        ("l998", TAIL_998, False),
    ):
        k = (
            critical_boys(n, srb=reference_srb, alpha=tail)
            if upper
            else critical_boys_below(n, srb=reference_srb, alpha=tail)
        )
        srb = srb_of(k, n)
        out.append(
            (
                css,
                [
                    (int(n[i]), float(srb[i]))
                    for i in range(n.size)
                    if math.isfinite(srb[i])
                ],
            )
        )
    return out


def funnel_chart(
    rows: list[VillageRow], reference_srb: float, *, judged: bool = True
) -> FunnelChart:
    max_n = _nice_max(max((r.births for r in rows), default=10))

    def x(n: float) -> float:
        return LEFT + n / max_n * (WIDTH - LEFT - RIGHT)

    grid = sorted({max(1, round(5 * (max_n / 5) ** (i / 80))) for i in range(81)})
    lines = [
        (css, " ".join(f"{x(n):.1f},{_y(v):.1f}" for n, v in pts))
        for css, pts in exact_limit_lines(grid, reference_srb)
    ]
    points = []
    for r in rows:
        if r.births == 0 or r.srb is None:
            continue
        if not judged:
            verdict = _("单年数据不作判断")
        elif not r.zone_reachable:
            verdict = _("出生数过少，无法判断")
        else:
            verdict = zone_label(r.zone)
        title = _(
            "%(name)s（%(town)s）：出生 %(n)d（男 %(b)d，女 %(g)d），性别比 %(srb)s"
            "（95%%区间 %(lo)s–%(hi)s）；%(zone)s；按过度离散调整：%(mult)s（乘法）、"
            "%(add)s（随机效应）；收缩估计 %(shr)s，真实值高于107的概率 %(prob).0f%%；"
            "校正多重比较后单独被标记需性别比 %(need)s"
        ) % {
            "name": r.name,
            "town": r.township,
            "n": r.births,
            "b": r.boys,
            "g": r.girls,
            "srb": fmt(r.srb),
            "lo": fmt(r.lower),
            "hi": fmt(r.upper),
            "zone": verdict,
            "mult": zone_label(r.zone_multiplicative) if judged else "—",
            "add": zone_label(r.zone_additive) if judged else "—",
            "shr": fmt(r.shrunk_srb),
            "prob": 100 * r.prob_above,
            "need": fmt(r.detectable) if r.detectable is not None else "—",
        }
        zone = str(r.zone) if judged else "not_judged"
        points.append(
            Point(
                round(x(r.births), 1),
                round(_y(r.srb), 1),
                str(r.zone) if judged else "within",
                title,
                r.name,
                zone,
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
