"""The SRB summary with its verdict sentence on the county and township home pages
(docs/homes.md): the figure of the statistics overview's default selection (the
policy's merged window), judged by the same exact test as that page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.accounts.roles import can_see_srb_statistics
from srbgov.areas.models import AreaLevel
from srbgov.core.home import HomeSummary, HomeSummaryItem, list_url, register_summary
from srbgov.monitoring import queries
from srbgov.monitoring.charts import fmt
from srbgov.monitoring.forms import StatisticsFilterForm
from srbgov.stats import SrbClass

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _allowed(user: User) -> bool:
    return can_see_srb_statistics(user) and user.scope.level in (
        AreaLevel.COUNTY,
        AreaLevel.TOWNSHIP,
    )


def verdict_sentence(row: queries.SrbRow, *, period: str) -> tuple[str, str]:
    """(sentence, tone) for an area's SRB over `period`: what a reader may conclude,
    in the words of the overview page (docs/statistics.md)."""
    if row.births == 0:
        return _("%(period)s没有出生记录，无法计算出生性别比。") % {
            "period": period
        }, ""
    figures = _(
        "%(period)s出生 %(n)d 人（男 %(b)d，女 %(g)d），出生性别比 %(srb)s，"
        "95%%区间 %(lo)s–%(hi)s。"
    ) % {
        "period": period,
        "n": row.births,
        "b": row.boys,
        "g": row.girls,
        "srb": fmt(row.srb),
        "lo": fmt(row.lower),
        "hi": fmt(row.upper),
    }
    if not row.judged:
        return figures + _("单年或单季度数据只看区间，不作判断。"), ""
    if row.category is SrbClass.HIGH:
        return figures + _(
            "经精确检验显著高于正常上限107：需要查找原因（孩次、此前子女性别、接生机构）。"
        ), "high"
    if row.category is SrbClass.LOW_DATA_QUALITY:
        return figures + _(
            "显著低于正常下限103：更可能是男婴漏报，请核查出生登记的完整性。"
        ), "low"
    if row.too_few:
        return figures + _("出生数太少，即使偏高也无法作出判断。"), ""
    return figures + _("未显著高于107，与正常范围103–107相符。"), ""


def srb_summary(user: User) -> HomeSummary | None:
    area = user.scope
    policy = queries.policy_for(area)
    period = StatisticsFilterForm({}, scope=area).selection(policy).period
    # The same verdict as the overview: the area judged in its own family.
    row = queries.area_total(area, period, policy)
    sentence, tone = verdict_sentence(row, period=period.label)
    return HomeSummary(
        title=gettext_lazy("出生性别比"),
        value=fmt(row.srb),
        sentence=sentence,
        url=list_url("monitoring:overview"),
        tone=tone,
    )


def register_home_items() -> None:
    register_summary(
        HomeSummaryItem(key="srb", allowed=_allowed, summary=srb_summary, order=10)
    )
