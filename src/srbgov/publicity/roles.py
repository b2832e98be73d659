"""Who records publicity (docs/access.md): the three area roles, in their own area."""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role

PUBLICITY_ROLES = frozenset(
    {Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_record_publicity(user: Any) -> bool:
    return _role(user) in PUBLICITY_ROLES


def can_plan_publicity(user: Any) -> bool:
    return _role(user) in {Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
