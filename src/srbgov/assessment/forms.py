"""HTML input for the assessment pages; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.assessment.indicators import kind_choices
from srbgov.assessment.models import Level, RuleChoice, VetoKind
from srbgov.core.forms import DATE_INPUT

MONTHS = [(0, _("全年"))] + [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]


class PeriodForm(forms.Form):
    """The scorecard's period and level; never its area (the area comes from the scoped
    getter, docs/access.md)."""

    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, required=False
    )
    month = forms.TypedChoiceField(
        label=_("月份"), choices=MONTHS, coerce=int, required=False, empty_value=None
    )
    level = forms.ChoiceField(
        label=_("考核对象"), choices=Level.choices, required=False
    )

    def period_values(self, *, default_level: str) -> tuple[int, int, str]:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        return (
            int(year),
            int(data.get("month") or 0),
            data.get("level") or default_level,
        )


class IndicatorForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("考核对象"), choices=Level.choices)
    kind = forms.ChoiceField(label=_("计算方法"), choices=())
    name = forms.CharField(label=_("指标名称"), max_length=80)
    target = forms.DecimalField(
        label=_("目标值"),
        max_digits=8,
        decimal_places=2,
        help_text=_(
            "比率填百分数（如85）；次数填每个单位每年的次数；性别比填规划指标（如110）。"
        ),
    )
    weight = forms.IntegerField(label=_("分值"), min_value=1, max_value=100)
    rule = forms.ChoiceField(label=_("计分规则"), choices=RuleChoice.choices)
    position = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]


class VetoForm(forms.Form):
    village = forms.IntegerField(widget=forms.HiddenInput, required=False)
    village_code = forms.CharField(label=_("村（区划代码）"), max_length=12)
    kind = forms.ChoiceField(label=_("事项"), choices=VetoKind.choices)
    confirmed_on = forms.DateField(label=_("查实日期"), widget=DATE_INPUT)
    case_number = forms.CharField(label=_("案件编号"), max_length=20, required=False)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea)


class OpenRectificationsForm(forms.Form):
    deadline = forms.DateField(label=_("整改期限"), widget=DATE_INPUT)


class ExplainForm(forms.Form):
    explanation = forms.CharField(label=_("原因说明"), widget=forms.Textarea)
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("1", _("通过")), ("0", _("退回修改"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea, required=False
    )
