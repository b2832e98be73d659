"""HTML input for girl care; the views pass cleaned_data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.care.models import (
    AgeOf,
    AmountPeriod,
    ApplicationStatus,
    BenefitProgram,
    HouseholdKind,
    Residence,
)
from srbgov.core.forms import DATE_INPUT
from srbgov.people.fields import AsciiIntegerField, PersonNameField

YES_NO = [("yes", _("是")), ("no", _("否"))]


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("母亲姓名"), required=False)
    kind = forms.ChoiceField(
        label=_("家庭类别"),
        required=False,
        choices=[
            ("", _("全部符合的")),
            *HouseholdKind.choices,
            ("none", _("已不符合")),
        ],
    )


class ConfirmHouseholdForm(forms.Form):
    residence = forms.ChoiceField(label=_("户籍性质"), choices=Residence.choices)
    lives_in_village = forms.TypedChoiceField(
        label=_("在本村居住"), choices=YES_NO, coerce=lambda v: v == "yes"
    )
    mother_birth_on = forms.DateField(label=_("母亲出生日期"), widget=DATE_INPUT)
    father_birth_on = forms.DateField(
        label=_("父亲出生日期"), widget=DATE_INPUT, required=False
    )
    only_child_disabled = forms.BooleanField(
        label=_("独生子女经鉴定为三级以上残疾"), required=False
    )


class ApplyForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("项目"), queryset=BenefitProgram.objects.none()
    )
    payee_name = PersonNameField(label=_("收款人"), max_length=40)
    bank_name = forms.CharField(label=_("开户银行"), max_length=60)
    account = forms.CharField(
        label=_("银行账号"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("意见"), choices=[("approve", _("通过")), ("reject", _("不通过"))]
    )
    note = forms.CharField(label=_("意见说明"), required=False, max_length=200)


class NoticeForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村"), queryset=Area.objects.none())
    program = forms.ModelChoiceField(
        label=_("项目"), queryset=BenefitProgram.objects.none()
    )
    posted_on = forms.DateField(
        label=_("张贴日期"), widget=DATE_INPUT, initial=timezone.localdate
    )
    days = AsciiIntegerField(label=_("公示天数"), min_value=1, max_value=60, initial=7)

    def __init__(self, *args: Any, villages: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class ProgramForm(forms.ModelForm):  # type: ignore[type-arg]
    kinds = forms.MultipleChoiceField(
        label=_("适用家庭类别"),
        choices=HouseholdKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    age_of = forms.ChoiceField(label=_("年龄按"), choices=AgeOf.choices)
    period = forms.ChoiceField(label=_("发放周期"), choices=AmountPeriod.choices)

    class Meta:
        model = BenefitProgram
        fields = [
            "name",
            "kinds",
            "min_age",
            "age_of",
            "residence",
            "must_live_in_village",
            "starts_on",
            "ends_on",
            "amount",
            "period",
            "notice_days",
            "documents",
            "source",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}


class BatchForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("项目"), queryset=BenefitProgram.objects.none()
    )
    year = AsciiIntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("退回日期"), widget=DATE_INPUT, initial=timezone.localdate
    )
    reason = forms.CharField(label=_("退回原因"), max_length=120)


class AccountForm(forms.Form):
    bank_name = forms.CharField(label=_("开户银行"), max_length=60)
    account = forms.CharField(
        label=_("新银行账号"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RecheckForm(forms.Form):
    year = AsciiIntegerField(label=_("年审年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *ApplicationStatus.choices],
    )
