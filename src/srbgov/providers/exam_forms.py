"""Forms of the ultrasound exam register: they validate the input and hand it to
`services.record_ultrasound_exam`, which holds every rule (docs/registers.md §2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.core.forms import DATE_INPUT
from srbgov.core.submissions import SubmissionKeyField
from srbgov.people.fields import AsciiIntegerField, PersonNameField
from srbgov.providers.models import ExamPurpose, ExamSource, Facility

ID_INPUT = forms.TextInput(attrs={"autocomplete": "off"})


class ExamForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("检查机构"), queryset=Facility.objects.none()
    )
    woman_name = PersonNameField(label=_("孕妇姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("孕妇身份证号码"),
        max_length=24,
        widget=ID_INPUT,
        help_text=_("按育龄妇女信息库核对并加密保存，列表只显示部分号码。"),
    )
    village_code = forms.CharField(
        label=_("孕妇所在村区划代码"),
        max_length=12,
        required=False,
        help_text=_("12位统计用区划代码；不知道可留空，在册妇女自动取其所在村。"),
    )
    examined_on = forms.DateField(label=_("检查日期"), widget=DATE_INPUT)
    gestational_weeks = AsciiIntegerField(label=_("孕周"), min_value=1, max_value=42)
    purpose = forms.ChoiceField(label=_("检查目的"), choices=ExamPurpose.choices)
    indication = forms.CharField(
        label=_("医学指征说明"), max_length=200, required=False
    )
    device_serial = forms.CharField(
        label=_("设备出厂编号"),
        max_length=60,
        help_text=_("按设备铭牌填写；未备案的设备将生成预警。"),
    )
    operator_name = PersonNameField(label=_("操作人员"), max_length=40)
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `record_ultrasound_exam` takes it."""
        data = self.cleaned_data
        return {
            "facility": data["facility"],
            "woman_name": data["woman_name"],
            "id_number": data["id_number"],
            "village_code": data["village_code"] or "",
            "examined_on": data["examined_on"],
            "gestational_weeks": data["gestational_weeks"],
            "purpose": data["purpose"],
            "indication": data["indication"] or "",
            "device_serial": data["device_serial"],
            "operator_name": data["operator_name"],
            "source": ExamSource.CLERK,
            "submission_key": data["submission_key"],
        }


class ExamSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    date_from = forms.DateField(
        label=_("检查日期从"), required=False, widget=DATE_INPUT
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    late = forms.BooleanField(label=_("仅14周及以上"), required=False)
