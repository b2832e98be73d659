"""The nightly run (`manage.py raise_alerts`): refresh every followed pregnancy's
schedule state and raise what the rules find (docs/design.md §5).

Idempotent and safe to run twice at once: each chunk of pregnancies is claimed with an
optimistic compare-and-set (`schedule_checked_on` older than today → today, with this
run's token) inside the chunk's transaction, so a second run skips rows the first has
claimed (on PostgreSQL the second UPDATE waits for the first's commit, then re-checks
the condition and claims nothing); a second run the same day finds nothing to claim.
Alerts themselves are unique per open finding (alerts' partial unique constraint).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import raise_findings
from srbgov.pregnancies import rules
from srbgov.pregnancies.models import (
    OPEN_STATUSES,
    Birth,
    InfantDeath,
    Outcome,
    OutcomeKind,
    Pregnancy,
)
from srbgov.pregnancies.policies import PolicyResolver
from srbgov.pregnancies.schedule import refresh_many

CHUNK = 1000


@dataclass
class NightlySummary:
    pregnancies: int = 0
    raised: int = 0


def unchecked(on: date) -> Q:
    followed = Q(status__in=OPEN_STATUSES) | Q(next_due_on__isnull=False)
    not_today = Q(schedule_checked_on__isnull=True) | Q(schedule_checked_on__lt=on)
    return followed & not_today


def _claim_chunk(on: date, after_id: int) -> tuple[list[Pregnancy], int] | None:
    """Claim the next chunk of unchecked pregnancies by id; None when none are left."""
    ids = list(
        Pregnancy.objects.filter(unchecked(on), pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:CHUNK]
    )
    if not ids:
        return None
    token = uuid.uuid4().hex
    Pregnancy.objects.filter(unchecked(on), pk__in=ids).update(
        claim_token=token, schedule_checked_on=on
    )
    claimed = list(
        Pregnancy.objects.filter(pk__in=ids, claim_token=token).select_related(
            "woman", "village__parent__parent", "outcome"
        )
    )
    return claimed, ids[-1]


def refresh_pregnancies(on: date) -> NightlySummary:
    summary = NightlySummary()
    resolver = PolicyResolver()
    after_id = 0
    while True:
        with transaction.atomic():
            chunk = _claim_chunk(on, after_id)
            if chunk is None:
                break
            claimed, after_id = chunk
            if not claimed:
                continue
            states = refresh_many(claimed, on=on, resolver=resolver)
            summary.raised += rules.apply_pregnancy_findings(claimed, states, on)
            summary.pregnancies += len(claimed)
    return summary


def _sweep_records() -> int:
    """Rules on outcomes, births and infant deaths, for rows written around the
    services (imports); `raise_findings` skips findings alerted before."""
    seen = set(
        Alert.objects.filter(
            kind__in=[
                AlertKind.LATE_TERMINATION_UNAPPROVED,
                AlertKind.BIRTH_WITHOUT_CERTIFICATE,
                AlertKind.FEMALE_INFANT_DEATH,
                AlertKind.INFANT_DEATH_LATE_REPORT,
            ]
        ).values_list("subject_type", "subject_id")
    )
    findings = []
    terminations = Outcome.objects.filter(
        kind=OutcomeKind.TERMINATION,
        gestational_weeks__gte=rules.APPROVAL_WEEKS,
        approval_reference="",
    ).select_related("pregnancy__woman")
    for outcome in terminations:
        if ("outcome", str(outcome.pk)) not in seen:
            findings += rules.outcome_findings(outcome)
    for birth in Birth.objects.filter(birth_certificate_number="").select_related(
        "mother"
    ):
        if ("birth", str(birth.pk)) not in seen:
            findings += rules.birth_findings(birth)
    deaths = InfantDeath.objects.filter(Q(sex="F") | Q(is_late_report=True))
    for death in deaths.select_related("mother", "child"):
        if ("infantdeath", str(death.pk)) not in seen:
            findings += rules.infant_death_findings(death)
    return raise_findings(findings)


def raise_alerts(on: date) -> NightlySummary:
    summary = refresh_pregnancies(on)
    summary.raised += _sweep_records()
    return summary
