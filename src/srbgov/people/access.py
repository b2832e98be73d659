"""The one way views, exports and (later) the API reach women's records (STYLE §5.4)."""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_manage_people
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.models import Woman, WomanQuerySet


def women_for_user(user: User) -> WomanQuerySet:
    """The women in the user's area subtree; no such list at all for other roles."""
    if not can_manage_people(user):
        raise Http404
    return Woman.objects.in_area(user.scope)


def get_woman_for_user(user: User, pk: int, *, log_read: bool = True) -> Woman:
    """Her record if it lies in the user's area, else 404 (missing and forbidden alike).
    Opening a record is a read of personal data, so it is logged."""
    woman = (
        women_for_user(user)
        .select_related("village", "village__parent")
        .filter(pk=pk)
        .first()
    )
    if woman is None:
        # An attempt on a record outside one's area is worth an auditor's look.
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type="people.woman",
            object_id=str(pk),
        )
        raise Http404
    if log_read:
        record(user=user, action=AuditAction.READ, obj=woman)
    return woman
