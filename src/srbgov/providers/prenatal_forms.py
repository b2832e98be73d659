"""Forms of the prenatal diagnosis register and the priority designations: they
validate the input and hand it to the services, which hold every rule
(docs/registers.md §7)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.files.forms import UPLOAD_HELP
from srbgov.people.fields import AsciiIntegerField, PersonNameField
from srbgov.providers.models import (
    Facility,
    GeneticTestKind,
    LicenceScope,
    TestIndication,
    TestResult,
)

ID_INPUT = forms.TextInput(attrs={"autocomplete": "off"})


class PriorityForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("重点村"), queryset=Area.objects.none(), required=False
    )
    facility = forms.ModelChoiceField(
        label=_("重点单位"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("重点村和重点单位二选一。"),
    )
    reason = forms.CharField(label=_("确定理由"), max_length=300, widget=forms.Textarea)
    designated_on = forms.DateField(label=_("确定日期"), widget=DATE_INPUT)
    review_on = forms.DateField(label=_("复核日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, villages: Any, facilities: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class RenewForm(forms.Form):
    review_on = forms.DateField(label=_("下次复核日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("复核情况"), max_length=300, required=False)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("撤销日期"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


PRIORITY_STATUSES = [
    ("active", _("重点")),
    ("overdue", _("复核逾期")),
    ("ended", _("已撤销")),
]


class PriorityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *PRIORITY_STATUSES],
        required=False,
    )


class LicenceForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("机构"), queryset=Facility.objects.none())
    number = forms.CharField(label=_("许可证号"), max_length=60)
    scope = forms.ChoiceField(label=_("许可范围"), choices=LicenceScope.choices)
    valid_from = forms.DateField(label=_("有效期起"), widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("有效期至"), widget=DATE_INPUT)
    scan = forms.FileField(label=_("扫描件"), required=False, help_text=UPLOAD_HELP)

    def __init__(self, *args: Any, facilities: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class ResultFields(forms.Form):
    result = forms.ChoiceField(
        label=_("检测结果"), choices=TestResult.choices, initial=TestResult.PENDING
    )
    result_on = forms.DateField(
        label=_("出结果日期"), required=False, widget=DATE_INPUT
    )
    result_note = forms.CharField(label=_("结果说明"), max_length=300, required=False)
    reports_sex = forms.BooleanField(
        label=_("报告载明胎儿性别"),
        required=False,
        help_text=_("仅伴性遗传病的诊断可以载明胎儿性别；否则将生成预警。"),
    )


class GeneticTestForm(ResultFields):
    facility = forms.ModelChoiceField(
        label=_("检测机构"), queryset=Facility.objects.none()
    )
    woman_name = PersonNameField(label=_("孕妇姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("孕妇身份证号码"),
        max_length=24,
        widget=ID_INPUT,
        help_text=_("按育龄妇女信息库核对并加密保存，列表只显示部分号码。"),
    )
    village_code = forms.CharField(
        label=_("孕妇所在村区划代码"), max_length=12, required=False
    )
    kind = forms.ChoiceField(label=_("检测项目"), choices=GeneticTestKind.choices)
    ordered_on = forms.DateField(label=_("检测日期"), widget=DATE_INPUT)
    gestational_weeks = AsciiIntegerField(label=_("孕周"), min_value=1, max_value=42)
    indication = forms.ChoiceField(label=_("检测指征"), choices=TestIndication.choices)
    indication_note = forms.CharField(
        label=_("指征说明"),
        max_length=200,
        required=False,
        help_text=_("伴性遗传病须写明病种。"),
    )

    field_order = [
        "facility",
        "woman_name",
        "id_number",
        "village_code",
        "kind",
        "ordered_on",
        "gestational_weeks",
        "indication",
        "indication_note",
        "result",
        "result_on",
        "result_note",
        "reports_sex",
    ]

    def __init__(self, *args: Any, facilities: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["village_code"] = data["village_code"] or ""
        data["indication_note"] = data["indication_note"] or ""
        data["result_note"] = data["result_note"] or ""
        return data


class GeneticTestSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    date_from = forms.DateField(
        label=_("检测日期从"), required=False, widget=DATE_INPUT
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    findings = forms.BooleanField(label=_("仅有问题的"), required=False)
