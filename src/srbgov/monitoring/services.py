"""Writes of the statistics app: the county's statistics policy."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.monitoring.models import SrbPolicy


@transaction.atomic
def save_srb_policy(
    *,
    by: User,
    county: Area,
    reference_level: str,
    interval_method: str,
    window_years: int,
) -> SrbPolicy:
    """Set the county's reference level, interval method and alert window (docs/design.md §6:
    policy data). Out-of-range values fail `full_clean` with the field's message."""
    policy = SrbPolicy.objects.select_for_update().filter(county=county).first()
    created = policy is None
    if policy is None:
        policy = SrbPolicy(county=county)
    fields = ("reference_level", "interval_method", "window_years")
    # Before and after, for the auditor (docs/administration.md).
    before = None if created else {f: str(getattr(policy, f)) for f in fields}
    policy.reference_level = reference_level
    policy.interval_method = interval_method
    policy.window_years = window_years
    policy.updated_at = timezone.now()
    policy.updated_by = by
    policy.full_clean()
    policy.save()
    record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=policy,
        detail={
            "reference_level": reference_level,
            "interval_method": interval_method,
            "window_years": window_years,
            "change": "srb_policy",
            "before": before,
            "after": {f: str(getattr(policy, f)) for f in fields},
        },
    )
    return policy
