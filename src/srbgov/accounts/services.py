"""Administration of accounts: every change an administrator makes to a user.

Rules (docs/administration.md): an administrator manages only users of their own area's
subtree; grants a role only at an area of that role's level inside the subtree (so never
a role above their own level); never changes their own role, area or state; a grant or
change of a sensitive role (`SENSITIVE_ROLES`) waits for a second administrator. Users
are deactivated, never deleted. Every change is in the audit log with before/after.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.models import (
    ROLE_LEVEL,
    SENSITIVE_ROLES,
    Role,
    RoleRequest,
    RoleRequestStatus,
    User,
)
from srbgov.accounts.roles import can_manage_users
from srbgov.areas import codes
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

# Higher in the tree is a smaller rank: a county role is "above" a township role.
LEVEL_RANK = {AreaLevel.COUNTY: 0, AreaLevel.TOWNSHIP: 1, AreaLevel.VILLAGE: 2}
# No ambiguous characters (0/O, 1/l/I): the administrator reads it out or writes it.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 14
# An administrator's lock holds until an administrator unlocks it.
ADMIN_LOCK = timedelta(days=365 * 100)


def snapshot(user: User) -> dict[str, Any]:
    """What the audit log keeps of an account, before and after a change."""
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "phone": user.phone,
        "role": user.role,
        "area": user.area.code if user.area_id and user.area else "",
        "is_active": user.is_active,
        "locked": user.is_locked,
        "must_change_password": user.must_change_password,
    }


def _audit_user(
    *, by: User, user: User, change: str, before: dict[str, Any] | None
) -> None:
    record(
        user=by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=user,
        object_repr=f"{user.username} {user.get_full_name()}".strip(),
        detail={"change": change, "before": before, "after": snapshot(user)},
    )


def _require_admin(by: User) -> None:
    if not can_manage_users(by) or not by.is_active:
        raise ValidationError(_("只有系统管理员可以管理用户。"))


def _require_managed(*, by: User, user: User) -> None:
    """The subject is in the administrator's subtree and is not the administrator."""
    _require_admin(by)
    if user.pk == by.pk:
        raise ValidationError(_("不能修改自己的账号：请由另一名管理员办理。"))
    if user.area is None or not by.scope.contains(user.area):
        raise ValidationError(_("只能管理本辖区的用户。"))


def check_grant(*, by: User, role: str, area: Area) -> None:
    """May `by` grant `role` at `area`? ValidationError naming the field if not."""
    _require_admin(by)
    if role not in Role.values:
        raise ValidationError({"role": [_("请选择角色。")]})
    level = ROLE_LEVEL[role]
    if LEVEL_RANK[AreaLevel(level)] < LEVEL_RANK[AreaLevel(by.scope.level)]:
        raise ValidationError({"role": [_("不能授予高于本人级别的角色。")]})
    if not by.scope.contains(area):
        raise ValidationError({"area": [_("只能在本辖区内授予角色。")]})
    if area.level != level:
        raise ValidationError(
            {
                "area": [
                    _("“%(role)s”只能设在%(level)s一级的区划。")
                    % {"role": Role(role).label, "level": AreaLevel(level).label}
                ]
            }
        )


def generate_password() -> str:
    while True:
        password = "".join(
            secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH)
        )
        if not password.isdigit():
            return password


def _open_request(
    *, by: User, user: User, role: str, area: Area, reason: str
) -> RoleRequest:
    if RoleRequest.objects.filter(user=user, status=RoleRequestStatus.PENDING).exists():
        raise ValidationError(_("该用户已有一项待审批的角色变更申请，请先审批或驳回。"))
    request = RoleRequest(
        user=user,
        role=role,
        area=area,
        before_role=user.role,
        before_area=user.area if user.role else None,
        requested_by=by,
        reason=reason.strip()[:200],
    )
    request.full_clean()
    request.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=request,
        detail={
            "change": "role_request",
            "subject": user.username,
            "before": {
                "role": request.before_role,
                "area": request.before_area.code if request.before_area else "",
            },
            "after": {"role": role, "area": area.code},
            "reason": request.reason,
        },
    )
    return request


@transaction.atomic
def create_user(
    *,
    by: User,
    username: str,
    last_name: str,
    first_name: str,
    phone: str,
    role: str,
    area: Area,
    reason: str = "",
) -> tuple[User, str, RoleRequest | None]:
    """Create an account with a one-time password that must be changed at first login.

    A sensitive role is not given at once: the account is created without a role (it
    sees nothing, 404 everywhere) and a request waits for a second administrator."""
    check_grant(by=by, role=role, area=area)
    user = User(
        username=username.strip(),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        phone=phone.strip(),
        area=area,
        role="" if role in SENSITIVE_ROLES else role,
        must_change_password=True,
    )
    password = generate_password()
    user.set_password(password)
    user.full_clean()
    user.save()
    _audit_user(by=by, user=user, change="create", before=None)
    pending = None
    if role in SENSITIVE_ROLES:
        pending = _open_request(by=by, user=user, role=role, area=area, reason=reason)
    return user, password, pending


@transaction.atomic
def change_role(
    *, by: User, user: User, role: str, area: Area, reason: str = ""
) -> RoleRequest | None:
    """Change an account's role and area. To a sensitive role: a pending request (the
    account keeps its current role meanwhile). Otherwise at once: taking a sensitive
    role away never waits."""
    _require_managed(by=by, user=user)
    check_grant(by=by, role=role, area=area)
    if role == user.role and area.pk == user.area_id:
        raise ValidationError(_("角色和区划没有变化。"))
    if role in SENSITIVE_ROLES:
        return _open_request(by=by, user=user, role=role, area=area, reason=reason)
    before = snapshot(user)
    user.role, user.area = role, area
    user.full_clean()
    user.save(update_fields=["role", "area"])
    _audit_user(by=by, user=user, change="role", before=before)
    return None


def _decide(*, by: User, pk: int) -> RoleRequest:
    _require_admin(by)
    request = (
        RoleRequest.objects.select_for_update()
        .select_related("user", "area", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if request is None or request.status != RoleRequestStatus.PENDING:
        raise ValidationError(_("该申请已处理。"))
    if by.pk in (request.requested_by_id, request.user_id):
        raise ValidationError(
            _("角色变更须由另一名管理员审批：申请人和被授权人不能审批。")
        )
    return request


def _close(
    *, by: User, request: RoleRequest, status: str, change: str, detail: dict[str, Any]
) -> None:
    """Write the decision on the request and to the audit log, with who asked for
    whom: the auditor reads request, decision and values in one entry."""
    request.status = status
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=request,
        detail={
            "change": change,
            "subject": request.user.username,
            "requested_by": request.requested_by.username,
            **detail,
        },
    )


@transaction.atomic
def approve_request(*, by: User, request: RoleRequest) -> User:
    """The second administrator's approval: only now does the account get the role."""
    request = _decide(by=by, pk=request.pk)
    user = User.objects.select_for_update().get(pk=request.user_id)
    _require_managed(by=by, user=user)
    check_grant(by=by, role=request.role, area=request.area)
    before = snapshot(user)
    user.role, user.area = request.role, request.area
    user.full_clean()
    user.save(update_fields=["role", "area"])
    _close(
        by=by,
        request=request,
        status=RoleRequestStatus.APPROVED,
        change="role_request_approved",
        detail={
            "before": {"role": before["role"], "area": before["area"]},
            "after": {"role": user.role, "area": request.area.code},
        },
    )
    _audit_user(by=by, user=user, change="role", before=before)
    return user


@transaction.atomic
def reject_request(*, by: User, request: RoleRequest) -> None:
    request = _decide(by=by, pk=request.pk)
    _require_managed(by=by, user=request.user)
    _close(
        by=by,
        request=request,
        status=RoleRequestStatus.REJECTED,
        change="role_request_rejected",
        detail={"after": {"role": request.role, "area": request.area.code}},
    )


@transaction.atomic
def edit_profile(
    *, by: User, user: User, last_name: str, first_name: str, phone: str
) -> None:
    _require_managed(by=by, user=user)
    before = snapshot(user)
    user.last_name, user.first_name = last_name.strip(), first_name.strip()
    user.phone = phone.strip()
    user.full_clean()
    user.save(update_fields=["last_name", "first_name", "phone"])
    _audit_user(by=by, user=user, change="profile", before=before)


@transaction.atomic
def reset_password(*, by: User, user: User) -> str:
    """A new one-time password, shown once to the administrator; the user must choose
    their own at next login. Other sessions of the user end (Django ties a session to
    the password hash). The password itself is never logged."""
    _require_managed(by=by, user=user)
    before = snapshot(user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _audit_user(by=by, user=user, change="password_reset", before=before)
    return password


@transaction.atomic
def lock(*, by: User, user: User) -> None:
    _require_managed(by=by, user=user)
    before = snapshot(user)
    user.locked_until = timezone.now() + ADMIN_LOCK
    user.save(update_fields=["locked_until"])
    _audit_user(by=by, user=user, change="lock", before=before)


@transaction.atomic
def unlock(*, by: User, user: User) -> None:
    _require_managed(by=by, user=user)
    before = snapshot(user)
    user.locked_until, user.failed_login_count = None, 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    _audit_user(by=by, user=user, change="unlock", before=before)


@transaction.atomic
def set_active(*, by: User, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account; accounts are never deleted, because the
    audit log and the records refer to them."""
    _require_managed(by=by, user=user)
    if user.is_active == active:
        return
    before = snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit_user(
        by=by, user=user, change="activate" if active else "deactivate", before=before
    )


def _county_for_shell(*, code: str, name: str, first: bool) -> tuple[Area, bool]:
    """The county an administrator made from the shell sits at; a new installation
    (`first`) makes it when missing. Returns the county and whether it was made."""
    code = code.strip()
    try:
        level = codes.level_of(code)
    except codes.AreaCodeError as problem:
        raise ValidationError(str(problem)) from None
    county = Area.objects.filter(code=code).first()
    if level != "county":
        if first:
            raise ValidationError(_("请填写县级区划代码（12位，后6位为0）。"))
        raise ValidationError(_("没有这个县的区划代码。"))
    if county is not None:
        return county, False
    if not first:
        raise ValidationError(_("没有这个县的区划代码。"))
    county = Area(code=code, name=name.strip(), level=AreaLevel.COUNTY)
    county.full_clean()
    county.save()
    return county, True


@transaction.atomic
def create_administrator(
    *,
    county_code: str,
    username: str,
    password: str | None = None,
    county_name: str = "",
    first: bool = False,
) -> tuple[User, str]:
    """A county administrator made from the server's shell, the one way an account
    comes to exist outside the administration (docs/administration.md, docs/deploy.md
    step 11). Both commands call it:

    - `create_first_admin` (`first=True`): a new installation; refused once any
      administrator exists, so it cannot take over a running system; the county is
      made if missing; the password given is checked by the password validators.
    - `create_administrator`: a further administrator at an existing county, with a
      one-time password (returned) to change at first login.

    Every later account, and every further grant of the role, goes through the
    administration and its second approval."""
    if first and User.objects.filter(role=Role.ADMIN).exists():
        raise ValidationError(_("已有系统管理员：其他账号请由管理员在系统中创建。"))
    county, made = _county_for_shell(code=county_code, name=county_name, first=first)
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("该用户名已被使用。"))
    given = password is not None
    password = password if password is not None else generate_password()
    user = User(
        username=username, role=Role.ADMIN, area=county, must_change_password=not given
    )
    if given:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    # No account ran the command: a further administrator is logged as made by
    # manage.py; the first one (nobody else exists) by itself, county included.
    actor = user if first else None
    if made:
        record(
            user=actor,
            username="manage.py",
            action=AuditAction.CREATE,
            obj=county,
            detail={"code": county.code},
        )
    record(
        user=actor,
        username="manage.py",
        action=AuditAction.CREATE,
        obj=user,
        detail={
            "change": "create_administrator",
            "before": None,
            "after": snapshot(user),
        },
    )
    return user, password
