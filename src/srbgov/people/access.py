"""The one way views, exports and (later) the API reach women's records: declarations
over the scope primitive (srbgov.core.scope, docs/access.md)."""

from __future__ import annotations

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_manage_people
from srbgov.core.http import require
from srbgov.core.scope import get_for_user
from srbgov.people.models import Woman, WomanQuerySet


def women_for_user(user: User) -> WomanQuerySet:
    """The women in the user's area subtree; no such list at all for other roles."""
    require(can_manage_people, user)
    return Woman.objects.visible_to(user)


def get_woman_for_user(user: User, pk: object, *, log_read: bool = True) -> Woman:
    """Her record if it lies in the user's area, else 404 (missing and forbidden alike).
    Opening a record is a read of personal data, so it is logged."""
    women = women_for_user(user).select_related("village", "village__parent")
    return get_for_user(women, user, pk, log_read=log_read)
