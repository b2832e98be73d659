"""The one way publicity views reach activities and plans (docs/access.md)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from srbgov.accounts.models import User
from srbgov.core.http import require
from srbgov.core.scope import get_for_user
from srbgov.publicity import roles
from srbgov.publicity.models import (
    Activity,
    ActivityPhoto,
    Bulletin,
    BulletinStatus,
    PublicityPlan,
)


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


def bulletins_for_user(user: User) -> QuerySet[Bulletin]:
    """The office's own bulletins (drafts too), for township and county officers."""
    require(roles.can_plan_publicity, user)
    return Bulletin.objects.visible_to(user).select_related("area")


def get_bulletin_for_user(user: User, pk: object, *, log_read: bool = True) -> Bulletin:
    return get_for_user(bulletins_for_user(user), user, pk, log_read=log_read)


def published_for_user(user: User) -> QuerySet[Bulletin]:
    """What a user reads: the bulletins of their own area and below, and those
    published by the township and county above them (published to their users)."""
    require(roles.can_record_publicity, user)
    above = [a.pk for a in user.scope.ancestors()]
    mine = Bulletin.objects.visible_to(user).values("pk")
    # Area ids of the user's own ancestors only: nothing of another area is reachable.
    return Bulletin.objects.filter(
        Q(pk__in=mine) | Q(area__in=above), status=BulletinStatus.PUBLISHED
    ).select_related("area")
