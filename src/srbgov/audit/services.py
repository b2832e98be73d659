"""Writing the audit log. Every read of a person's page, every write and every export
calls `record` explicitly (no signals), inside the same transaction as the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from srbgov.audit.context import current_ip
from srbgov.audit.models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def record(
    *,
    user: User | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    entry = AuditEntry(
        user=user if user is not None and user.pk else None,
        username=(user.username if user is not None else username)[:150],
        ip_address=current_ip.get(),
        action=action,
        object_type=object_type[:40],
        object_id=object_id[:40],
        object_repr=object_repr[:200],
        detail=detail or {},
    )
    entry.save()
    return entry
