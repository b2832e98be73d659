"""Named role predicates: one line each, no boolean trees (STYLE §5.4)."""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role

PEOPLE_ROLES = frozenset(
    {Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_manage_people(user: Any) -> bool:
    return _role(user) in PEOPLE_ROLES


def can_read_audit_log(user: Any) -> bool:
    return _role(user) == Role.AUDITOR


def can_manage_areas(user: Any) -> bool:
    return _role(user) == Role.ADMIN


def can_manage_users(user: Any) -> bool:
    return _role(user) == Role.ADMIN
