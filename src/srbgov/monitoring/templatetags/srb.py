from __future__ import annotations

from django import template

from srbgov.monitoring.charts import fmt, zone_label
from srbgov.monitoring.exports import category_label
from srbgov.monitoring.queries import SrbRow
from srbgov.stats import FunnelZone

register = template.Library()


@register.filter
def srb(value: float | None) -> str:
    """One decimal as in the exports; '—' for none, '∞' for no girls."""
    return fmt(value)


@register.filter
def pct(value: float) -> str:
    return fmt(100 * value)


@register.filter
def zone(value: FunnelZone) -> str:
    return zone_label(value)


@register.filter
def category(row: SrbRow) -> str:
    return category_label(row)
