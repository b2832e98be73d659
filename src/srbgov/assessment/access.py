"""Who sees and does what in the assessment (docs/access.md, docs/assessment.md).

Scorecards and rectification tasks: the village worker, township officer and county
officer of the area (their subtree). Indicators: defined by the county officer. Vetoes
and reviews: the township and county officers. Everything else answers 404.
"""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area, AreaQuerySet
from srbgov.assessment.models import (
    Indicator,
    Rectification,
    RectificationQuerySet,
    VetoEvent,
)
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user

ASSESSMENT_ROLES = frozenset(
    {Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)
REVIEWER_ROLES = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_see_assessment(user: Any) -> bool:
    return _role(user) in ASSESSMENT_ROLES


def can_review_assessment(user: Any) -> bool:
    return _role(user) in REVIEWER_ROLES


def can_define_indicators(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def areas_for_user(user: User) -> AreaQuerySet:
    require(can_see_assessment, user)
    return Area.objects.visible_to(user)


def get_area_for_user(user: User, pk: object) -> Area:
    return get_for_user(areas_for_user(user), user, pk, log_read=False)


def indicators_for_user(user: User) -> ScopedQuerySet[Indicator]:
    require(can_define_indicators, user)
    return Indicator.objects.visible_to(user)


def get_indicator_for_user(user: User, pk: object) -> Indicator:
    return get_for_user(indicators_for_user(user), user, pk, log_read=False)


def vetoes_for_user(user: User) -> ScopedQuerySet[VetoEvent]:
    require(can_see_assessment, user)
    return VetoEvent.objects.visible_to(user).select_related("village")


def rectifications_for_user(user: User) -> RectificationQuerySet:
    require(can_see_assessment, user)
    return Rectification.objects.visible_to(user).select_related("area")


def get_rectification_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> Rectification:
    return get_for_user(rectifications_for_user(user), user, pk, log_read=log_read)


def may_explain(user: User, task: Rectification) -> bool:
    """The unit itself explains: the user whose area is the task's unit."""
    return user.area_id == task.area_id


def may_review(user: User, task: Rectification) -> bool:
    """The level above reviews: an officer whose area contains the unit, not the unit."""
    return can_review_assessment(user) and user.area_id != task.area_id
