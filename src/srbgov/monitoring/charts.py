"""Server-side SVG geometry for the funnel plot and the trend chart (no CDN, no JS).

Plain numbers in, coordinates and hover texts out; the templates draw them, and each
point carries a <title> (the browser's tooltip) with the figures a user checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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
# The normal range of the SRB (docs/statistics.md), shaded on both charts.
BAND_LOW, BAND_HIGH = 103.0, 107.0
# Neither chart's y-axis spans more than this: a village (or a year) of three births
# can have an SRB of 200 or 0, and fitting the axis to it would squeeze everyone else. Points
# beyond are drawn on the edge as triangles and named under the chart (docs/homes.md).
Y_FLOOR, Y_CEIL = 60.0, 180.0
# A trend's interval may extend the axis by at most this much beyond its points;
# the rest of a wide interval (a year of few births) is cut and marked.
CI_REACH = 25.0


@dataclass(frozen=True)
class Scale:
    """A fitted value range [lo, hi] with its tick step, and its pixel span."""

    lo: float
    hi: float
    step: float

    def ticks(self) -> list[float]:
        first = math.ceil(self.lo / self.step - 1e-9)
        last = math.floor(self.hi / self.step + 1e-9)
        return [round(k * self.step, 6) for k in range(first, last + 1)]


def nice_step(span: float, *, target: int = 5) -> float:
    """The smallest 1/2/2.5/5 × 10^k step that cuts `span` into at most `target` parts."""
    span = max(span, 1e-9)
    exp = math.floor(math.log10(span / target))
    for k in (exp, exp + 1):
        for m in (1.0, 2.0, 2.5, 5.0):
            step = m * 10.0**k
            if span / step <= target:
                return step
    return 10.0 ** (exp + 2)


def fit_srb_scale(
    values: list[float], *, reference: float, floor: float = 0.0, ceil: float = 1e9
) -> Scale:
    """A y-range holding every finite value in [floor, ceil], the band 103–107 and the
    reference, with a little room and round ticks; values beyond floor/ceil are the
    caller's to mark as clipped."""
    kept = [min(max(v, floor), ceil) for v in values if math.isfinite(v)]
    lo = min([*kept, BAND_LOW, reference])
    hi = max([*kept, BAND_HIGH, reference])
    pad = max(1.0, (hi - lo) * 0.06)
    lo, hi = max(lo - pad, floor, 0.0), min(hi + pad, ceil)
    step = nice_step(hi - lo)
    # Round outwards to the step, but not past floor/ceil (the clipped edge).
    lo = max(math.floor(lo / step) * step, floor, 0.0)
    hi = min(math.ceil(hi / step) * step, ceil)
    return Scale(lo, hi, step)


def log_ticks(lo: float, hi: float) -> list[int]:
    """1-2-5 ticks between lo and hi (births, so integers)."""
    out = []
    k = 0
    while 10**k <= hi:
        for m in (1, 2, 5):
            v = m * 10**k
            if lo <= v <= hi:
                out.append(v)
        k += 1
    return out


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
    clipped: bool = False

    @property
    def clipped_top(self) -> bool:
        return self.clipped and self.y < HEIGHT / 2


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Label:
    """A village's name beside its point (only villages outside the limits)."""

    x: float
    y: float
    anchor: str
    text: str


@dataclass(frozen=True)
class RefLine:
    """A horizontal reference line; `css` sets its colour and dash pattern."""

    css: str
    y: float
    label: str


@dataclass(frozen=True)
class Band:
    y_top: float
    height: float


@dataclass(frozen=True)
class LegendEntry:
    css: str
    kind: str  # "line", "band", "dot" or "ci": how the swatch is drawn
    label: str
    x: float = 0.0  # offset in the legend row, set by _legend


def _legend(entries: list[LegendEntry]) -> list[LegendEntry]:
    """One row under the x-axis: a 22 px swatch, the label (about 11 px a CJK
    character, 6 px a digit) and a gap, so entries never overlap the data."""
    out, x = [], 0.0
    for e in entries:
        out.append(LegendEntry(e.css, e.kind, e.label, x))
        x += 28 + _text_width(e.label) + 14
    return out


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: list[Point]
    lines: list[tuple[str, str]]  # (css class, polyline points)
    band: Band
    refs: list[RefLine]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    labels: list[Label]
    legend: list[LegendEntry]
    x_min: int
    x_max: int
    y_min: float
    y_max: float
    clipped: list[str]  # "name（SRB）" of points drawn on the edge

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


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


def _y_of(scale: Scale, *, clamp: bool = True) -> Callable[[float], float]:
    """SRB → pixel; clamped to the axis for points (drawn on the edge), not for the
    limit lines, which the SVG's clipPath cuts where they leave the plot."""
    span = HEIGHT - TOP - BOTTOM

    def y(srb: float) -> float:
        v = min(max(srb, scale.lo), scale.hi) if clamp else srb
        return TOP + (scale.hi - v) / (scale.hi - scale.lo) * span

    return y


def _band(y: Callable[[float], float]) -> Band:
    top = y(BAND_HIGH)
    return Band(round(top, 1), round(y(BAND_LOW) - top, 1))


def _refs(y: Callable[[float], float], reference_srb: float) -> list[RefLine]:
    return [
        RefLine(
            "ref", round(y(reference_srb), 1), _("参考水平 %s") % fmt(reference_srb)
        ),
        RefLine("high", round(y(BAND_HIGH), 1), _("正常上限 107")),
    ]


def _text_width(text: str) -> float:
    """About 11 px a CJK character, 6.5 px anything else, at the charts' 11 px font."""
    return sum(11 if ord(c) > 0x2E80 else 6.5 for c in text)


LINE = 14  # px between two labels' baselines: the 11 px font's box is about 13 px


def _place_labels(points: list[Point]) -> list[Label]:
    """Names beside points, each moved down a line until its box meets no other."""
    placed: list[tuple[Label, float, float]] = []  # label, left, right
    for p in sorted(points, key=lambda p: (p.y, p.x)):
        width = _text_width(p.name)
        right = p.x + 7 + width < WIDTH - RIGHT
        x = p.x + 7 if right else p.x - 7
        left_edge, right_edge = (x, x + width) if right else (x - width, x)
        y = p.y + 4
        for _try in range(8):
            if all(
                abs(q.y - y) >= LINE or right_edge <= ql or qr <= left_edge
                for q, ql, qr in placed
            ):
                break
            y += LINE
        label = Label(round(x, 1), round(y, 1), "start" if right else "end", p.name)
        placed.append((label, left_edge, right_edge))
    return [label for label, _l, _r in placed]


def funnel_chart(
    rows: list[VillageRow], reference_srb: float, *, judged: bool = True
) -> FunnelChart:
    """The funnel plot on a log births axis (1-2-5 ticks), so a village of 1,100
    births does not squeeze the other villages into a corner, and a y-axis fitted to
    the villages within Y_FLOOR–CEIL."""
    drawn = [r for r in rows if r.births > 0 and r.srb is not None]
    births = [r.births for r in drawn] or [10]
    x_min = 10 ** math.floor(math.log10(min(births)))
    x_max = max(x_min * 10, _nice_max(max(births)))
    log_lo, log_hi = math.log10(x_min), math.log10(x_max)

    def x(n: float) -> float:
        return LEFT + (math.log10(max(n, x_min)) - log_lo) / (log_hi - log_lo) * (
            WIDTH - LEFT - RIGHT
        )

    scale = fit_srb_scale(
        [r.srb for r in drawn if r.srb is not None],
        reference=reference_srb,
        floor=Y_FLOOR,
        ceil=Y_CEIL,
    )
    y = _y_of(scale)
    grid = sorted(
        {max(1, round(x_min * (x_max / x_min) ** (i / 80))) for i in range(81)}
    )
    raw_y = _y_of(scale, clamp=False)
    lines = [
        (css, " ".join(f"{x(n):.1f},{raw_y(v):.1f}" for n, v in pts))
        for css, pts in exact_limit_lines(grid, reference_srb)
    ]
    points = []
    clipped = []
    for r in drawn:
        srb = r.srb if r.srb is not None else math.nan
        if not judged:
            verdict = _("单年数据不作判断")
        elif not r.zone_reachable:
            verdict = _("出生数过少，无法判断")
        else:
            verdict = zone_label(r.zone)
        title = _(
            "%(name)s（%(town)s）：出生 %(n)d（男 %(b)d，女 %(g)d），性别比 %(srb)s"
            "（95%%区间 %(lo)s–%(hi)s）；%(zone)s；按过度离散调整：%(mult)s（乘法）、"
            "%(add)s（随机效应）；收缩估计 %(shr)s，排序分 %(prob).0f（只用于排序，非检验）；"
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
        cut = not scale.lo <= srb <= scale.hi
        if cut:
            clipped.append(f"{r.name}（{fmt(srb)}）")
        points.append(
            Point(
                round(x(r.births), 1),
                round(y(srb), 1),
                str(r.zone) if judged else "within",
                title,
                r.name,
                zone,
                cut,
            )
        )
    outside = [p for p in points if p.zone not in ("within", "no_births", "not_judged")]
    legend = [
        LegendEntry("band", "band", _("正常范围 103–107")),
        LegendEntry("ref", "line", _("参考水平 %s") % fmt(reference_srb)),
        LegendEntry("l95", "line", _("95%控制限")),
        LegendEntry("l998", "line", _("99.8%控制限")),
    ]
    return FunnelChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        points=points,
        lines=lines,
        band=_band(y),
        refs=_refs(y, reference_srb)[:1],
        x_ticks=[Tick(round(x(v), 1), f"{v:,}") for v in log_ticks(x_min, x_max)],
        y_ticks=[Tick(round(y(v), 1), f"{v:g}") for v in scale.ticks()],
        labels=_place_labels(outside),
        legend=_legend(legend),
        x_min=x_min,
        x_max=x_max,
        y_min=scale.lo,
        y_max=scale.hi,
        clipped=clipped,
    )


@dataclass(frozen=True)
class TrendBar:
    x: float
    y: float | None
    y_lower: float
    y_upper: float
    label: str
    title: str
    cut_lower: bool = False
    cut_upper: bool = False
    point_cut: bool = False  # the SRB itself is beyond the axis: drawn on the edge


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[TrendBar]
    path: str
    band: Band
    refs: list[RefLine]
    y_ticks: list[Tick]
    legend: list[LegendEntry]
    y_min: float
    y_max: float
    any_cut: bool

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


def trend_scale(rows: list[SrbRow], reference_srb: float) -> Scale:
    """The trend's y-range: every year's SRB, the band and the reference, and each
    interval as far as CI_REACH beyond the points (a wider interval is cut)."""
    srbs = [r.srb for r in rows if r.srb is not None and math.isfinite(r.srb)]
    if not srbs:
        return fit_srb_scale([], reference=reference_srb)
    lo_cap, hi_cap = min(srbs) - CI_REACH, max(srbs) + CI_REACH
    ci = [
        min(max(v, lo_cap), hi_cap)
        for r in rows
        if r.births > 0
        for v in (r.lower, r.upper)
    ]
    return fit_srb_scale(srbs + ci, reference=reference_srb, floor=Y_FLOOR, ceil=Y_CEIL)


def trend_chart(rows: list[SrbRow], reference_srb: float) -> TrendChart:
    scale = trend_scale(rows, reference_srb)
    y = _y_of(scale)
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
                round(y(r.srb), 1) if r.srb is not None else None,
                round(y(r.lower), 1),
                round(y(r.upper), 1),
                r.label,
                title,
                cut_lower=r.births > 0 and r.lower < scale.lo,
                cut_upper=r.births > 0 and r.upper > scale.hi,
                point_cut=r.srb is not None and not scale.lo <= r.srb <= scale.hi,
            )
        )
    path = " ".join(f"{b.x:.1f},{b.y:.1f}" for b in bars if b.y is not None)
    legend = [
        LegendEntry("band", "band", _("正常范围 103–107")),
        LegendEntry("ref", "line", _("参考水平 %s") % fmt(reference_srb)),
        LegendEntry("high", "line", _("正常上限 107")),
        LegendEntry("trend", "dot", _("出生性别比")),
        LegendEntry("ci", "ci", _("95%区间")),
    ]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        bars=bars,
        path=path,
        band=_band(y),
        refs=_refs(y, reference_srb),
        y_ticks=[Tick(round(y(v), 1), f"{v:g}") for v in scale.ticks()],
        legend=_legend(legend),
        y_min=scale.lo,
        y_max=scale.hi,
        any_cut=any(b.cut_lower or b.cut_upper or b.point_cut for b in bars),
    )
