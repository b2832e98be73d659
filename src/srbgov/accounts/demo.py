"""Second factor for the demo county's logins (docs/administration.md).

The demo accounts whose role requires a second factor get a TOTP device whose secret is
derived from the user name, the same on every load, and printed by `load_demo_county`:
add it to any authenticator app, or print the current code with
`manage.py demo_totp USERNAME`. Only demo-derived devices are touched or read.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts import mfa
from srbgov.accounts.models import User

DEMO_DEVICE_NAME = "示范令牌"


@dataclass(frozen=True)
class DemoSecret:
    username: str
    secret: str


def demo_key(username: str) -> str:
    """20 bytes, hex, as django-otp stores keys; public by design (it is the demo)."""
    return hmac.new(b"srbgov-demo-totp", username.encode(), hashlib.sha1).hexdigest()


@transaction.atomic
def enrol_demo_users(usernames: list[str]) -> list[DemoSecret]:
    """Give each demo user whose role requires a second factor its demo device (once)."""
    secrets: list[DemoSecret] = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not mfa.is_required(user):
            continue
        device = TOTPDevice.objects.filter(
            user=user, key=demo_key(user.username)
        ).first()
        if device is None:
            if mfa.has_device(user):
                continue  # enrolled with a real phone since: leave it alone
            device = TOTPDevice.objects.create(
                user=user,
                name=DEMO_DEVICE_NAME,
                key=demo_key(user.username),
                confirmed=True,
            )
        secrets.append(DemoSecret(user.username, mfa.secret_of(device)))
    return secrets


def current_code(username: str) -> str | None:
    """The demo device's code now, or None if the user has no demo device."""
    device = TOTPDevice.objects.filter(
        user__username=username, key=demo_key(username), confirmed=True
    ).first()
    if device is None:
        return None
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
