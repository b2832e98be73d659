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


class AccountLocked(Exception):
    def __init__(self, until: Any) -> None:
        super().__init__("locked")
        self.until = until


class LockoutModelBackend(ModelBackend):
    """Counts failed logins; after LOGIN_FAILURE_LIMIT in a row the account is locked for
    LOGIN_LOCKOUT_MINUTES, and even the right password is refused until then."""

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
        now = timezone.now()
        if account is not None and account.locked_until and account.locked_until > now:
            raise AccountLocked(account.locked_until)
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if account is None:
            record(user=None, username=username, action=AuditAction.LOGIN_FAILED)
            return None
        if user is None:
            User.objects.filter(pk=account.pk).update(
                failed_login_count=F("failed_login_count") + 1
            )
            account.refresh_from_db(fields=["failed_login_count"])
            detail: dict[str, Any] = {"failed": account.failed_login_count}
            if account.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
                until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                User.objects.filter(pk=account.pk).update(
                    locked_until=until, failed_login_count=0
                )
                detail["locked_until"] = until.isoformat()
            record(
                user=account,
                action=AuditAction.LOGIN_FAILED,
                obj=account,
                detail=detail,
            )
            return None
        User.objects.filter(pk=account.pk).update(
            failed_login_count=0, locked_until=None
        )
        return user
