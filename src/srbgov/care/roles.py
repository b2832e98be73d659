"""Who does what in girl care: one-line predicates (docs/access.md, docs/care.md §3).

Kept in the app rather than in accounts/roles.py so that the care part merges as one
piece; they follow the same pattern (allow-lists over `Role`, denied by default)."""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role

CARE_ROLES = frozenset(
    {Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)
NOTICE_ROLES = frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER})


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_see_care(user: Any) -> bool:
    return _role(user) in CARE_ROLES


def can_confirm_households(user: Any) -> bool:
    return _role(user) == Role.VILLAGE_WORKER


def can_apply(user: Any) -> bool:
    return _role(user) == Role.VILLAGE_WORKER


def can_review_applications(user: Any) -> bool:
    return _role(user) == Role.TOWNSHIP_OFFICER


def can_see_notices(user: Any) -> bool:
    return _role(user) in CARE_ROLES


def can_post_notices(user: Any) -> bool:
    return _role(user) == Role.TOWNSHIP_OFFICER


def can_approve_applications(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_manage_programs(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_handle_payments(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_run_recheck(user: Any) -> bool:
    return _role(user) in {Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
