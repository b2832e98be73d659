from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import DATE_INPUT
from srbgov.oversight.models import Case, SubjectKind
from srbgov.tips import pow, uploads
from srbgov.tips.models import (
    Category,
    PaymentMethod,
    RewardKind,
    TipPolicy,
    TipStatus,
)
from srbgov.tips.services import TIP_POLICY_FIELDS

POW_FAILED = _("提交校验未通过或已过期，请再点一次提交。")


class ProofOfWorkForm(forms.Form):
    """A public form whose submission carries a solved proof-of-work (see pow.py)."""

    purpose = ""
    pow_challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    pow_nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attached = sum(1 for key in self.files for f in self.files.getlist(key) if f)
        if not pow.check(
            data.get("pow_challenge", ""),
            data.get("pow_nonce", ""),
            purpose=self.purpose,
            files=attached,
        ):
            raise forms.ValidationError(POW_FAILED, code="pow")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if len(files) > uploads.MAX_FILES:
            raise forms.ValidationError(_("最多上传3个文件。"))
        for f in files:
            if f.size > uploads.MAX_BYTES:
                raise forms.ValidationError(
                    _("文件超过10MB，请压缩或缩小后再上传。"), code="too_big"
                )
        return files


def place_choices(counties: list[Area]) -> list[Any]:
    """Township → village groups for the place picker (no JavaScript needed)."""
    choices: list[Any] = [("", _("不清楚，或在下面说明"))]
    within = Area.objects.none()
    for county in counties:
        within |= Area.objects.in_area(county)
    areas = within.filter(level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE])
    groups: dict[str, list[tuple[int, str]]] = {}
    names: dict[str, str] = {}
    for area in areas.order_by("code"):
        township_code = area.code[:9]
        if area.level == AreaLevel.TOWNSHIP:
            names[township_code] = area.name
            groups.setdefault(township_code, []).insert(
                0, (area.pk, f"{area.name}（不确定哪个村）")
            )
        else:
            groups.setdefault(township_code, []).append((area.pk, area.name))
    county_names = {c.code[:6]: c.name for c in counties}
    for code, options in groups.items():
        label = names.get(code, code)
        if len(counties) > 1:
            label = f"{county_names.get(code[:6], '')} {label}"
        choices.append((label, options))
    return choices


EARLIEST_EVENT = date(2000, 1, 1)


class ReportForm(ProofOfWorkForm):
    purpose = "report"
    county = forms.ModelChoiceField(
        label=_("县"),
        queryset=Area.objects.filter(level=AreaLevel.COUNTY),
        required=False,
        help_text=_("选了下面的乡镇或村，可以不选县。"),
    )
    category = forms.ChoiceField(
        label=_("举报什么"), choices=Category.choices, widget=forms.RadioSelect
    )
    place_area = forms.TypedChoiceField(
        label=_("在哪里（乡镇、村）"), coerce=int, required=False, empty_value=None
    )
    place_text = forms.CharField(
        label=_("具体地点"),
        max_length=200,
        required=False,
        help_text=_("例如：某诊所、某药店、某路口；也可以只写在这里。"),
    )
    occurred_on = forms.DateField(
        label=_("什么时候"), required=False, widget=DATE_INPUT
    )
    occurred_text = forms.CharField(
        label=_("时间说明"),
        max_length=100,
        required=False,
        help_text=_("记不清日期可写“今年3月上旬”“每逢赶集日”等。"),
    )
    description = forms.CharField(
        label=_("具体情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("谁、做了什么、怎么联系到他们、收费多少。不要写您自己的姓名。"),
    )
    evidence = MultipleFileField(
        label=_("照片或文件（最多3个，每个不超过10MB）"),
        required=False,
        help_text=_(
            "照片中的拍摄地点、时间、手机型号等信息和PDF文件中的作者等信息会在上传时自动清除。"
        ),
    )
    wants_reward = forms.BooleanField(label=_("查实后申请奖励"), required=False)
    contact = forms.CharField(
        label=_("联系方式（可不填）"),
        max_length=200,
        required=False,
        help_text=_(
            "电话、微信等。加密保存，只有县举报受理人员在必要时可以查看，每次查看都有记录。"
        ),
    )
    name = forms.CharField(label=_("姓名（可不填）"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = list(Area.objects.filter(level=AreaLevel.COUNTY))
        if len(counties) == 1:
            self.fields["county"].initial = counties[0].pk
            self.fields["county"].widget = forms.HiddenInput()
        self.fields["place_area"].choices = place_choices(counties)  # type: ignore[attr-defined]
        self.fields["evidence"].widget.attrs["accept"] = "image/*,application/pdf"
        self.fields["contact"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_place_area(self) -> Area | None:
        pk = self.cleaned_data.get("place_area")
        return Area.objects.filter(pk=pk).first() if pk else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        place = data.get("place_area")
        if place is not None:
            # The place names its county: the first six digits of its code.
            data["county"] = Area.objects.filter(
                code=place.code[:6] + "000000", level=AreaLevel.COUNTY
            ).first()
        if data.get("county") is None and "county" not in self.errors:
            self.add_error("county", _("请选择县，或选择发生的乡镇、村。"))
        return data

    def clean_occurred_on(self) -> Any:
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("发生日期不能晚于今天。"))
        # Nothing the tip officer can still investigate is older (docs/security.md §5).
        if day and day < EARLIEST_EVENT:
            raise forms.ValidationError(
                _("发生日期不能早于%(year)d年；记不清可在“时间说明”中描述。")
                % {"year": EARLIEST_EVENT.year}
            )
        return day


class FollowUpForm(ProofOfWorkForm):
    purpose = "follow_up"
    code = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class ReplyForm(FollowUpForm):
    purpose = "reply"
    body = forms.CharField(
        label=_("回复或补充"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = MultipleFileField(
        label=_("补充照片或文件（最多3个，每个不超过10MB）"),
        required=False,
        help_text=_(
            "照片中的拍摄地点、时间、手机型号等信息和PDF文件中的作者等信息会在上传时自动清除。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = "image/*,application/pdf"


class StaffForm(forms.Form):
    """Several of these share the tip page: each gets its own element ids."""

    id_prefix = "tip"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class TipFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", "—"), *TipStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("举报事项"), required=False, choices=[("", "—"), *Category.choices]
    )
    township = forms.ModelChoiceField(
        label=_("承办乡镇"), required=False, queryset=Area.objects.none()
    )
    # The tip officer's home links the tips whose last message is the reporter's.
    awaiting_reply = forms.BooleanField(label=_("只看举报人来信待回复"), required=False)

    def __init__(self, *args: Any, scope: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Area.objects.in_area(scope).townships()  # type: ignore[attr-defined]


class AssignForm(StaffForm):
    id_prefix = "assign"
    # Not 承办乡镇 again: the facts above already name the township (docs/homes.md).
    township = forms.ModelChoiceField(label=_("交给乡镇"), queryset=Area.objects.none())

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Area.objects.in_area(county).townships()  # type: ignore[attr-defined]


class DecideForm(StaffForm):
    id_prefix = "decide"
    verified = forms.TypedChoiceField(
        label=_("核查结论"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("查实")), ("no", _("未查实"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class QuestionForm(StaffForm):
    id_prefix = "ask"
    body = forms.CharField(
        label=_("向举报人提问"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("举报人凭回执码查看并回答。请勿询问其姓名、住址等身份信息。"),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看理由"),
        max_length=300,
        help_text=_("理由会写入审计日志，审计员可见。"),
    )


class RewardProposalForm(StaffForm):
    id_prefix = "propose"
    kind = forms.ChoiceField(label=_("奖励类别"), choices=RewardKind.choices)
    amount = forms.IntegerField(label=_("金额（元）"), min_value=1, max_value=1_000_000)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class RewardDecisionForm(StaffForm):
    id_prefix = "approve"
    approve = forms.TypedChoiceField(
        label=_("审批"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("批准")), ("no", _("不批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("意见"), required=False, max_length=2000)


class PaymentForm(StaffForm):
    id_prefix = "pay"
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("发放方式"), choices=PaymentMethod.choices)
    receipt_code = forms.CharField(
        label=_("领取人输入回执码签收"),
        max_length=40,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("由领取人本人输入，不显示、不保存，只核对是否与本举报相符。"),
    )
    signer_name = forms.CharField(
        label=_("或：签收人姓名（举报人自愿具名时）"), max_length=40, required=False
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class LinkCaseForm(StaffForm):
    id_prefix = "link"
    case = forms.ModelChoiceField(label=_("关联已有案件"), queryset=Case.objects.none())

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.number} {c.title}（{c.area.name}）"
        )


class OpenCaseForm(StaffForm):
    id_prefix = "case"
    township = forms.ModelChoiceField(label=_("立案乡镇"), queryset=Area.objects.none())
    title = forms.CharField(label=_("案由"), max_length=120)
    subject_kind = forms.ChoiceField(
        label=_("当事人类别"),
        choices=[
            (SubjectKind.INTERMEDIARY, SubjectKind.INTERMEDIARY.label),
            (SubjectKind.UNKNOWN, SubjectKind.UNKNOWN.label),
        ],
        help_text=_("涉及已登记的机构或人员时，请在案件页面补充。"),
    )
    subject_description = forms.CharField(
        label=_("当事人情况"), max_length=200, required=False
    )

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Area.objects.in_area(county).townships()  # type: ignore[attr-defined]


class TipPolicyForm(forms.Form):
    """Parses the policy page; `services.save_policy` validates, with Chinese messages
    for the ranges (a ModelForm would answer with the constraint's own name)."""

    FIELDS = TIP_POLICY_FIELDS

    def __init__(self, *args: Any, policy: TipPolicy, **kwargs: Any) -> None:
        kwargs["initial"] = {f: getattr(policy, f) for f in self.FIELDS}
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(TipPolicy, fields=self.FIELDS))
