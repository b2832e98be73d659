"""The officer's decision on a candidate pair (docs/reconciliation.md §3, §4): every
decision is audited; a confirmed pair whose sexes differ raises an alert for the
township, and withdrawing the confirmation resolves it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert, resolve_alerts_for
from srbgov.areas.models import Area
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.reconciliation.models import Decision, PairDecision, PairKind
from srbgov.reconciliation.queries import SEX, reconcile_month

if TYPE_CHECKING:
    from srbgov.accounts.models import User

DECISION = "reconciliation.pairdecision"


@transaction.atomic
def decide_pair(
    *,
    by: User,
    township: Area,
    year: int,
    month: int,
    key: str,
    confirm: bool,
    note: str = "",
) -> PairDecision:
    """Confirm or reject one pair of the township's month, as the page shows it.

    The pair is looked up in the month's reconciliation itself, so that an officer
    can only decide a pair the page proposed (or change a decision it shows)."""
    pair = reconcile_month(township=township, year=year, month=month).pair(key)
    if pair is None:
        raise ValidationError(_("这一对记录不在本月的比对结果中，请刷新页面。"))
    if not pair.pending and not pair.decision:
        raise ValidationError(_("这一对记录已自动匹配，无需确认。"))
    is_birth = pair.kind == PairKind.BIRTH
    existing = (
        PairDecision.objects.in_area(township)
        .filter(
            kind=pair.kind,
            outcome_id=pair.registry.pk,
            **(
                {"delivery_id": pair.facility.pk}
                if is_birth
                else {"termination_id": pair.facility.pk}
            ),
        )
        .first()
    )
    decision = existing or PairDecision(
        township=township,
        kind=pair.kind,
        delivery_id=pair.facility.pk if is_birth else None,
        termination_id=None if is_birth else pair.facility.pk,
        outcome_id=pair.registry.pk,
        probability=round(pair.probability, 6),
    )
    before = existing.decision if existing else None
    decision.decision = Decision.CONFIRMED if confirm else Decision.REJECTED
    decision.mismatches = list(pair.mismatches)
    decision.note = note.strip()[:200]
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision.save()
    record(
        user=by,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=decision,
        detail={
            "decision": {"before": before, "after": decision.decision},
            "probability": decision.probability,
            "mismatches": decision.mismatches,
            "facility_record": pair.facility.pk,
            "outcome": pair.registry.pk,
        },
    )
    if confirm and SEX in pair.mismatches:
        raise_alert(
            kind=AlertKind.RECONCILED_SEX_MISMATCH,
            area=township,
            subject_type=DECISION,
            subject_id=decision.pk,
            summary=_(
                "%(facility)s %(on)s 分娩（%(masked)s）：机构登记新生儿为%(f)s，村级出生登记为%(r)s"
            )
            % {
                "facility": pair.facility.facility_name,
                "on": pair.facility.event_on.isoformat(),
                "masked": pair.facility.masked,
                "f": pair.facility.sexes_display,
                "r": pair.registry.sexes_display,
            },
        )
    elif not confirm:
        resolve_alerts_for(
            kind=AlertKind.RECONCILED_SEX_MISMATCH,
            subject_type=DECISION,
            subject_id=decision.pk,
            resolution=_("比对结论改为“不是同一例”。"),
        )
    return decision
