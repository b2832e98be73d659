"""Statistics are reached only through here: the user's area or a sub-area of it.

The pages show counts and rates, not anyone's record, so reads are not logged as reads
of a person; every export is logged (views.py)."""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_edit_srb_policy, can_see_srb_statistics
from srbgov.areas.models import Area, AreaLevel


def statistics_area(user: User, code: str | None = None) -> Area:
    """The area whose statistics the user asked for: their scope, or (with `code`) an
    area inside it; anything else, and other roles, 404."""
    if not can_see_srb_statistics(user):
        raise Http404
    scope = user.scope
    if not code or code == scope.code:
        return scope
    area = Area.objects.visible_to(user).filter(code=code).select_related("parent")
    found = area.first()
    if found is None:
        raise Http404
    return found


def policy_county(user: User) -> Area:
    """The county whose statistics policy the county officer edits."""
    if not can_edit_srb_policy(user) or user.scope.level != AreaLevel.COUNTY:
        raise Http404
    return user.scope
