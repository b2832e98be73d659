"""Prenatal diagnosis licences and the genetic test register (产前诊断许可、染色体及
无创DNA检测登记, issue 17 item 3). Keyword-only, atomic, audited.

Rules (docs/registers.md §7): a test needs a licence of the facility valid on the
test date whose scope covers the test (chromosome diagnosis needs 产前诊断;
cell-free DNA screening 产前筛查 or 产前诊断); otherwise the entry is saved (the
register holds what happened) and a `genetic_test_unlicensed` alert opens for the
facility's township. A result whose report states the fetal sex without a
sex-linked disease indication opens `genetic_test_sex_reported`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.files.services import Upload, store_upload
from srbgov.providers.models import (
    SCOPES_FOR_TEST,
    Facility,
    GeneticTest,
    GeneticTestKind,
    LicenceScope,
    PrenatalLicence,
    TestIndication,
    TestResult,
)
from srbgov.providers.services.realname import check_entry, real_name

if TYPE_CHECKING:
    from srbgov.accounts.models import User

TEST_SUBJECT = "providers.genetictest"


@transaction.atomic
def save_prenatal_licence(
    *,
    by: User,
    facility: Facility,
    number: str,
    scope: str,
    valid_from: date,
    valid_to: date,
    scan: Upload | None = None,
) -> PrenatalLicence:
    """File a facility's licence for prenatal diagnosis (or screening)."""
    if not by.scope.contains(facility.area):
        raise ValidationError({"facility": [_("只能登记本辖区机构的许可。")]})
    if facility.is_pharmacy:
        raise ValidationError({"facility": [_("药店不能取得产前诊断许可。")]})
    if scope not in LicenceScope.values:
        raise ValidationError({"scope": [_("请选择许可范围。")]})
    if not number.strip():
        raise ValidationError({"number": [_("请填写许可证号。")]})
    if valid_to <= valid_from:
        raise ValidationError({"valid_to": [_("有效期至必须晚于有效期起。")]})
    licence = PrenatalLicence(
        facility=facility,
        number=number.strip(),
        scope=scope,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=by,
    )
    if scan is not None:
        licence.scan = store_upload(by=by, upload=scan, folder="licences", field="scan")
    licence.full_clean()
    licence.save()
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=licence,
        detail={"scope": scope, "valid_to": valid_to.isoformat()},
    )
    return licence


def licence_covering(
    *, facility: Facility, kind: str, on: date
) -> PrenatalLicence | None:
    """The facility's licence valid on `on` whose scope allows the test, if any."""
    return (
        PrenatalLicence.objects.filter(
            facility=facility,
            valid_from__lte=on,
            valid_to__gte=on,
            scope__in=SCOPES_FOR_TEST[kind],
        )
        .order_by("-valid_to")
        .first()
    )


def _village(code: str) -> Area | None:
    code = code.strip()
    if not code:
        return None
    village = Area.objects.filter(code=code, level=AreaLevel.VILLAGE).first()
    if village is None:
        raise ValidationError({"village_code": [_("没有这个村级区划代码。")]})
    return village


def _raise_sex_finding(test: GeneticTest) -> None:
    if not test.is_sex_disclosure:
        return
    raise_alert(
        kind=AlertKind.GENETIC_TEST_SEX_REPORTED,
        area=test.facility.area,
        subject_type=TEST_SUBJECT,
        subject_id=test.pk,
        summary=_("%(facility)s %(date)s %(kind)s报告载明胎儿性别，指征为“%(why)s”")
        % {
            "facility": test.facility.name,
            "date": test.ordered_on.isoformat(),
            "kind": test.get_kind_display(),
            "why": test.get_indication_display(),
        },
    )


def _check_result(
    test_on: date, result: str, result_on: date | None, reports_sex: bool
) -> None:
    if result not in TestResult.values:
        raise ValidationError({"result": [_("请选择检测结果。")]})
    if result == TestResult.PENDING:
        if result_on is not None or reports_sex:
            raise ValidationError({"result": [_("待出结果时不能填写结果日期或性别。")]})
        return
    if result_on is None:
        raise ValidationError({"result_on": [_("请填写出结果日期。")]})
    if result_on < test_on or result_on > timezone.localdate():
        raise ValidationError(
            {"result_on": [_("出结果日期应在检测日期之后、今天之前。")]}
        )


@transaction.atomic
def record_genetic_test(
    *,
    facility: Facility,
    recorded_by: User,
    id_number: str,
    woman_name: str,
    kind: str,
    ordered_on: date,
    gestational_weeks: int,
    indication: str,
    indication_note: str = "",
    village_code: str = "",
    result: str = TestResult.PENDING,
    result_on: date | None = None,
    result_note: str = "",
    reports_sex: bool = False,
) -> GeneticTest:
    """Enter one chromosome or cell-free DNA test; raise the findings it shows."""
    if kind not in GeneticTestKind.values:
        raise ValidationError({"kind": [_("请选择检测项目。")]})
    if indication not in TestIndication.values:
        raise ValidationError({"indication": [_("请选择检测指征。")]})
    check_entry(
        facility=facility,
        pharmacy_refused=_("药店不能登记遗传学检测。"),
        on=ordered_on,
        on_field="ordered_on",
        future_refused=_("检测日期不能晚于今天。"),
        gestational_weeks=gestational_weeks,
    )
    needs_note = indication in (TestIndication.SEX_LINKED, TestIndication.OTHER)
    if needs_note and not indication_note.strip():
        raise ValidationError(
            {"indication_note": [_("伴性遗传病或其他指征须写明病种或指征。")]}
        )
    _check_result(ordered_on, result, result_on, reports_sex)
    name = real_name(name=woman_name, id_number=id_number)
    village = _village(village_code)
    if village is None and name.woman is not None:
        village = name.woman.village
    test = GeneticTest(
        facility=facility,
        kind=kind,
        ordered_on=ordered_on,
        gestational_weeks=gestational_weeks,
        indication=indication,
        indication_note=indication_note.strip(),
        result=result,
        result_on=result_on,
        result_note=result_note.strip(),
        reports_sex=reports_sex,
        licence=licence_covering(facility=facility, kind=kind, on=ordered_on),
        village=village,
        recorded_by=recorded_by,
    )
    name.apply(test)
    test.full_clean()
    test.save()
    if test.is_unlicensed:
        raise_alert(
            kind=AlertKind.GENETIC_TEST_UNLICENSED,
            area=facility.area,
            subject_type=TEST_SUBJECT,
            subject_id=test.pk,
            summary=_("%(facility)s %(date)s %(kind)s：检测日无有效产前诊断许可")
            % {
                "facility": facility.name,
                "date": ordered_on.isoformat(),
                "kind": test.get_kind_display(),
            },
        )
    _raise_sex_finding(test)
    record(
        user=recorded_by,
        action=AuditAction.CREATE,
        obj=test,
        detail={
            "kind": kind,
            "indication": indication,
            "unlicensed": test.is_unlicensed,
            "reports_sex": reports_sex,
        },
    )
    return test


@transaction.atomic
def record_test_result(
    *,
    by: User,
    test: GeneticTest,
    result: str,
    result_on: date | None,
    result_note: str = "",
    reports_sex: bool = False,
) -> GeneticTest:
    """Enter (or correct) the result of a test; a report naming the sex without a
    sex-linked indication is a finding."""
    entry = GeneticTest.objects.select_for_update().get(pk=test.pk)
    _check_result(entry.ordered_on, result, result_on, reports_sex)
    before = {"result": entry.result, "reports_sex": entry.reports_sex}
    entry.result = result
    entry.result_on = result_on
    entry.result_note = result_note.strip()
    entry.reports_sex = reports_sex
    entry.full_clean()
    entry.save(update_fields=["result", "result_on", "result_note", "reports_sex"])
    _raise_sex_finding(entry)
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=entry,
        detail={
            "before": before,
            "after": {"result": result, "reports_sex": reports_sex},
        },
    )
    return entry
