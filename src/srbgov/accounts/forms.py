from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.accounts.backends import AccountLocked


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误。连续多次错误后账号将被临时锁定。",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except AccountLocked as locked:
            until = timezone.localtime(locked.until)
            raise forms.ValidationError(
                _(
                    "账号因多次登录失败已被锁定，请于 %(time)s 后再试，或联系管理员解锁。"
                )
                % {"time": until.strftime("%H:%M")},
                code="locked",
            ) from None
