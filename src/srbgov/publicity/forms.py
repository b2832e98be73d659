"""HTML input for publicity; the views pass cleaned_data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.files.forms import UPLOAD_HELP
from srbgov.people.fields import AsciiIntegerField
from srbgov.publicity.models import ActivityKind, PublicityPlan


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ActivityForm(forms.Form):
    area = forms.ModelChoiceField(label=_("村或乡镇"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=ActivityKind.choices)
    held_on = forms.DateField(
        label=_("日期"), widget=DATE_INPUT, initial=timezone.localdate
    )
    place = forms.CharField(label=_("地点"), max_length=120)
    items = AsciiIntegerField(label=_("数量（幅、份、次）"), min_value=0, initial=0)
    participants = AsciiIntegerField(label=_("参加人数"), min_value=0, initial=0)
    plan = forms.ModelChoiceField(
        label=_("所属计划"), queryset=PublicityPlan.objects.none(), required=False
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea, required=False)
    photos = PhotosField(
        label=_("照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
        help_text=UPLOAD_HELP,
    )

    def __init__(self, *args: Any, areas: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    area = forms.ModelChoiceField(label=_("乡镇"), queryset=Area.objects.none())
    year = AsciiIntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("计划名称"), max_length=120)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        for kind, label in ActivityKind.choices:
            self.fields[f"target_{kind}"] = AsciiIntegerField(
                label=_("目标：%(kind)s") % {"kind": label}, min_value=0, required=False
            )

    def targets(self) -> dict[str, int]:
        return {
            kind: self.cleaned_data[f"target_{kind}"]
            for kind in ActivityKind.values
            if self.cleaned_data.get(f"target_{kind}")
        }


class YearForm(forms.Form):
    year = AsciiIntegerField(
        label=_("年度"), min_value=2000, max_value=2100, required=False
    )
    kind = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部")), *ActivityKind.choices],
    )


class BulletinDraftForm(forms.Form):
    area = forms.ModelChoiceField(label=_("乡镇或县"), queryset=Area.objects.none())
    number = forms.CharField(label=_("期号"), max_length=40, initial="第1期")
    period_start = forms.DateField(label=_("起始日期"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class BulletinEditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    number = forms.CharField(label=_("期号"), max_length=40)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("“# ”开头为一级标题，“## ”为二级标题；表格每行以“|”开头和结尾。"),
    )
