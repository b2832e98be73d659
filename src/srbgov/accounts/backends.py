from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


def count_failure(account: User) -> None:
    """One more failed login (a wrong password or a wrong second-factor code); after
    LOGIN_FAILURE_LIMIT in a row the account locks for LOGIN_LOCKOUT_MINUTES."""
    User.objects.filter(pk=account.pk).update(
        failed_login_count=F("failed_login_count") + 1
    )
    account.refresh_from_db(fields=["failed_login_count"])
    detail: dict[str, Any] = {"failed": account.failed_login_count}
    if account.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
        until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=account.pk).update(
            locked_until=until, failed_login_count=0
        )
        account.locked_until, account.failed_login_count = until, 0
        detail["locked_until"] = until.isoformat()
    record(user=account, action=AuditAction.LOGIN_FAILED, obj=account, detail=detail)


def is_locked(account: User) -> bool:
    return account.is_locked


class LockoutModelBackend(ModelBackend):
    """Counts failed logins; after LOGIN_FAILURE_LIMIT in a row the account is locked for
    LOGIN_LOCKOUT_MINUTES, and even the right password is refused until then.

    A locked account answers exactly like an unknown name or a wrong password (the login
    form has one message for all three), and costs the same password hashing, so that
    neither the page nor its timing tells which user names exist."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        account = User.objects.filter(username=username).first()
        if account is not None and account.is_locked:
            # The hashing ModelBackend runs for an unknown name, run here too.
            User().set_password(password)
            return None
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if account is None:
            record(user=None, username=username, action=AuditAction.LOGIN_FAILED)
            return None
        if user is None:
            count_failure(account)
            return None
        User.objects.filter(pk=account.pk).update(
            failed_login_count=0, locked_until=None
        )
        return user
