"""`{{ part|share:whole }}`: the one way a template shows a share (core/rates.py)."""

from __future__ import annotations

from django import template

from srbgov.core.rates import share_percent

register = template.Library()


@register.filter
def share(part: int | None, whole: int | None) -> str:
    if part is None or whole is None:
        return "—"
    return share_percent(part=int(part), whole=int(whole)) or "—"
