"""The register entry closes the woman's open pregnancy as an induced termination
(docs/design.md §4 Outcome), through this app's own outcome service; completing the
verification gives that outcome its approval reference.

These functions lived in providers; they moved here so that the dependency runs one
way, pregnancies → providers (a Birth and an Outcome refer to a Facility). providers
calls them through `providers.hooks`, filled in `PregnanciesConfig.ready()`
(docs/decisions.md).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.pregnancies import services as pregnancy_services
from srbgov.pregnancies.models import (
    Outcome,
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
    TerminationReason,
)
from srbgov.providers.models import TerminationRecord, TerminationVerification

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def close_pregnancy(*, by: User, entry: TerminationRecord) -> Outcome | None:
    """Record the outcome on her pregnancy under follow-up, or raise an alert when she
    has none registered (not in the registry, no pregnancy, or the registered dates
    contradict the entry — the village worker then reconciles the two).

    Privacy of lawful care (docs/security.md): a termination before 14 weeks is her own
    lawful choice; when no pregnancy of hers is under follow-up, the entry stays in the
    facility register (provider oversight, statistics) and tells her village nothing.
    Only what the law asks to verify (14 weeks or more) may reach the village."""
    pregnancy = (
        Pregnancy.objects.filter(woman=entry.woman, status=PregnancyStatus.PREGNANT)
        .order_by("-pk")
        .first()
        if entry.woman is not None
        else None
    )
    if pregnancy is None:
        if entry.is_late:
            _raise_without_pregnancy(entry, "")
        return None
    reference, approved_on = _approval(entry.verification)
    try:
        with transaction.atomic():
            outcome = pregnancy_services.record_outcome(
                by=by,
                pregnancy=pregnancy,
                kind=OutcomeKind.TERMINATION,
                occurred_on=entry.terminated_on,
                facility=entry.facility,
                termination_reason=TerminationReason.MEDICAL
                if entry.is_late or entry.verification is not None
                else TerminationReason.PERSONAL,
                reason_detail=entry.medical_reason[:200],
                approval_reference=reference,
                approval_on=approved_on,
                note=_("由%(facility)s终止妊娠实名登记自动记录。")
                % {"facility": entry.facility.name},
            )
    except ValidationError as problem:
        _raise_without_pregnancy(entry, "；".join(problem.messages))
        return None
    entry.outcome_id = outcome.pk
    entry.save(update_fields=["outcome_id"])
    return outcome


def give_outcome_approval(
    *, by: User, entry: TerminationRecord, verification: TerminationVerification
) -> None:
    """The county certificate is the approval reference of the outcome the entry
    recorded (closes the pregnancies app's own late-termination alert)."""
    if entry.outcome_id is None:
        return
    outcome = Outcome.objects.filter(pk=entry.outcome_id).first()
    if outcome is None or outcome.approval_reference:
        return
    reference, approved_on = _approval(verification)
    pregnancy_services.set_termination_approval(
        by=by, outcome=outcome, reference=reference, approved_on=approved_on
    )


def _approval(
    verification: TerminationVerification | None,
) -> tuple[str, date | None]:
    """(certificate number, date certified) of a completed verification."""
    if verification is None or not verification.is_complete:
        return "", None
    certified = verification.certified_at
    return verification.certificate_number, (
        timezone.localdate(certified) if certified else None
    )


def _raise_without_pregnancy(entry: TerminationRecord, why: str) -> None:
    area = entry.woman.village if entry.woman is not None else entry.facility.area
    summary = _(
        "%(facility)s 登记终止妊娠（%(masked)s，孕%(weeks)d周），无在册孕情"
    ) % {
        "facility": entry.facility.name,
        "masked": entry.id_number_masked,
        "weeks": entry.gestational_weeks,
    }
    raise_alert(
        kind=AlertKind.TERMINATION_WITHOUT_PREGNANCY,
        area=area,
        subject_type="providers.terminationrecord",
        subject_id=entry.pk,
        summary=f"{summary}：{why}" if why else summary,
    )


def on_registered(by: User, entry: TerminationRecord) -> None:
    """providers.hooks.TERMINATION_REGISTERED."""
    close_pregnancy(by=by, entry=entry)


def on_certified(
    by: User, entry: TerminationRecord, verification: TerminationVerification
) -> None:
    """providers.hooks.TERMINATION_CERTIFIED."""
    give_outcome_approval(by=by, entry=entry, verification=verification)
