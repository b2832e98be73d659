"""Reads shared by the list page and its export."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Count, Q

from srbgov.people.models import WomanQuerySet
from srbgov.people.services import find_by_identity_number


def search_women(
    women: WomanQuerySet, *, today: date, filters: dict[str, Any]
) -> WomanQuerySet:
    """Filter by a typed name, full identity number or phone, by village and by age."""
    q = (filters.get("q") or "").strip()
    if q:
        number_hash = find_by_identity_number(q)
        if number_hash is not None:
            women = women.filter(id_number_hash=number_hash)
        elif re.fullmatch(r"[\d\- ]{4,}", q):
            women = women.filter(phone__contains=q.replace(" ", "").replace("-", ""))
        else:
            women = women.filter(Q(name__contains=q) | Q(spouse__name__contains=q))
    if filters.get("village"):
        women = women.filter(village=filters["village"])
    if filters.get("age_from") is not None:
        women = women.filter(birth_on__lte=_years_before(today, filters["age_from"]))
    if filters.get("age_to") is not None:
        women = women.filter(birth_on__gt=_years_before(today, filters["age_to"] + 1))
    return (
        women.select_related("village", "village__parent")
        .annotate(n_children=Count("children"))
        .order_by("village__code", "name", "id")
    )


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
