"""Accounts as the administrator reaches them: the subtree of their area, 404 outside
(the scope primitive of docs/access.md: `User.area_path`, `RoleRequest.area_path`)."""

from __future__ import annotations

from django.db.models import QuerySet

from srbgov.accounts.models import RoleRequest, User
from srbgov.accounts.roles import can_manage_users
from srbgov.areas.models import Area
from srbgov.core.http import require
from srbgov.core.scope import area_filter, get_for_user


def users_for_admin(by: User) -> QuerySet[User]:
    require(can_manage_users, by)
    return User.objects.filter(area_filter(User, by.scope))


def get_user_for_admin(by: User, pk: object) -> User:
    # An account is no personal record: its changes are audited by the services,
    # an opening is not (a denied attempt still is).
    return get_for_user(
        users_for_admin(by).select_related("area__parent"), by, pk, log_read=False
    )


def role_requests_for_admin(by: User) -> QuerySet[RoleRequest]:
    """Requests about an account of the administrator's subtree for an area inside it."""
    require(can_manage_users, by)
    return RoleRequest.objects.filter(area_filter(RoleRequest, by.scope)).filter(
        area__in=Area.objects.filter(area_filter(Area, by.scope))
    )


def get_role_request_for_admin(by: User, pk: object) -> RoleRequest:
    return get_for_user(
        role_requests_for_admin(by).select_related(
            "user", "area", "requested_by", "before_area"
        ),
        by,
        pk,
        log_read=False,
    )
