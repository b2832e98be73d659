"""Raising and working alerts. Every rule raises through `raise_alert`, which is idempotent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


def make_rule_key(
    kind: str, subject_type: str, subject_id: str | int, key_suffix: str = ""
) -> str:
    """The identity of one finding of one rule (see `Alert.rule_key`)."""
    return f"{kind}:{subject_type}:{subject_id}{':' + key_suffix if key_suffix else ''}"


@dataclass(frozen=True)
class Finding:
    """What a rule found about one subject; `raise_findings` opens alerts for many."""

    kind: AlertKind
    area_id: int
    subject_type: str
    subject_id: str | int
    summary: str
    key_suffix: str = ""

    @property
    def rule_key(self) -> str:
        return make_rule_key(
            self.kind, self.subject_type, self.subject_id, self.key_suffix
        )


def raise_findings(findings: Iterable[Finding], *, once: bool = True) -> int:
    """Open alerts for many findings in a few queries (the nightly rules). Returns how
    many findings were new to this run (a run at the same moment may insert some of
    them first; the constraint then keeps one).

    With `once` (the default), a finding that already had an alert, open or resolved,
    is not raised again: an officer who resolved "孕情消失" for a pregnancy is not
    asked again about the same finding every night. Two runs at once cannot duplicate:
    the partial unique constraint on open `rule_key`s drops the loser's rows.
    """
    wanted = {f.rule_key: f for f in findings}
    if not wanted:
        return 0
    seen: set[str] = set()
    keys = list(wanted)
    for start in range(0, len(keys), 2000):
        chunk = keys[start : start + 2000]
        existing = Alert.objects.filter(rule_key__in=chunk)
        if not once:
            existing = existing.filter(status=AlertStatus.OPEN)
        seen.update(existing.values_list("rule_key", flat=True))
    now = timezone.now()
    new = [
        Alert(
            kind=f.kind,
            rule_key=key,
            area_id=f.area_id,
            subject_type=f.subject_type,
            subject_id=str(f.subject_id),
            summary=f.summary[:200],
            opened_at=now,
        )
        for key, f in wanted.items()
        if key not in seen
    ]
    Alert.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def close_findings(
    *,
    kinds: Iterable[AlertKind],
    subject_type: str,
    subject_ids: Iterable[str | int],
    keep: Iterable[str],
    resolution: str,
) -> int:
    """Close, as the system, the open alerts of these kinds and subjects whose finding
    no longer holds (its rule key is not in `keep`). Returns how many were closed."""
    ids = [str(i) for i in subject_ids]
    if not ids:
        return 0
    stale = (
        Alert.objects.open()
        .filter(kind__in=list(kinds), subject_type=subject_type, subject_id__in=ids)
        .exclude(rule_key__in=list(keep))
    )
    return stale.update(
        status=AlertStatus.RESOLVED,
        resolution=resolution,
        resolved_at=timezone.now(),
        resolved_by=None,
    )


def raise_alert(
    *,
    kind: AlertKind,
    area: Area,
    subject_type: str,
    subject_id: str | int,
    summary: str,
    key_suffix: str = "",
    once: bool = False,
) -> tuple[Alert, bool]:
    """Open an alert for this finding unless one is open already. Returns (alert, created).

    `once`: not even when one was resolved. For a finding that holds for a whole
    window (an SRB alert: the pooled years, a CUSUM signal), whose key names that
    window, an officer who looked and resolved it must not find it again the next
    night; a new window or a new signal has a new key.

    Safe to call from two processes at once: the partial unique constraint on `rule_key`
    decides, and the loser reads the winner's row.
    """
    rule_key = make_rule_key(kind, subject_type, subject_id, key_suffix)
    existing = Alert.objects.filter(rule_key=rule_key, status=AlertStatus.OPEN).first()
    if existing is None and once:
        existing = Alert.objects.filter(rule_key=rule_key).order_by("-pk").first()
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
