from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area

# One answer for a wrong password, an unknown name and a locked account: a different
# answer would tell which user names exist (docs/administration.md).
LOGIN_FAILED = _(
    "用户名或密码错误，或账号因多次登录失败已被锁定。请稍后再试，或联系管理员解锁。"
)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": LOGIN_FAILED,
        "inactive": LOGIN_FAILED,
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_("手机验证器中的6位数字；手机丢失时可填一个恢复码。"),
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False)
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=[("", "—"), *Role.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", "—"),
            ("active", _("正常")),
            ("locked", _("已锁定")),
            ("inactive", _("已停用")),
            ("pending", _("待审批")),
        ],
    )


class _AreaChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.full_name}"


def _area_field(scope: Area) -> _AreaChoice:
    return _AreaChoice(
        label=_("区划"),
        queryset=Area.objects.in_area(scope).select_related("parent__parent"),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    reason = forms.CharField(
        label=_("理由"),
        max_length=200,
        required=False,
        help_text=_(
            "授予举报受理、审计员、县卫健局、系统管理员角色须另一名管理员审批。"
        ),
    )

    def __init__(self, *args: Any, scope: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = _area_field(scope)
        self.order_fields(["role", "area", "reason"])


class ProfileForm(forms.Form):
    last_name = forms.CharField(label=_("姓"), max_length=150)
    first_name = forms.CharField(label=_("名"), max_length=150, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class UserCreateForm(ProfileForm, RoleForm):
    username = forms.CharField(label=_("用户名"), max_length=150)

    def __init__(self, *args: Any, scope: Area, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, **kwargs)
        self.order_fields(
            ["username", "last_name", "first_name", "phone", "role", "area", "reason"]
        )

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username
