"""Every statistics table as plain rows for .xlsx, rounded exactly as the pages show
them (one decimal), so a sheet reads back with the page's numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.areas.models import Area
from srbgov.monitoring import queries
from srbgov.monitoring.charts import zone_label
from srbgov.monitoring.forms import Selection
from srbgov.providers.services import priority_village_ids

Table = tuple[str, list[str], Sequence[Sequence[Any]]]


def num(value: float | None) -> float | str:
    """One decimal as on the page; no value '—', infinity '∞'."""
    if value is None or math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞"
    return round(value, 1)


def _srb_headers(first: str) -> list[str]:
    return [
        first,
        _("出生数"),
        _("男"),
        _("女"),
        _("性别比"),
        _("95%区间下限"),
        _("95%区间上限"),
        _("判断"),
    ]


def category_label(row: queries.SrbRow) -> str:
    return row.verdict_label


def _srb_cells(row: queries.SrbRow) -> list[Any]:
    return [
        row.label,
        row.births,
        row.boys,
        row.girls,
        num(row.srb),
        num(row.lower),
        num(row.upper),
        category_label(row),
    ]


def trend_table(area: Area, sel: Selection, policy: queries.Policy) -> Table:
    trend = queries.trend_rows(area, sel.period.last_month.year, policy)
    rows = [_srb_cells(r) for r in trend]
    return _("逐年趋势"), _srb_headers(_("年份")), rows


def areas_table(area: Area, sel: Selection, policy: queries.Policy) -> Table:
    rows = [_srb_cells(r) for r in queries.sub_area_rows(area, sel.period, policy)]
    return _("分区划"), _srb_headers(_("区划")), rows


def village_hint(r: queries.VillageRow) -> str:
    """The ranking page's 提示 cell, word for word (same messages)."""
    if not r.births:
        return ""
    if not r.judged:
        return _("单年数据不作判断")
    if r.is_probably_high:
        return _("显著偏高（已校正多重比较）")
    if r.is_low:
        return _("显著偏低：疑似男婴漏报（数据质量）")
    if r.too_few:
        return _("出生数过少，无法判断（至少需 %(n)s 个出生）") % {"n": r.births_needed}
    return ""


def probability(value: float | None) -> float | str:
    """A p- or q-value: four decimals (one, as for SRBs, would say 0.0 for most)."""
    if value is None or math.isnan(value):
        return "—"
    return round(value, 4)


def priority_today(area: Area) -> set[int]:
    """The priority villages (重点村) of `area` in force today: the ranking is read to
    decide today's work, so it shows today's designations whatever the period. The
    mark is shown beside the ranking, never used in it (docs/design.md §2)."""
    return priority_village_ids(area=area, on=timezone.localdate())


def village_table_rows(
    stats: queries.VillageStatistics,
    *,
    priority: set[int] | frozenset[int] = frozenset(),
) -> list[Sequence[Any]]:
    """The ranking's rows. In a single year or quarter (not judged) the zone, p- and
    q-value cells are '—', as the page shows no verdict (docs/statistics.md). The
    last column marks the priority villages (`priority`, docs/registers.md §7.3)."""
    return [
        [
            rank,
            r.township,
            r.name,
            r.births,
            r.boys,
            r.girls,
            num(r.srb),
            num(r.lower),
            num(r.upper),
            num(r.shrunk_srb),
            num(r.shrunk_lower),
            num(r.shrunk_upper),
            num(100 * r.prob_above),
            num(r.detectable),
            zone_label(r.zone) if r.judged else "—",
            zone_label(r.zone_multiplicative) if r.judged else "—",
            zone_label(r.zone_additive) if r.judged else "—",
            _("是") if r.is_low else "",
            probability(r.p_high) if r.judged and r.births else "—",
            probability(r.q_value) if r.judged and r.births else "—",
            village_hint(r),
            _("是") if r.village_id in priority else "",
        ]
        for rank, r in enumerate(queries.ranked(stats.rows), start=1)
    ]


VILLAGE_HEADERS = [
    gettext_lazy("排序"),
    gettext_lazy("乡镇"),
    gettext_lazy("村"),
    gettext_lazy("出生数"),
    gettext_lazy("男"),
    gettext_lazy("女"),
    gettext_lazy("性别比"),
    gettext_lazy("95%区间下限"),
    gettext_lazy("95%区间上限"),
    gettext_lazy("收缩估计"),
    gettext_lazy("收缩估计下限"),
    gettext_lazy("收缩估计上限"),
    gettext_lazy("排序分（收缩估计高于107的后验概率，非检验，%）"),
    gettext_lazy("可检出的性别比"),
    gettext_lazy("漏斗图（未调整）"),
    gettext_lazy("漏斗图（乘法调整）"),
    gettext_lazy("漏斗图（随机效应调整）"),
    gettext_lazy("显著偏低（数据质量）"),
    gettext_lazy("单侧精确p值（高于107）"),
    gettext_lazy("q值（BH校正）"),
    gettext_lazy("提示"),
    gettext_lazy("重点村"),
]


def villages_table(area: Area, sel: Selection, policy: queries.Policy) -> Table:
    stats = queries.village_statistics(
        area, sel.period, policy, order=sel.order, pattern=sel.pattern
    )
    return (
        _("各村排序"),
        [str(h) for h in VILLAGE_HEADERS],
        village_table_rows(stats, priority=priority_today(area)),
    )


def breakdowns_table(area: Area, sel: Selection, policy: queries.Policy) -> Table:
    rows = [_srb_cells(r) for r in queries.breakdown_rows(area, sel.period, policy)]
    return _("孩次与此前子女"), _srb_headers(_("孩次·此前子女")), rows


def facilities_table(area: Area, sel: Selection, policy: queries.Policy) -> Table:
    rows = [_srb_cells(r) for r in queries.facility_rows(area, sel.period, policy)]
    return _("按接生机构"), _srb_headers(_("接生机构")), rows


TABLES: dict[str, Callable[[Area, Selection, queries.Policy], Table]] = {
    "trend": trend_table,
    "areas": areas_table,
    "villages": villages_table,
    "breakdowns": breakdowns_table,
    "facilities": facilities_table,
}
