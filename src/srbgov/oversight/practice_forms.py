"""Forms of the unlicensed-practice surveys and the private persons of a case
(docs/registers.md §7); the services hold every rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.oversight.models import Department, ItemKind, PersonRole, PlaceKind
from srbgov.oversight.practice_services import SURVEY_DEPARTMENTS
from srbgov.people.fields import AsciiIntegerField, PersonNameField
from srbgov.providers.models import Facility

ID_INPUT = forms.TextInput(attrs={"autocomplete": "off"})


class CasePersonForm(forms.Form):
    role = forms.ChoiceField(label=_("涉案身份"), choices=PersonRole.choices)
    name = PersonNameField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        required=False,
        widget=ID_INPUT,
        help_text=_("可不填；填写的号码加密保存，页面只显示部分号码。"),
    )
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    note = forms.CharField(label=_("情况说明"), max_length=300, required=False)


class SurveyForm(forms.Form):
    area = forms.ModelChoiceField(label=_("排查区划"), queryset=Area.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    department = forms.ChoiceField(
        label=_("牵头部门"),
        choices=[(d.value, d.label) for d in Department if d in SURVEY_DEPARTMENTS],
    )
    started_on = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    ended_on = forms.DateField(label=_("结束日期"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("工作要求"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, townships: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].queryset = townships  # type: ignore[attr-defined]
        if townships.count() == 1:
            self.fields["area"].initial = townships.first()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("排查日期"), widget=DATE_INPUT)
    place_kind = forms.ChoiceField(label=_("场所类别"), choices=PlaceKind.choices)
    facility = forms.ModelChoiceField(
        label=_("已登记机构"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("无证行医点不在机构名单中，留空并填写名称。"),
    )
    place_name = forms.CharField(
        label=_("场所名称/经营者"), max_length=100, required=False
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    village = forms.ModelChoiceField(
        label=_("所在村"), queryset=Area.objects.none(), required=False
    )
    is_licensed = forms.BooleanField(label=_("持有执业许可"), required=False)
    devices_found = forms.CharField(
        label=_("发现的设备"),
        max_length=300,
        required=False,
        help_text=_("如：便携式B超机1台（型号、编号）。"),
    )
    drugs_found = forms.CharField(label=_("发现的药品"), max_length=300, required=False)
    services_offered = forms.CharField(
        label=_("提供的服务"), max_length=300, required=False
    )
    has_problem = forms.BooleanField(label=_("发现问题"), required=False)
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, facilities: Any, villages: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("物品类别"), choices=ItemKind.choices)
    description = forms.CharField(label=_("物品名称/型号"), max_length=120)
    quantity = AsciiIntegerField(label=_("数量"), min_value=1)
    unit = forms.CharField(label=_("单位"), max_length=10)
