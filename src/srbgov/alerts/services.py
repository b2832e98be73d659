"""Raising and working alerts. Every rule raises through `raise_alert`, which is idempotent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind, AlertNote, AlertStatus
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def raise_alert(
    *,
    kind: AlertKind,
    area: Area,
    subject_type: str,
    subject_id: str | int,
    summary: str,
    key_suffix: str = "",
) -> tuple[Alert, bool]:
    """Open an alert for this finding unless one is open already. Returns (alert, created).

    Safe to call from two processes at once: the partial unique constraint on `rule_key`
    decides, and the loser reads the winner's row.
    """
    rule_key = (
        f"{kind}:{subject_type}:{subject_id}{':' + key_suffix if key_suffix else ''}"
    )
    existing = Alert.objects.filter(rule_key=rule_key, status=AlertStatus.OPEN).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=kind,
                rule_key=rule_key,
                area=area,
                subject_type=subject_type,
                subject_id=str(subject_id),
                summary=summary[:200],
            )
    except IntegrityError:
        return Alert.objects.get(rule_key=rule_key, status=AlertStatus.OPEN), False
    return alert, True


@transaction.atomic
def resolve_alert(*, by: User | None, alert: Alert, resolution: str) -> Alert:
    """Close an alert with what was done. `by` is None when a rule closes it itself
    (the missing outcome was recorded, the verification completed)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError("该预警已处理。")
    if not resolution.strip():
        raise ValidationError({"resolution": ["请填写处理结果。"]})
    alert.status = AlertStatus.RESOLVED
    alert.resolution = resolution.strip()
    alert.resolved_at = timezone.now()
    alert.resolved_by = by
    alert.save()
    if by is not None:
        record(user=by, action=AuditAction.UPDATE, obj=alert, detail={"resolved": True})
    return alert


def resolve_alerts_for(
    *, kind: AlertKind, subject_type: str, subject_id: str | int, resolution: str
) -> int:
    """A rule's finding no longer holds: close its open alerts automatically."""
    closed = 0
    for alert in Alert.objects.filter(
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        status=AlertStatus.OPEN,
    ):
        resolve_alert(by=None, alert=alert, resolution=resolution)
        closed += 1
    return closed


@transaction.atomic
def assign_alert(*, by: User, alert: Alert, assignee: User) -> Alert:
    if not assignee.scope.contains(alert.area) and not alert.area.contains(
        assignee.scope
    ):
        raise ValidationError({"assignee": ["负责人必须属于该预警所在区划。"]})
    alert.assignee = assignee
    alert.save(update_fields=["assignee"])
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=alert,
        detail={"assignee": assignee.username},
    )
    return alert


@transaction.atomic
def add_alert_note(*, by: User, alert: Alert, text: str) -> AlertNote:
    if not text.strip():
        raise ValidationError({"text": ["请填写处理记录。"]})
    note = AlertNote.objects.create(alert=alert, author=by, text=text.strip())
    record(user=by, action=AuditAction.UPDATE, obj=alert, detail={"note": note.pk})
    return note
