"""The one way views and exports reach follow-up records (STYLE §5.4): scoped to
the user's area, 404 outside it, every opened record logged."""

from __future__ import annotations

from django.http import Http404

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_follow_pregnancies
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.models import Child
from srbgov.pregnancies.models import (
    Birth,
    BirthQuerySet,
    InfantDeath,
    InfantDeathQuerySet,
    Outcome,
    Pregnancy,
    PregnancyQuerySet,
)


def _denied(user: User, object_type: str, pk: int) -> Http404:
    record(
        user=user, action=AuditAction.DENIED, object_type=object_type, object_id=str(pk)
    )
    return Http404()


def pregnancies_for_user(user: User) -> PregnancyQuerySet:
    """Pregnancies followed in the user's area; no such list for other roles."""
    if not can_follow_pregnancies(user):
        raise Http404
    return Pregnancy.objects.in_area(user.scope)


def births_for_user(user: User) -> BirthQuerySet:
    if not can_follow_pregnancies(user):
        raise Http404
    return Birth.objects.in_area(user.scope)


def infant_deaths_for_user(user: User) -> InfantDeathQuerySet:
    if not can_follow_pregnancies(user):
        raise Http404
    return InfantDeath.objects.in_area(user.scope)


def get_pregnancy_for_user(user: User, pk: int, *, log_read: bool = True) -> Pregnancy:
    pregnancy = (
        pregnancies_for_user(user)
        .select_related("woman", "village__parent", "handed_over_from__village")
        .filter(pk=pk)
        .first()
    )
    if pregnancy is None:
        raise _denied(user, "pregnancies.pregnancy", pk)
    if log_read:
        record(user=user, action=AuditAction.READ, obj=pregnancy)
    return pregnancy


def get_birth_for_user(user: User, pk: int) -> Birth:
    birth = births_for_user(user).select_related("mother", "pregnancy").filter(pk=pk)
    found = birth.first()
    if found is None:
        raise _denied(user, "pregnancies.birth", pk)
    return found


def get_outcome_for_user(user: User, pk: int) -> Outcome:
    found = (
        Outcome.objects.filter(pregnancy__in=pregnancies_for_user(user), pk=pk)
        .select_related("pregnancy__woman")
        .first()
    )
    if found is None:
        raise _denied(user, "pregnancies.outcome", pk)
    return found


def get_infant_for_user(user: User, pk: int) -> Child:
    """A child whose mother lives in the user's area (for an infant death report)."""
    if not can_follow_pregnancies(user):
        raise Http404
    child = (
        Child.objects.filter(
            pk=pk, mother__village__code__startswith=user.scope.scope_prefix
        )
        .select_related("mother__village")
        .first()
    )
    if child is None:
        raise _denied(user, "people.child", pk)
    record(user=user, action=AuditAction.READ, obj=child)
    return child
