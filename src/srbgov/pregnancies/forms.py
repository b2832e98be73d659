from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import DATE_INPUT
from srbgov.core.submissions import SubmissionKeyField
from srbgov.people.fields import AsciiIntegerField
from srbgov.people.models import Sex
from srbgov.pregnancies.models import (
    OutcomeKind,
    PregnancyStatus,
    TerminationReason,
    VisitFinding,
    VisitMode,
)
from srbgov.pregnancies.services import BirthData
from srbgov.providers.models import Facility

NAMES_HELP = _("至少两人，用顿号或逗号分隔，如：王芳、李娟")


def _villages(user: User) -> Any:
    return Area.objects.in_area(user.scope).villages().select_related("parent")


def _village_label(area: Area) -> str:
    return f"{area.parent.name} {area.name}" if area.parent else area.name


class PregnancyForm(forms.Form):
    is_awaiting = forms.BooleanField(
        label=_("尚未怀孕，持证待孕跟踪"),
        required=False,
        help_text=_("已领生育服务证/生育登记但尚未怀孕的，勾选后不填末次月经。"),
    )
    lmp_on = forms.DateField(label=_("末次月经"), required=False, widget=DATE_INPUT)
    birth_order = AsciiIntegerField(
        label=_("本次孕次孩次"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("不填则按已有子女数加1。"),
    )
    certificate_number = forms.CharField(
        label=_("生育服务证/生育登记号"), max_length=40, required=False
    )
    certificate_on = forms.DateField(
        label=_("发证/登记日期"), required=False, widget=DATE_INPUT
    )
    responsible_persons = forms.CharField(
        label=_("责任人"), max_length=200, help_text=NAMES_HELP
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_key = SubmissionKeyField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_awaiting") and not data.get("lmp_on"):
            self.add_error("lmp_on", _("请填写末次月经；尚未怀孕的请勾选“持证待孕”。"))
        if data.get("is_awaiting") and not data.get("certificate_on"):
            self.add_error("certificate_on", _("持证待孕跟踪需填写发证/登记日期。"))
        return data


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("随访日期"), widget=DATE_INPUT)
    visitors = forms.CharField(label=_("随访人"), max_length=200, help_text=NAMES_HELP)
    mode = forms.ChoiceField(
        label=_("方式"), choices=VisitMode.choices, widget=forms.RadioSelect
    )
    finding = forms.ChoiceField(
        label=_("随访结果"), choices=VisitFinding.choices, widget=forms.RadioSelect
    )
    elsewhere_place = forms.CharField(
        label=_("现居住地（住在外地时填）"), max_length=120, required=False
    )
    elsewhere_proof = forms.CharField(
        label=_("现居住地查验证明"), max_length=200, required=False
    )
    elsewhere_contact = forms.CharField(
        label=_("与现居住地计生办联系情况"), max_length=200, required=False
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The view adds what it knows of the pregnancy (visitors) to these defaults.
        kwargs["initial"] = {
            "visited_on": timezone.localdate(),
            "mode": VisitMode.HOME,
            "finding": VisitFinding.STILL_PREGNANT,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("结局"), choices=OutcomeKind.choices)
    occurred_on = forms.DateField(label=_("结局日期"), widget=DATE_INPUT)
    facility = forms.ModelChoiceField(
        label=_("医疗机构"), queryset=Facility.objects.none(), required=False
    )
    discharge_on = forms.DateField(
        label=_("出院日期"), required=False, widget=DATE_INPUT
    )
    termination_reason = forms.ChoiceField(
        label=_("终止妊娠原因"),
        choices=[("", "—"), *TerminationReason.choices],
        required=False,
    )
    reason_detail = forms.CharField(label=_("原因说明"), max_length=200, required=False)
    approval_reference = forms.CharField(
        label=_("查验/批准文号（14周以上）"), max_length=60, required=False
    )
    approval_on = forms.DateField(
        label=_("批准日期"), required=False, widget=DATE_INPUT
    )
    receiving_area = forms.ModelChoiceField(
        label=_("迁入本县的村"), queryset=Area.objects.none(), required=False
    )
    receiving_place = forms.CharField(
        label=_("迁往地（县外）"), max_length=120, required=False
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county = user.scope
        while county.parent_id is not None and county.parent is not None:
            county = county.parent
        self.fields["facility"].queryset = Facility.objects.in_area(county)  # type: ignore[attr-defined]
        villages = Area.objects.in_area(county).villages().select_related("parent")
        self.fields["receiving_area"].queryset = villages  # type: ignore[attr-defined]
        self.fields["receiving_area"].label_from_instance = _village_label  # type: ignore[attr-defined]


class BirthForm(forms.Form):
    sex = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Sex.choices])
    born_on = forms.DateField(label=_("出生日期"), required=False, widget=DATE_INPUT)
    weight_grams = forms.IntegerField(
        label=_("体重（克）"), min_value=300, max_value=7000, required=False
    )
    birth_certificate_number = forms.CharField(
        label=_("出生医学证明编号"), max_length=40, required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)

    def to_data(self, facility: Facility | None) -> BirthData:
        d = self.cleaned_data
        return BirthData(
            sex=d["sex"],
            born_on=d.get("born_on"),
            weight_grams=d.get("weight_grams"),
            facility=facility,
            birth_certificate_number=d.get("birth_certificate_number") or "",
            name=d.get("name") or "",
        )


class _OptionalBirthForm(BirthForm):
    """Rows left blank are skipped (a single birth fills one row of three)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


BirthFormSet = forms.formset_factory(_OptionalBirthForm, extra=3, max_num=6)


def births_from(formset: Any, facility: Facility | None) -> list[BirthData]:
    return [
        f.to_data(facility)
        for f in formset.forms
        if f.has_changed() and f.cleaned_data.get("sex")
    ]


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("出生医学证明编号"), max_length=40)


class ApprovalForm(forms.Form):
    reference = forms.CharField(label=_("查验/批准文号"), max_length=60)
    approved_on = forms.DateField(
        label=_("批准日期"), required=False, widget=DATE_INPUT
    )


class InfantDeathForm(forms.Form):
    died_on = forms.DateField(label=_("死亡日期"), widget=DATE_INPUT)
    died_time = forms.TimeField(
        label=_("死亡时间"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    cause = forms.CharField(label=_("死亡原因"), max_length=200)
    death_certificate_number = forms.CharField(
        label=_("死亡医学证明编号"), max_length=40, required=False
    )


class PregnancyFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False)
    village = forms.ModelChoiceField(
        label=_("村"), queryset=Area.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *PregnancyStatus.choices],
        required=False,
    )
    late = forms.BooleanField(label=_("仅超过4个月登记"), required=False)
    # The village worker's home links her pregnancies that the township is chasing
    # an alert about (docs/homes.md).
    alerted = forms.BooleanField(label=_("仅有待处理预警的"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = _villages(user)  # type: ignore[attr-defined]
        self.fields["village"].label_from_instance = _village_label  # type: ignore[attr-defined]
        if user.scope.level == AreaLevel.VILLAGE:
            # A one-option filter is noise on a phone (docs/homes.md, phone rules).
            del self.fields["village"]


class WomanPickForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False)


MAX_POLICY_CHARS = 20_000
MAX_POLICY_DEPTH = 8


def json_nesting(text: str) -> int:
    """The deepest nesting of [ and { outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


class PolicyForm(forms.Form):
    start_from = forms.ChoiceField(
        label=_("从内置规则开始"),
        required=False,
        help_text=_("选择后将用内置规则替换下面的内容。"),
    )
    policy = forms.CharField(
        label=_("规则内容（JSON）"), widget=forms.Textarea(attrs={"rows": 18})
    )

    def __init__(
        self, *args: Any, builtins: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_from"].choices = [("", "—"), *builtins]  # type: ignore[attr-defined]

    def clean_policy(self) -> object:
        text = self.cleaned_data["policy"]
        # Bounded before parsing: a deeply nested text exhausts the parser's recursion
        # (a 500); a real policy is about 1,200 characters, 3 levels deep.
        if len(text) > MAX_POLICY_CHARS:
            raise forms.ValidationError(
                _("规则内容太长（%(n)d 字符），最多 %(max)d 字符。")
                % {"n": len(text), "max": MAX_POLICY_CHARS}
            )
        if json_nesting(text) > MAX_POLICY_DEPTH:
            raise forms.ValidationError(
                _("规则内容嵌套太深：括号最多嵌套 %(max)d 层。")
                % {"max": MAX_POLICY_DEPTH}
            )
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("不是有效的 JSON（第 %(line)d 行）。") % {"line": error.lineno}
            ) from None
