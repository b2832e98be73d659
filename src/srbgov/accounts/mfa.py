"""The second factor: TOTP (an authenticator app) with single-use recovery codes.

Required for the roles in `MFA_REQUIRED_ROLES`, available to everyone
(docs/administration.md). django-otp keeps the devices: a `TOTPDevice` per user, and a
`StaticDevice` whose tokens are the recovery codes. The QR code is drawn here with
segno as inline SVG: no image service, no CDN.
"""

from __future__ import annotations

import unicodedata
from base64 import b32encode
from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts.models import MFA_REQUIRED_ROLES, User
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "手机令牌"
RECOVERY_NAME = "恢复码"


def is_required(user: Any) -> bool:
    return getattr(user, "role", "") in MFA_REQUIRED_ROLES


def has_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app accepts when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5))


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device; the confirmed one (if any) stays until the new
    one is confirmed, so a half-done enrolment locks nobody out."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def _normalise(token: str) -> str:
    # Full-width digits from a Chinese input method, spaces and dashes from copying.
    token = unicodedata.normalize("NFKC", token)
    return "".join(ch for ch in token if ch.isascii() and ch.isalnum()).lower()


@transaction.atomic
def confirm_enrolment(*, user: User, device_id: int, token: str) -> list[str]:
    """Confirm the device with a code from the app; replaces any earlier device and
    issues fresh recovery codes, returned once (only django-otp's rows keep them)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device_id, user=user, confirmed=False)
        .first()
    )
    if device is None:
        raise ValidationError(_("绑定已过期，请重新开始。"))
    code = _normalise(token)
    if not (code.isdigit() and device.verify_token(code)):
        raise ValidationError({"token": [_("验证码不正确，请核对手机时间后重试。")]})
    had_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record(
        user=user,
        action=AuditAction.UPDATE,
        obj=user,
        detail={
            "change": "mfa_enrolled",
            "before": {"totp": had_device},
            "after": {"totp": True, "recovery_codes": len(codes)},
        },
    )
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def verify(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (a TOTP code or an unused recovery code), or
    None. django-otp throttles repeated failures per device and refuses a TOTP code
    already used."""
    code = _normalise(token)
    if not code:
        return None
    if code.isdigit():
        for device in TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed=True
        ):
            if device.verify_token(code):
                return device
        return None
    for static in StaticDevice.objects.select_for_update().filter(user=user):
        if static.verify_token(code):
            left = static.token_set.count()
            record(
                user=user,
                action=AuditAction.UPDATE,
                obj=user,
                detail={
                    "change": "recovery_code_used",
                    "after": {"recovery_codes_left": left},
                },
            )
            return static
    return None
