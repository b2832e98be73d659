"""Alerts are reached only through here: scoped to the user's area, 404 outside
(srbgov.core.scope, docs/access.md)."""

from __future__ import annotations

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_work_alerts
from srbgov.alerts.models import Alert, AlertQuerySet
from srbgov.core.http import require
from srbgov.core.scope import get_for_user


def alerts_for_user(user: User) -> AlertQuerySet:
    """The alert queue of the user's area; no queue at all for other roles."""
    require(can_work_alerts, user)
    return Alert.objects.visible_to(user)


def get_alert_for_user(user: User, pk: object, *, log_read: bool = True) -> Alert:
    alerts = alerts_for_user(user).select_related(
        "area__parent", "assignee", "resolved_by"
    )
    return get_for_user(alerts, user, pk, log_read=log_read)
