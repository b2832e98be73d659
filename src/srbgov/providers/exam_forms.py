"""Forms of the ultrasound exam register: they validate the input and hand it to
`services.record_ultrasound_exam`, which holds every rule (docs/registers.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.core.forms import DATE_INPUT
from srbgov.people.fields import AsciiIntegerField, PersonNameField
from srbgov.providers.models import ExamPurpose, ExamSource
from srbgov.providers.register_forms import (
    ID_HELP,
    ID_INPUT,
    RegisterEntryForm,
    register_form,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@register_form
class ExamForm(RegisterEntryForm):
    labels: ClassVar[dict[str, StrOrPromise]] = {
        "facility": _("检查机构"),
        "village_code": _("孕妇所在村区划代码"),
    }
    field_order = [
        "facility",
        "woman_name",
        "id_number",
        "village_code",
        "examined_on",
        "examined_at",
        "gestational_weeks",
        "purpose",
        "indication",
        "device_serial",
        "operator_name",
        "submission_key",
    ]

    woman_name = PersonNameField(label=_("孕妇姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("孕妇身份证号码"), max_length=24, widget=ID_INPUT, help_text=ID_HELP
    )
    examined_on = forms.DateField(label=_("检查日期"), widget=DATE_INPUT)
    examined_at = forms.TimeField(
        label=_("检查时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
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

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `record_ultrasound_exam` takes it."""
        data = self.cleaned_data
        return {
            "facility": data["facility"],
            "woman_name": data["woman_name"],
            "id_number": data["id_number"],
            "village_code": data["village_code"] or "",
            "examined_on": data["examined_on"],
            "examined_at": data["examined_at"],
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


class ExamRateFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", "—"), ("facility", _("机构")), ("operator", _("操作人员"))],
    )
    flagged = forms.BooleanField(label=_("仅显著高于全县"), required=False)
