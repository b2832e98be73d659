"""Issuing, checking and revoking API tokens (docs/api.md, "Tokens").

Every issue and revocation is audited; the token itself is returned once, to be shown
once, and never stored: only its SHA-256 (`key_hash`) and its first characters
(`prefix`) are.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.providers.models import Facility
from srbgov.providers.services import assign_facility_clerk
from srbgov.restapi.models import ApiToken

# "srb_" marks the string as an srbgov token (secret scanners, log filters); then
# 32 random bytes in URL-safe base64.
TOKEN_PREFIX = "srb_"  # noqa: S105 (a marker, not a secret)
SHOWN_PREFIX = 12
# last_used_at is written at most this often: not one UPDATE per request.
USE_RESOLUTION = timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _new_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("请填写名称。")]})
    if len(name) > 60:
        raise ValidationError({"name": [_("名称不能超过60个字。")]})
    return name


def _save(*, by: User, user: User, facility: Facility | None, name: str) -> str:
    key = _new_key()
    token = ApiToken(
        user=user,
        facility=facility,
        name=name,
        prefix=key[:SHOWN_PREFIX],
        key_hash=hash_key(key),
        created_by=by,
    )
    token.full_clean()
    token.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=token,
        detail={"api_token": "issued", "facility": facility.pk if facility else None},
    )
    return key


@transaction.atomic
def issue_facility_client(
    *, by: User, facility: Facility, name: str
) -> tuple[ApiToken, str]:
    """A token for a facility's information system (医院/卫生院信息系统).

    Issued by the facility's keeper (`roles.can_keep_facilities`, the facility in their
    area: the caller opened it through `providers.access`). The client acts as a
    service account with the facility-clerk role linked to this facility, so it pushes
    and reads exactly what a facility clerk may (docs/design.md §3); the account has
    no usable password and cannot log in to the pages."""
    if not roles.can_keep_facilities(by):
        raise ValidationError(_("只有机构管理人员可以签发机构接口令牌。"))
    if facility.is_pharmacy:
        raise ValidationError({"facility": [_("药店没有接口令牌。")]})
    name = _clean_name(name)
    account = User(
        username=f"api-{facility.pk}-{secrets.token_hex(4)}",
        first_name=name[:150],
        role=Role.FACILITY_CLERK,
        area=facility.area,
        password=make_password(None),
    )
    account.full_clean()
    account.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=account,
        detail={"api_client_of_facility": facility.pk},
    )
    assign_facility_clerk(by=by, clerk=account, facility=facility)
    key = _save(by=by, user=account, facility=facility, name=name)
    return ApiToken.objects.get(key_hash=hash_key(key)), key


@transaction.atomic
def issue_personal_token(*, by: User, name: str) -> tuple[ApiToken, str]:
    """A token that acts as the user themself (township and county reads)."""
    if not roles.can_issue_api_tokens(by):
        raise ValidationError(_("您的角色不能签发接口令牌。"))
    key = _save(by=by, user=by, facility=None, name=_clean_name(name))
    return ApiToken.objects.get(key_hash=hash_key(key)), key


@transaction.atomic
def revoke_token(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with it gets 401. A facility client's service
    account is deactivated with it (it has no other use)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已撤销。"))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        user=by, action=AuditAction.UPDATE, obj=token, detail={"api_token": "revoked"}
    )
    if token.facility_id is not None and token.user_id != by.pk:
        account = token.user
        if not ApiToken.objects.filter(user=account).live().exists():
            account.is_active = False
            account.save(update_fields=["is_active"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The live token whose key this is, with its account (None if unknown or
    revoked); marks it used."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.filter(key_hash=hash_key(key))
        .live()
        .select_related("user", "user__area", "facility")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
