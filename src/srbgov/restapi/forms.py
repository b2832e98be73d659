from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.providers.models import Facility


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        help_text=_("用途或系统名称，例如“县医院HIS”。"),
    )


class ClientForm(TokenForm):
    facility = forms.ModelChoiceField(
        label=_("医疗机构"), queryset=Facility.objects.none()
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class TokenFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", "—"), ("live", _("有效")), ("revoked", _("已撤销"))],
    )
