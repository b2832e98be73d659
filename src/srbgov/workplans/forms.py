"""Forms of the organisation pages; they validate input, the services write
(docs/assessment.md §4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.files.forms import UPLOAD_HELP
from srbgov.workplans import access
from srbgov.workplans.models import Member


def _party_choices(user: User) -> list[tuple[str, str]]:
    """The areas directly below the user's and the user's member units."""
    scope = user.scope
    below = Area.objects.in_area(scope).filter(parent=scope).order_by("code")
    return [(f"area:{a.pk}", a.name) for a in below] + [
        (f"unit:{m.pk}", f"{m.name}（{_('成员单位')}）")
        for m in access.departments_for(user)
    ]


class PartyField(forms.ChoiceField):
    """'area:<id>' or 'unit:<id>' among the choices, cleaned to the Area or Member."""


class _PartyForm(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["party"].choices = _party_choices(user)  # type: ignore[attr-defined]

    def chosen_party(self) -> tuple[Area | None, Member | None]:
        """The (area, unit) chosen; the choices are already limited to the user's."""
        kind, _sep, pk = self.cleaned_data["party"].partition(":")
        if kind == "area":
            return Area.objects.in_area(self.user.scope).get(pk=int(pk)), None
        return None, access.departments_for(self.user).get(pk=int(pk))


class BookForm(_PartyForm):
    party = PartyField(label=_("签订对象"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("标题"),
        max_length=120,
        required=False,
        help_text=_("留空则按“某年某村出生人口性别比综合治理目标管理责任书”命名。"),
    )
    targets = forms.CharField(
        label=_("其他目标和责任"),
        widget=forms.Textarea,
        required=False,
        help_text=_("本年度考核指标自动列入责任书；这里写其他目标和责任。"),
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE_INPUT)
    signer_name = forms.CharField(label=_("签订人"), max_length=60)
    scan = forms.FileField(label=_("签字盖章扫描件"), help_text=UPLOAD_HELP)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE_INPUT)
    convener = forms.CharField(label=_("召集人"), max_length=60)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参会成员"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("其他参会人员"), max_length=200, required=False
    )
    topics = forms.CharField(label=_("议题"), widget=forms.Textarea)
    decisions = forms.CharField(label=_("会议决定"), widget=forms.Textarea)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = access.members_for_user(user).filter(  # type: ignore[attr-defined]
            area=user.scope
        )


class TaskForm(forms.Form):
    department = forms.CharField(label=_("责任单位"), max_length=60)
    description = forms.CharField(label=_("任务"), widget=forms.Textarea)
    owner = forms.ModelChoiceField(
        label=_("责任人账号"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("选了账号，逾期未完成时显示在其首页。"),
    )
    owner_name = forms.CharField(label=_("责任人"), max_length=60)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = access.task_owners_for(user)  # type: ignore[attr-defined]


class SupervisionForm(_PartyForm):
    party = PartyField(label=_("被督查对象"))
    visited_on = forms.DateField(label=_("督查日期"), widget=DATE_INPUT)
    team = forms.CharField(label=_("督查组成员"), max_length=200)
    findings = forms.CharField(label=_("督查发现"), widget=forms.Textarea)


class ItemForm(forms.Form):
    description = forms.CharField(label=_("存在问题"), widget=forms.Textarea)
    deadline = forms.DateField(label=_("整改期限"), widget=DATE_INPUT)


class ReportItemForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea)


class ReviewItemForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("yes", _("整改完成")), ("no", _("退回重新整改"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea, required=False)


def error_text(form: forms.Form) -> str:
    """A form's errors on one line, for a message after a redirect."""
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def this_year() -> int:
    return timezone.localdate().year


def year_param(query: Mapping[str, str]) -> int:
    """`?year=` as four ASCII digits, else this year (never a 500 on junk)."""
    raw = query.get("year", "")
    if raw.isascii() and raw.isdigit() and len(raw) == 4:
        return int(raw)
    return this_year()
