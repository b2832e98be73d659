"""How the auditor's page shows an entry's detail: a change's fields before and after,
and any other detail as key and value."""

from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.filter
def changes(detail: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that a before/after detail names, the
    changed ones first; [] when the entry has no before/after."""
    if not isinstance(detail, dict) or "after" not in detail:
        return []
    before = detail.get("before") or {}
    after = detail.get("after") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", _text(before), _text(after))]
    keys = sorted(set(before) | set(after))
    rows = [(k, _text(before.get(k)), _text(after.get(k))) for k in keys]
    return sorted(rows, key=lambda row: row[1] == row[2])


@register.filter
def other_detail(detail: Any) -> list[tuple[str, str]]:
    if not isinstance(detail, dict):
        return []
    return [
        (str(k), _text(v)) for k, v in detail.items() if k not in ("before", "after")
    ]
