"""Accounts as the administrator reaches them: the subtree of their area, 404 outside."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from srbgov.accounts.models import RoleRequest, User
from srbgov.accounts.roles import can_manage_users
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


def users_for_admin(by: User) -> QuerySet[User]:
    if not can_manage_users(by):
        raise Http404
    return User.objects.filter(area__code__startswith=by.scope.scope_prefix)


def get_user_for_admin(by: User, pk: int) -> User:
    user = users_for_admin(by).select_related("area__parent").filter(pk=pk).first()
    if user is None:
        record(
            user=by,
            action=AuditAction.DENIED,
            object_type="accounts.user",
            object_id=str(pk),
        )
        raise Http404
    return user


def role_requests_for_admin(by: User) -> QuerySet[RoleRequest]:
    if not can_manage_users(by):
        raise Http404
    return RoleRequest.objects.filter(
        user__area__code__startswith=by.scope.scope_prefix,
        area__code__startswith=by.scope.scope_prefix,
    )


def get_role_request_for_admin(by: User, pk: int) -> RoleRequest:
    request = (
        role_requests_for_admin(by)
        .select_related("user", "area", "requested_by", "before_area")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        record(
            user=by,
            action=AuditAction.DENIED,
            object_type="accounts.rolerequest",
            object_id=str(pk),
        )
        raise Http404
    return request
