"""The one way publicity views reach activities and plans (docs/access.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from srbgov.accounts.models import User
from srbgov.core.http import require
from srbgov.core.scope import get_for_user
from srbgov.publicity import roles
from srbgov.publicity.models import Activity, ActivityPhoto, PublicityPlan


def activities_for_user(user: User) -> QuerySet[Activity]:
    require(roles.can_record_publicity, user)
    return Activity.objects.visible_to(user).select_related("area__parent", "plan")


def get_activity_for_user(user: User, pk: object) -> Activity:
    return get_for_user(activities_for_user(user), user, pk)


def get_photo_for_user(user: User, pk: object) -> ActivityPhoto:
    require(roles.can_record_publicity, user)
    photos = ActivityPhoto.objects.visible_to(user).select_related("file")
    return get_for_user(photos, user, pk)


def plans_for_user(user: User) -> QuerySet[PublicityPlan]:
    require(roles.can_record_publicity, user)
    return PublicityPlan.objects.visible_to(user).select_related("area")
