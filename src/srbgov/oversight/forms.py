from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import DATE_INPUT
from srbgov.files.forms import UPLOAD_HELP
from srbgov.oversight.models import (
    CHECKLIST,
    CaseSource,
    CheckResult,
    Department,
    Disposition,
    SubjectKind,
)
from srbgov.providers.models import Facility, Practitioner

NAMES_HELP = _("至少两人，用顿号、逗号或空格分隔。")


def split_names(raw: str) -> list[str]:
    return [n for n in re.split(r"[、,，;；\s]+", raw) if n]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    deploy_starts_on = forms.DateField(label=_("部署阶段开始"), widget=DATE_INPUT)
    deploy_ends_on = forms.DateField(label=_("部署阶段结束"), widget=DATE_INPUT)
    implement_starts_on = forms.DateField(label=_("实施阶段开始"), widget=DATE_INPUT)
    implement_ends_on = forms.DateField(label=_("实施阶段结束"), widget=DATE_INPUT)
    summary_starts_on = forms.DateField(label=_("总结阶段开始"), widget=DATE_INPUT)
    summary_ends_on = forms.DateField(label=_("总结阶段结束"), widget=DATE_INPUT)
    report_due_on = forms.DateField(label=_("总结报告报送期限"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InspectionForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("机构"), queryset=Facility.objects.none())
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE_INPUT)
    inspectors = forms.CharField(label=_("检查人员"), help_text=NAMES_HELP)
    findings = forms.CharField(
        label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectify_by = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("有不符合项或发现问题时必填。"),
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        for key, label in CHECKLIST:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=label, choices=CheckResult.choices, initial=CheckResult.PASS
            )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["inspectors"] = split_names(data["inspectors"])
        data["checklist"] = {key: data.pop(f"check_{key}") for key, _label in CHECKLIST}
        return data


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(label=_("复查日期"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseForm(forms.Form):
    title = forms.CharField(label=_("案由"), max_length=120)
    area = forms.ModelChoiceField(label=_("承办区划"), queryset=Area.objects.none())
    # A survey visit is a source only when the case is opened from it (?visit=).
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[c for c in CaseSource.choices if c[0] != CaseSource.SURVEY],
    )
    tip_reference = forms.CharField(label=_("举报编号"), max_length=40, required=False)
    subject_kind = forms.ChoiceField(label=_("当事人类别"), choices=SubjectKind.choices)
    subject_facility = forms.ModelChoiceField(
        label=_("涉案机构"), queryset=Facility.objects.none(), required=False
    )
    subject_practitioner = forms.ModelChoiceField(
        label=_("涉案人员"), queryset=Practitioner.objects.none(), required=False
    )
    subject_description = forms.CharField(
        label=_("当事人情况"), max_length=200, required=False
    )
    summary = forms.CharField(
        label=_("简要案情"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, user: User, locked_source: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        scope = user.scope
        self.fields["area"].queryset = Area.objects.in_area(scope).exclude(  # type: ignore[attr-defined]
            level=AreaLevel.VILLAGE
        )
        facilities = Facility.objects.in_area(scope)
        self.fields["subject_facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["subject_practitioner"].queryset = Practitioner.objects.filter(  # type: ignore[attr-defined]
            facility__in=facilities
        ).select_related("facility")
        if locked_source:  # opened from an inspection, an alert or a survey visit
            del self.fields["source"], self.fields["tip_reference"]


class TaskForm(forms.Form):
    department = forms.ChoiceField(label=_("承办部门"), choices=Department.choices)
    description = forms.CharField(label=_("任务"), max_length=200)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE_INPUT)


class TaskDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE_INPUT)
    result = forms.CharField(
        label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RecordForm(forms.Form):
    recorded_on = forms.DateField(label=_("调查日期"), widget=DATE_INPUT)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    interviewee = forms.CharField(label=_("被调查人"), max_length=60)
    investigators = forms.CharField(label=_("调查人"), help_text=NAMES_HELP)
    content = forms.CharField(
        label=_("笔录内容"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(label=_("附件"), required=False, help_text=UPLOAD_HELP)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["investigators"] = split_names(data["investigators"])
        return data


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("处理结果"), choices=Disposition.choices)
    disposed_on = forms.DateField(label=_("处理日期"), widget=DATE_INPUT)
    penalty_amount = forms.DecimalField(
        label=_("罚没金额（元）"), required=False, min_value=0, decimal_places=2
    )
    legal_basis = forms.CharField(label=_("法律依据"), max_length=200, required=False)
    licence_action = forms.CharField(
        label=_("执业许可处理"), max_length=200, required=False
    )
    note = forms.CharField(
        label=_("处理说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
