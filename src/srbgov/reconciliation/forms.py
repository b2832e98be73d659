from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    confirm = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("1", _("确认为同一例")), ("0", _("不是同一例"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("月份"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
