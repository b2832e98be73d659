"""What the API answers: read-only shapes, identity numbers masked exactly as the pages
show them (docs/security.md §1), never decrypted."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from srbgov.alerts.models import Alert
from srbgov.people.models import Woman
from srbgov.pregnancies.models import Pregnancy
from srbgov.providers.models import (
    DeliveryChild,
    Facility,
    FacilityDelivery,
    GeneticTest,
    TerminationRecord,
    UltrasoundExam,
)


class AreaCode(serializers.CharField):
    """An area as its 12-digit division code (统计用区划代码)."""

    def to_representation(self, value: Any) -> str:
        return str(value.code)


class FacilityOut(serializers.ModelSerializer[Facility]):
    area_code = AreaCode(source="area", read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "kind",
            "licence_number",
            "address",
            "area_code",
            "status",
        ]


class TerminationOut(serializers.ModelSerializer[TerminationRecord]):
    needs_verification = serializers.BooleanField(read_only=True)

    class Meta:
        model = TerminationRecord
        fields = [
            "id",
            "facility",
            "woman_name",
            "id_number_masked",
            "terminated_on",
            "gestational_weeks",
            "method",
            "operator",
            "verification",
            "needs_verification",
            "recorded_at",
        ]


class ExamOut(serializers.ModelSerializer[UltrasoundExam]):
    """One exam of the real-name ultrasound register (B超检查实名登记); `off_file`:
    the device or the operator is not on file (a finding, docs/registers.md §2)."""

    village_code = AreaCode(source="village", read_only=True, allow_null=True)
    off_file = serializers.BooleanField(read_only=True)

    class Meta:
        model = UltrasoundExam
        fields = [
            "id",
            "facility",
            "woman_name",
            "id_number_masked",
            "village_code",
            "examined_on",
            "gestational_weeks",
            "purpose",
            "indication",
            "device_serial",
            "operator_name",
            "off_file",
            "source",
            "recorded_at",
        ]


class GeneticTestOut(serializers.ModelSerializer[GeneticTest]):
    """One chromosome or cell-free DNA test of the prenatal register (产前遗传学检测
    实名登记). `licence`: the facility's licence valid on the test date that covers the
    test, null when none did; `unlicensed` and `sex_disclosure` are the two findings
    (docs/registers.md §7.1), each also an alert for the facility's township."""

    village_code = AreaCode(source="village", read_only=True, allow_null=True)
    unlicensed = serializers.BooleanField(source="is_unlicensed", read_only=True)
    sex_disclosure = serializers.BooleanField(
        source="is_sex_disclosure", read_only=True
    )

    class Meta:
        model = GeneticTest
        fields = [
            "id",
            "facility",
            "woman_name",
            "id_number_masked",
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
            "licence",
            "unlicensed",
            "sex_disclosure",
            "recorded_at",
        ]


class ChildOut(serializers.ModelSerializer[DeliveryChild]):
    class Meta:
        model = DeliveryChild
        fields = [
            "position",
            "sex",
            "outcome",
            "birth_order",
            "birth_certificate_number",
        ]


class DeliveryOut(serializers.ModelSerializer[FacilityDelivery]):
    """One delivery of the facility's register (分娩实名登记) with its children."""

    village_code = AreaCode(source="village", read_only=True, allow_null=True)
    children = ChildOut(many=True, read_only=True)

    class Meta:
        model = FacilityDelivery
        fields = [
            "id",
            "facility",
            "woman_name",
            "id_number_masked",
            "village_code",
            "delivered_on",
            "source",
            "children",
            "recorded_at",
        ]


class ChildIn(serializers.Serializer[Any]):
    """A newborn: sex M/F; outcome live (default) or stillbirth; birth order and birth
    certificate number (出生医学证明编号) when known."""

    sex = serializers.CharField(help_text="M / F")
    outcome = serializers.CharField(required=False, help_text="live / stillbirth")
    birth_order = serializers.IntegerField(required=False, allow_null=True)
    birth_certificate_number = serializers.CharField(required=False, allow_blank=True)


class WomanOut(serializers.ModelSerializer[Woman]):
    village_code = AreaCode(source="village", read_only=True)

    class Meta:
        model = Woman
        fields = ["id", "name", "id_number_masked", "birth_on", "village_code"]


class PregnancyOut(serializers.ModelSerializer[Pregnancy]):
    village_code = AreaCode(source="village", read_only=True)
    woman_name = serializers.CharField(source="woman.name", read_only=True)

    class Meta:
        model = Pregnancy
        fields = [
            "id",
            "woman",
            "woman_name",
            "village_code",
            "status",
            "registered_on",
            "lmp_on",
            "due_on",
            "birth_order",
            "next_due_on",
            "overdue_visits",
        ]


class AlertOut(serializers.ModelSerializer[Alert]):
    area_code = AreaCode(source="area", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "area_code",
            "summary",
            "opened_at",
            "status",
            "resolved_at",
        ]


class MeOut(serializers.Serializer[Any]):
    username = serializers.CharField()
    role = serializers.CharField()
    area_code = serializers.CharField()
    facility = serializers.IntegerField(allow_null=True)


# Built with type(): a declared attribute named `errors` would hide Serializer.errors.
ErrorOut = type(
    "ErrorOut",
    (serializers.Serializer,),
    {
        "__doc__": "错误：detail 为一句中文说明；输入有误时 errors 按字段列出提示。",
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)


class PageQuery(serializers.Serializer[Any]):
    page = serializers.IntegerField(required=False, min_value=1, max_value=10**6)


class SinceQuery(PageQuery):
    since = serializers.DateField(
        required=False, help_text="只列出此日期及以后的记录 (YYYY-MM-DD)"
    )


def paged(item: type[serializers.Serializer[Any]]) -> type[serializers.Serializer[Any]]:
    """The page envelope of a list (DRF's PageNumberPagination)."""
    return type(
        f"{item.__name__.removesuffix('Out')}Page",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )
