from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.files.forms import UPLOAD_HELP
from srbgov.providers.models import (
    DeviceStatus,
    DrugItem,
    Facility,
    FacilityKind,
    FacilityStatus,
    Practitioner,
    PractitionerKind,
    TerminationMethod,
    TerminationVerification,
    VerificationReason,
)

ID_INPUT = forms.TextInput(attrs={"autocomplete": "off"})


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=100)
    kind = forms.ChoiceField(label=_("机构类别"), choices=FacilityKind.choices)
    area = forms.ModelChoiceField(label=_("所在区划"), queryset=Area.objects.none())
    licence_number = forms.CharField(
        label=_("执业许可证号"), max_length=60, required=False
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    head_name = forms.CharField(label=_("负责人"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=FacilityStatus.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Area.objects.in_area(user.scope).select_related("parent")
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["area"].label_from_instance = lambda a: a.full_name  # type: ignore[attr-defined]


class FacilitySearchForm(forms.Form):
    q = forms.CharField(label=_("机构名称或许可证号"), required=False)
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", "—"), *FacilityKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", "—"), *FacilityStatus.choices], required=False
    )


class DeviceForm(forms.Form):
    model_name = forms.CharField(label=_("型号"), max_length=80)
    serial_number = forms.CharField(label=_("出厂编号"), max_length=60)
    purchased_on = forms.DateField(
        label=_("购置日期"), required=False, widget=DATE_INPUT
    )
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=DATE_INPUT)
    room = forms.CharField(label=_("安放科室/房间"), max_length=60, required=False)
    room_opens_at = forms.TimeField(
        label=_("诊室开放时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("填写后，开放时间以外的B超检查将生成预警。"),
    )
    room_closes_at = forms.TimeField(
        label=_("诊室关闭时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    is_fetal_sex_capable = forms.BooleanField(
        label=_("可显示胎儿性别"), required=False, initial=True
    )
    status = forms.ChoiceField(label=_("状态"), choices=DeviceStatus.choices)


class OperatorForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label=_("操作人员"), queryset=Practitioner.objects.none()
    )
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = facility.practitioners.filter(  # type: ignore[attr-defined]
            kind=PractitionerKind.ULTRASOUND, is_active=True
        )


class PractitionerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    kind = forms.ChoiceField(label=_("岗位"), choices=PractitionerKind.choices)
    qualification = forms.CharField(label=_("执业资格"), max_length=60, required=False)
    qualification_number = forms.CharField(
        label=_("资格证书编号"), max_length=60, required=False
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)


class PledgeForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label=_("签订人员"),
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label=_("机构负责人"),
    )
    signer_name = forms.CharField(
        label=_("签订人姓名"),
        max_length=40,
        required=False,
        help_text=_("留空则使用所选人员或机构负责人的姓名。"),
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE_INPUT)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE_INPUT)
    scan = forms.FileField(label=_("扫描件"), required=False, help_text=UPLOAD_HELP)

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = facility.practitioners.filter(  # type: ignore[attr-defined]
            is_active=True
        )


class WomanFields(forms.Form):
    woman_name = forms.CharField(label=_("妇女姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        widget=ID_INPUT,
        help_text=_("按育龄妇女信息库核对并加密保存，列表只显示部分号码。"),
    )


class TerminationForm(WomanFields):
    facility = forms.ModelChoiceField(label=_("机构"), queryset=Facility.objects.none())
    terminated_on = forms.DateField(label=_("手术日期"), widget=DATE_INPUT)
    gestational_weeks = forms.IntegerField(label=_("孕周"), min_value=1, max_value=42)
    method = forms.ChoiceField(label=_("方式"), choices=TerminationMethod.choices)
    operator = forms.ModelChoiceField(
        label=_("手术人员"), queryset=Practitioner.objects.none()
    )
    medical_reason = forms.CharField(
        label=_("医学原因"), widget=forms.Textarea(attrs={"rows": 2})
    )
    verification = forms.ModelChoiceField(
        label=_("终止妊娠查验"),
        queryset=TerminationVerification.objects.none(),
        required=False,
        help_text=_("14周及以上必须有查验；如尚未办理，保存后系统将预警，请补办查验。"),
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()
        self.fields["operator"].queryset = Practitioner.objects.filter(  # type: ignore[attr-defined]
            facility__in=facilities, kind=PractitionerKind.TERMINATION
        ).select_related("facility")
        self.fields["operator"].label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.name}（{p.facility.name}）"
        )
        self.fields["verification"].queryset = TerminationVerification.objects.filter(  # type: ignore[attr-defined]
            facility__in=facilities, termination__isnull=True
        )
        self.fields["verification"].label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"{v.woman_name} {v.id_number_masked} · {v.get_status_display()}"
        )


class TerminationSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    weeks_from = forms.IntegerField(
        label=_("孕周从"), required=False, min_value=1, max_value=42
    )
    unverified = forms.BooleanField(label=_("只看未完成查验的"), required=False)


class VerificationForm(forms.Form):
    reason = forms.ChoiceField(label=_("医学原因"), choices=VerificationReason.choices)
    diagnosis_facility = forms.CharField(
        label=_("诊断机构（具备资质）"), max_length=100
    )
    diagnosis = forms.CharField(
        label=_("诊断意见"), widget=forms.Textarea(attrs={"rows": 3})
    )
    diagnosed_on = forms.DateField(label=_("诊断日期"), widget=DATE_INPUT)
    evidence = forms.FileField(label=_("诊断证明"), help_text=UPLOAD_HELP)


class VerificationRequestForm(WomanFields, VerificationForm):
    facility = forms.ModelChoiceField(
        label=_("申请机构"), queryset=Facility.objects.none()
    )

    def __init__(
        self, *args: Any, facilities: Any, for_entry: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()
        if for_entry:  # she and the facility are the register entry's
            for name in ("woman_name", "id_number", "facility"):
                del self.fields[name]


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核意见"),
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CertifyForm(forms.Form):
    certificate_number = forms.CharField(label=_("县级证明编号"), max_length=40)


class PurchaseForm(forms.Form):
    drug = forms.ModelChoiceField(label=_("药品"), queryset=DrugItem.objects.none())
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    purchased_on = forms.DateField(label=_("购进日期"), widget=DATE_INPUT)
    supplier = forms.CharField(label=_("供货单位"), max_length=100)
    batch_number = forms.CharField(label=_("批号"), max_length=40, required=False)

    def __init__(self, *args: Any, drugs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drug"].queryset = drugs  # type: ignore[attr-defined]


class DispensingForm(WomanFields):
    drug = forms.ModelChoiceField(label=_("药品"), queryset=DrugItem.objects.none())
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    dispensed_on = forms.DateField(label=_("发药日期"), widget=DATE_INPUT)
    prescription_number = forms.CharField(
        label=_("处方编号"), max_length=40, required=False
    )
    prescriber = forms.CharField(label=_("开方医师"), max_length=40, required=False)

    def __init__(self, *args: Any, drugs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drug"].queryset = drugs  # type: ignore[attr-defined]


class DrugItemForm(forms.Form):
    name = forms.CharField(label=_("药品名称"), max_length=60)
    specification = forms.CharField(label=_("规格"), max_length=60, required=False)
    unit = forms.CharField(label=_("单位"), max_length=10, initial="盒")


class FacilityClerkForm(forms.Form):
    """Which facility-clerk account works at this facility (the administrator creates
    the account; the facility's keeper links it, providers.services.clerks)."""

    clerk = forms.ModelChoiceField(
        label=_("医疗机构登记员账号"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["clerk"]
        field.queryset = candidates
        field.label_from_instance = lambda u: f"{u.display_name}（{u.username}）"
