"""The one way views and exports reach follow-up records: declarations over the scope
primitive (srbgov.core.scope, docs/access.md); 404 outside the area, every opened
record logged."""

from __future__ import annotations

from srbgov.accounts.models import User
from srbgov.accounts.roles import can_follow_pregnancies
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user
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


def pregnancies_for_user(user: User) -> PregnancyQuerySet:
    """Pregnancies followed in the user's area; no such list for other roles."""
    require(can_follow_pregnancies, user)
    return Pregnancy.objects.visible_to(user)


def births_for_user(user: User) -> BirthQuerySet:
    require(can_follow_pregnancies, user)
    return Birth.objects.visible_to(user)


def infant_deaths_for_user(user: User) -> InfantDeathQuerySet:
    require(can_follow_pregnancies, user)
    return InfantDeath.objects.visible_to(user)


def children_for_user(user: User) -> ScopedQuerySet[Child]:
    """Children whose mother lives in the user's area (infant death reports)."""
    require(can_follow_pregnancies, user)
    return Child.objects.visible_to(user)


def get_pregnancy_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> Pregnancy:
    pregnancies = pregnancies_for_user(user).select_related(
        "woman", "village__parent", "handed_over_from__village"
    )
    return get_for_user(pregnancies, user, pk, log_read=log_read)


def get_birth_for_user(user: User, pk: object, *, log_read: bool = True) -> Birth:
    births = births_for_user(user).select_related("mother", "pregnancy")
    return get_for_user(births, user, pk, log_read=log_read)


def get_outcome_for_user(user: User, pk: object, *, log_read: bool = True) -> Outcome:
    require(can_follow_pregnancies, user)
    outcomes = Outcome.objects.visible_to(user).select_related("pregnancy__woman")
    return get_for_user(outcomes, user, pk, log_read=log_read)


def get_infant_for_user(user: User, pk: object) -> Child:
    """A child whose mother lives in the user's area (for an infant death report)."""
    infants = children_for_user(user).select_related("mother__village")
    return get_for_user(infants, user, pk)
