"""Alerts are reached only through here: scoped to the user's area, 404 outside."""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_work_alerts
from srbgov.alerts.models import Alert, AlertQuerySet
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


def alerts_for_user(user: User) -> AlertQuerySet:
    """The alert queue of the user's area; no queue at all for other roles."""
    if not can_work_alerts(user):
        raise Http404
    return Alert.objects.in_area(user.scope)


def get_alert_for_user(user: User, pk: int, *, log_read: bool = True) -> Alert:
    alert = (
        alerts_for_user(user)
        .select_related("area__parent", "assignee", "resolved_by")
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type="alerts.alert",
            object_id=str(pk),
        )
        raise Http404
    if log_read:
        record(user=user, action=AuditAction.READ, obj=alert)
    return alert
