"""The one way the reconciliation's views reach a township (docs/access.md): the
township officer's own, or any township of the county officer's county; 404 for
everything else, for missing and forbidden alike."""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts import roles
from srbgov.accounts.models import User
from srbgov.areas.models import Area, AreaQuerySet
from srbgov.core.http import require
from srbgov.core.scope import get_for_user

# Months the page can be asked for: anything else is a mistyped address (404).
YEARS = range(2000, 2101)


def townships_for_user(user: User) -> AreaQuerySet:
    require(roles.can_reconcile, user)
    return Area.objects.visible_to(user).townships().order_by("code")


def get_township_for_user(user: User, pk: object) -> Area:
    """The township whose month the user opens. Not logged as a read here: the
    view logs the month it shows (reconciliation.month)."""
    return get_for_user(townships_for_user(user), user, pk, log_read=False)


def check_month(year: int, month: int) -> None:
    if year not in YEARS or not 1 <= month <= 12:
        raise Http404
