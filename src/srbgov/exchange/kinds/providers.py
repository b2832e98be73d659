"""Importing the provider registers (issue 13 item 1): facilities (医疗机构), their
ultrasound devices (B超设备) and staff (从业人员), the real-name termination
register (终止妊娠实名登记), the real-name ultrasound exam register (B超检查实名登记)
and the delivery register (分娩实名登记), row by row through the services of
`providers` (`save_facility`, `save_device`, `save_practitioner`,
`record_termination`, `record_ultrasound_exam`, `record_facility_delivery`), so that
every check and message is the registry pages' (exchange/kinds/rows.py,
docs/import.md §1).

A facility named in a row must be one the user keeps (`kept_facilities_for_user`):
a facility of another township is an error of the row, never a silent skip; an area
outside the user's is the service's own error ("只能登记本辖区内的机构。").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from srbgov.accounts.roles import can_keep_facilities, is_facility_clerk
from srbgov.areas.models import Area
from srbgov.exchange.kinds.base import ColumnSpec, Problem
from srbgov.exchange.kinds.rows import (
    NOTE_COLUMN,
    Prepared,
    RowProblems,
    ServiceKind,
    choice_cell,
    date_cell,
    gather,
)
from srbgov.exchange.tabular import EXAMPLE_MARK
from srbgov.people.crypto import identity_cipher
from srbgov.people.identity import NUMBER_SHAPE, normalize
from srbgov.providers import access
from srbgov.providers import services as providers
from srbgov.providers.models import (
    ChildOutcome,
    ChildSex,
    DeliveryChild,
    DeliverySource,
    DeviceStatus,
    ExamPurpose,
    Facility,
    FacilityDelivery,
    FacilityKind,
    FacilityStatus,
    Practitioner,
    PractitionerKind,
    TerminationMethod,
    TerminationRecord,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.services.deliveries import MAX_BIRTH_ORDER

if TYPE_CHECKING:
    from srbgov.accounts.models import User

FACILITY = "机构名称"
AREA = "所在区划"
YES_NO = {"是": True, "否": False}


def _text(values: dict[str, str], key: str) -> str:
    return values.get(key, "").strip()


def _required(row: int, raw: str, column: str) -> str:
    if not raw:
        raise RowProblems([Problem(row, column, f"请填写{column}。")])
    return raw


def _yes_no(row: int, raw: str, column: str, *, default: bool) -> bool:
    if not raw:
        return default
    if raw not in YES_NO:
        raise RowProblems([Problem(row, column, f"{column}只能填写“是”或“否”。")])
    return YES_NO[raw]


def _weeks(row: int, raw: str, column: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise RowProblems([Problem(row, column, f"{column}请填写整数周数。")])
    return int(raw)


def kept_facility(by: User, row: int, raw: str, column: str = FACILITY) -> Facility:
    """A facility the user keeps, by its name or its licence number; one of another
    area is the same error as one that does not exist (docs/access.md)."""
    raw = _required(row, raw, column)
    kept = access.kept_facilities_for_user(by)
    found = list(kept.filter(name=raw)[:2]) or list(kept.filter(licence_number=raw)[:2])
    if len(found) != 1:
        message = (
            f"本辖区有{len(found)}个名为“{raw}”的机构：请填写执业许可证号。"
            if found
            else f"本辖区没有名为“{raw}”的机构：请先登记机构，或核对名称。"
        )
        raise RowProblems([Problem(row, column, message)])
    return found[0]


def writes_registers(user: User) -> bool:
    """Who imports the real-name registers (terminations, exams): the keepers, and a
    facility clerk linked to her facility, as on the register pages
    (`providers.views.terminations`, `providers.views.exams`)."""
    if is_facility_clerk(user):
        return access.clerk_facility_id(user) is not None
    return can_keep_facilities(user)


def number_hash(raw: str) -> str:
    """The keyed hash a register entry is found by (never the number); a malformed
    number stands for itself, and the service refuses it at the row."""
    number = normalize(raw)
    return (
        identity_cipher().lookup_hash(number)
        if NUMBER_SHAPE.fullmatch(number)
        else number
    )


def register_key(
    by: User, row: int, values: dict[str, str], day: str, *, what: str
) -> str | None:
    """A real-name register row's key from its cells (`ServiceKind.early_key`): the
    facility, the keyed hash of the number and the day, as `prepare` makes it; None
    when a cell does not parse (then `prepare` says why)."""
    number = _text(values, "id_number")
    try:
        facility = termination_facility(
            by, row, _text(values, "facility"), "机构", what=what
        )
        on = date_cell(row, _text(values, day), day, required=True)
    except RowProblems:
        return None
    return f"{facility.pk}:{number_hash(number)}:{on}" if number else None


def entry_cells(
    by: User,
    row: int,
    values: dict[str, str],
    *,
    what: str,
    name: str,
    name_header: str,
    day: str,
    day_header: str,
    id_argument: str = "id_number",
) -> list[tuple[str, Callable[[], Any]]]:
    """The cells a real-name register row begins with, for `gather`: the facility
    (`termination_facility`), the person's name and identity number, the day."""
    return [
        (
            "facility",
            lambda: termination_facility(
                by, row, _text(values, "facility"), "机构", what=what
            ),
        ),
        (name, lambda: _required(row, _text(values, name), name_header)),
        (id_argument, lambda: _required(row, _text(values, "id_number"), ID_NUMBER)),
        (
            day,
            lambda: date_cell(row, _text(values, day), day_header, required=True),
        ),
    ]


def termination_facility(
    by: User, row: int, raw: str, column: str, *, what: str = "手术"
) -> Facility:
    """The facility of a termination row: as on the register page, a keeper's
    facilities of her area, a facility clerk's own one only (not a pharmacy).
    Another facility is an error of the row, never a skip (docs/import.md §1a)."""
    raw = _required(row, raw, column)
    if not is_facility_clerk(by):
        return kept_facility(by, row, raw, column)
    facility_id = access.clerk_facility_id(by)
    own = (
        access.facilities_for_user(by).exclude(kind=FacilityKind.PHARMACY).first()
        if facility_id is not None
        else None
    )
    if own is None:
        raise RowProblems(
            [Problem(row, column, "您的账号尚未关联机构，请联系乡镇卫生院。")]
        )
    if raw not in {own.name, own.licence_number}:
        raise RowProblems(
            [
                Problem(
                    row,
                    column,
                    f"只能登记本机构（{own.name}）的{what}：请填写本机构名称或执业许可证号。",
                )
            ]
        )
    return own


def area_cell(by: User, row: int, raw: str) -> Area:
    """An area (township or village) by its 12-digit code, its name or "镇名 村名".
    One outside the user's area is returned as it is: the service refuses it with
    its own message."""
    raw = _required(row, raw, AREA)
    areas = Area.objects.select_related("parent")
    parts = raw.split()
    if raw.isascii() and raw.isdigit():
        candidates = list(areas.filter(code=raw))
    elif len(parts) == 2:
        candidates = list(areas.filter(parent__name=parts[0], name=parts[1]))
    else:
        candidates = list(areas.filter(name=raw))
    if not candidates:
        raise RowProblems(
            [Problem(row, AREA, f"没有名为“{raw}”的区划：请填写名称或12位区划代码。")]
        )
    inside = [a for a in candidates if by.scope.contains(a)]
    if len(inside) > 1:
        raise RowProblems(
            [
                Problem(
                    row,
                    AREA,
                    f"本辖区有{len(inside)}个“{raw}”：请写“镇名 村名”或12位区划代码。",
                )
            ]
        )
    return inside[0] if inside else candidates[0]


FACILITY_COLUMN = ColumnSpec(
    "facility",
    FACILITY,
    True,
    EXAMPLE_MARK + "甲镇卫生院",
    "已登记的本辖区机构的名称或执业许可证号。以“【示例】”开头的行不导入。",
)


class FacilitiesKind(ServiceKind):
    slug = "facilities"
    role = staticmethod(can_keep_facilities)
    service = staticmethod(providers.save_facility)
    label = "医疗机构"
    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "name",
            FACILITY,
            True,
            EXAMPLE_MARK + "甲镇卫生院",
            "机构全称。执业许可证号或（名称+所在区划）已登记的，按本行更新。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec(
            "kind",
            "机构类别",
            True,
            "乡镇卫生院",
            "医院、乡镇卫生院、个体诊所、村卫生室 或 药店。",
        ),
        ColumnSpec(
            "area",
            AREA,
            True,
            "甲镇",
            "乡镇或村的名称、“镇名 村名”或12位区划代码；只能是本辖区内的。",
        ),
        ColumnSpec("licence_number", "执业许可证号", False, "PDY12345", "可不填。"),
        ColumnSpec("address", "地址", False, "甲镇中街1号", "可不填。"),
        ColumnSpec("head_name", "负责人", False, "李院长", "可不填。"),
        ColumnSpec("phone", "联系电话", False, "0851-1234567", "可不填。"),
        ColumnSpec(
            "status",
            "状态",
            False,
            "正常执业",
            "正常执业、暂停执业 或 已关闭；不填为正常执业。",
        ),
    )
    notes: Sequence[str] = (
        "每行一个医疗机构；检查规则与“登记医疗机构”页面相同。",
        "同一机构（执业许可证号，或名称和所在区划）在同一文件中出现两次的，只导入第一行。",
    )
    field_columns = {
        "name": FACILITY,
        "kind": "机构类别",
        "area": AREA,
        "licence_number": "执业许可证号",
        "address": "地址",
        "head_name": "负责人",
        "phone": "联系电话",
        "status": "状态",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            ("name", lambda: _required(row, _text(values, "name"), FACILITY)),
            (
                "kind",
                lambda: choice_cell(
                    row, _text(values, "kind"), "机构类别", FacilityKind
                ),
            ),
            ("area", lambda: area_cell(by, row, _text(values, "area"))),
            (
                "status",
                lambda: choice_cell(
                    row, _text(values, "status") or "open", "状态", FacilityStatus
                ),
            ),
        )
        if problems:
            raise RowProblems(problems)
        for key in ("licence_number", "address", "head_name", "phone"):
            arguments[key] = _text(values, key)
        existing = self._existing(by, arguments)
        arguments["facility"] = existing
        licence = arguments["licence_number"]
        key = (
            f"licence:{licence}"
            if licence
            else f"name:{arguments['area'].pk}:{arguments['name']}"
        )
        return Prepared(row, key, arguments, update=existing is not None)

    def _existing(self, by: User, arguments: dict[str, Any]) -> Facility | None:
        kept = access.kept_facilities_for_user(by)
        if licence := arguments["licence_number"]:
            found = kept.filter(licence_number=licence).first()
            if found is not None:
                return found
        return kept.filter(area=arguments["area"], name=arguments["name"]).first()


class DevicesKind(ServiceKind):
    slug = "devices"
    role = staticmethod(can_keep_facilities)
    service = staticmethod(providers.save_device)
    label = "B超设备"
    columns: Sequence[ColumnSpec] = (
        FACILITY_COLUMN,
        ColumnSpec("model_name", "型号", True, "DC-70", "设备型号。"),
        ColumnSpec(
            "serial_number",
            "出厂编号",
            True,
            "SN2024001",
            "按铭牌填写；本机构已登记该编号的，按本行更新。",
        ),
        ColumnSpec("purchased_on", "购置日期", False, "2024-03-08", "可不填。"),
        ColumnSpec("filed_on", "备案日期", False, "2024-04-01", "未备案不填。"),
        ColumnSpec("room", "安放科室/房间", False, "B超室", "可不填。"),
        ColumnSpec(
            "is_fetal_sex_capable",
            "可鉴定胎儿性别",
            False,
            "是",
            "是 或 否；不填为是。",
        ),
        ColumnSpec("status", "状态", False, "在用", "在用、停用 或 报废；不填为在用。"),
    )
    notes: Sequence[str] = (
        "每行一台设备；检查规则与“登记B超设备”页面相同。",
        "同一机构同一出厂编号在同一文件中出现两次的，只导入第一行。",
    )
    field_columns = {
        "facility": FACILITY,
        "model_name": "型号",
        "serial_number": "出厂编号",
        "purchased_on": "购置日期",
        "filed_on": "备案日期",
        "room": "安放科室/房间",
        "status": "状态",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            ("facility", lambda: kept_facility(by, row, _text(values, "facility"))),
            ("model_name", lambda: _required(row, _text(values, "model_name"), "型号")),
            (
                "serial_number",
                lambda: _required(row, _text(values, "serial_number"), "出厂编号"),
            ),
            (
                "purchased_on",
                lambda: date_cell(
                    row, _text(values, "purchased_on"), "购置日期", required=False
                ),
            ),
            (
                "filed_on",
                lambda: date_cell(
                    row, _text(values, "filed_on"), "备案日期", required=False
                ),
            ),
            (
                "is_fetal_sex_capable",
                lambda: _yes_no(
                    row,
                    _text(values, "is_fetal_sex_capable"),
                    "可鉴定胎儿性别",
                    default=True,
                ),
            ),
            (
                "status",
                lambda: choice_cell(
                    row, _text(values, "status") or "in_use", "状态", DeviceStatus
                ),
            ),
        )
        if problems:
            raise RowProblems(problems)
        arguments["room"] = _text(values, "room")
        facility: Facility = arguments["facility"]
        arguments["device"] = existing = UltrasoundDevice.objects.filter(
            facility=facility, serial_number=arguments["serial_number"]
        ).first()
        key = f"{facility.pk}:{arguments['serial_number']}"
        return Prepared(row, key, arguments, update=existing is not None)


class StaffKind(ServiceKind):
    slug = "staff"
    role = staticmethod(can_keep_facilities)
    service = staticmethod(providers.save_practitioner)
    label = "从业人员"
    columns: Sequence[ColumnSpec] = (
        FACILITY_COLUMN,
        ColumnSpec(
            "name",
            "姓名",
            True,
            "王医生",
            "本机构已有同名同岗位人员的，按本行更新。",
        ),
        ColumnSpec(
            "kind",
            "岗位",
            True,
            "B超操作人员",
            "B超操作人员、终止妊娠手术人员 或 药师/药品销售人员。",
        ),
        ColumnSpec("qualification", "执业资格", False, "执业医师", "可不填。"),
        ColumnSpec("qualification_number", "资格证书编号", False, "", "可不填。"),
        ColumnSpec("phone", "联系电话", False, "", "可不填。"),
        ColumnSpec("is_active", "在岗", False, "是", "是 或 否；不填为是。"),
    )
    notes: Sequence[str] = (
        "每行一名从业人员；检查规则与“登记从业人员”页面相同。",
        "同一机构同名同岗位的人员在同一文件中出现两次的，只导入第一行。",
    )
    field_columns = {
        "facility": FACILITY,
        "name": "姓名",
        "kind": "岗位",
        "qualification": "执业资格",
        "qualification_number": "资格证书编号",
        "phone": "联系电话",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            ("facility", lambda: kept_facility(by, row, _text(values, "facility"))),
            ("name", lambda: _required(row, _text(values, "name"), "姓名")),
            (
                "kind",
                lambda: choice_cell(
                    row, _text(values, "kind"), "岗位", PractitionerKind
                ),
            ),
            (
                "is_active",
                lambda: _yes_no(row, _text(values, "is_active"), "在岗", default=True),
            ),
        )
        if problems:
            raise RowProblems(problems)
        for key in ("qualification", "qualification_number", "phone"):
            arguments[key] = _text(values, key)
        facility: Facility = arguments["facility"]
        arguments["practitioner"] = existing = Practitioner.objects.filter(
            facility=facility, name=arguments["name"], kind=arguments["kind"]
        ).first()
        key = f"{facility.pk}:{arguments['kind']}:{arguments['name']}"
        return Prepared(row, key, arguments, update=existing is not None)


ID_NUMBER = "身份证号码"
OPERATOR = "手术人员"


class TerminationsKind(ServiceKind):
    """终止妊娠实名登记: one operation per row through `record_termination` (the
    register page's service): 14 weeks or more without a verification is registered
    and raises the page's alert; her only unused verification is linked as the page
    links it."""

    slug = "terminations"
    role = staticmethod(can_keep_facilities)
    service = staticmethod(providers.record_termination)
    label = "终止妊娠登记"

    def allowed(self, user: User) -> bool:
        return writes_registers(user)

    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "facility",
            "机构",
            True,
            EXAMPLE_MARK + "甲镇卫生院",
            "施术机构：已登记的本辖区机构的名称或执业许可证号。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec("woman_name", "妇女姓名", True, "孙丽", "本人姓名。"),
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            "520999199503080021",
            "18位公民身份号码；加密保存，列表只显示部分号码。请把该列设为文本格式。",
        ),
        ColumnSpec("terminated_on", "手术日期", True, "2026-11-20", "不能晚于今天。"),
        ColumnSpec("gestational_weeks", "孕周", True, "8", "1–42的整数。"),
        ColumnSpec(
            "method",
            "方式",
            True,
            "负压吸引术",
            "药物流产、负压吸引术、钳刮术 或 中期引产。",
        ),
        ColumnSpec(
            "operator",
            OPERATOR,
            True,
            "刘医生",
            "本机构登记的岗位为“终止妊娠手术人员”的人员姓名。",
        ),
        ColumnSpec("medical_reason", "医学原因", True, "本人要求", "必填。"),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一例手术；检查规则与“终止妊娠实名登记”页面相同。",
        "14周及以上尚无查验的仍会登记，并发出预警；该妇女在本机构有唯一未使用的查验时自动关联。",
        "同一妇女同一天在同一机构的手术在文件中出现两次、或登记簿中已有的，本行跳过。",
    )
    field_columns = {
        "facility": "机构",
        "woman_name": "妇女姓名",
        "id_number": ID_NUMBER,
        "terminated_on": "手术日期",
        "gestational_weeks": "孕周",
        "method": "方式",
        "operator": OPERATOR,
        "medical_reason": "医学原因",
        "verification": ID_NUMBER,
        "__all__": ID_NUMBER,
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            *entry_cells(
                by,
                row,
                values,
                what="手术",
                name="woman_name",
                name_header="妇女姓名",
                day="terminated_on",
                day_header="手术日期",
            ),
            (
                "gestational_weeks",
                lambda: _weeks(row, _text(values, "gestational_weeks"), "孕周"),
            ),
            (
                "method",
                lambda: choice_cell(
                    row, _text(values, "method"), "方式", TerminationMethod
                ),
            ),
            (
                "medical_reason",
                lambda: _required(row, _text(values, "medical_reason"), "医学原因"),
            ),
        )
        operator_name = _text(values, "operator")
        if "facility" in arguments:
            try:
                arguments["operator"] = self._operator(
                    row, arguments["facility"], operator_name
                )
            except RowProblems as found:
                problems.extend(found.problems)
        if problems:
            raise RowProblems(problems)
        facility: Facility = arguments["facility"]
        # The file's own duplicates and the register's: the same woman, day and
        # facility is one operation (the key is her keyed hash, never the number).
        woman = number_hash(arguments["id_number"])
        if TerminationRecord.objects.filter(
            facility=facility,
            id_number_hash=woman,
            terminated_on=arguments["terminated_on"],
        ).exists():
            raise RowProblems(
                [
                    Problem(
                        row,
                        ID_NUMBER,
                        "登记簿中已有该妇女同日在本机构的手术记录，本行跳过。",
                        is_duplicate=True,
                    )
                ]
            )
        key = f"{facility.pk}:{woman}:{arguments['terminated_on']}"
        return Prepared(row, key, arguments)

    def early_key(self, *, by: User, row: int, values: dict[str, str]) -> str | None:
        return register_key(by, row, values, "terminated_on", what="手术")

    def _operator(self, row: int, facility: Facility, name: str) -> Practitioner:
        name = _required(row, name, OPERATOR)
        found = list(
            Practitioner.objects.filter(
                facility=facility, name=name, kind=PractitionerKind.TERMINATION
            )[:2]
        )
        if len(found) != 1:
            message = (
                f"本机构有{len(found)}名叫“{name}”的手术人员：请在页面逐条登记。"
                if found
                else f"本机构没有登记岗位为“终止妊娠手术人员”的“{name}”。"
            )
            raise RowProblems([Problem(row, OPERATOR, message)])
        return found[0]


class ExamsKind(ServiceKind):
    """B超检查实名登记: one exam per row through `record_ultrasound_exam` (the register
    page's service): a device or operator not on file is recorded and is itself a
    finding, as on the page. Written by the same users as the termination register."""

    slug = "exams"
    role = staticmethod(can_keep_facilities)
    label = "B超检查登记"

    def allowed(self, user: User) -> bool:
        return writes_registers(user)

    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "facility",
            "机构",
            True,
            EXAMPLE_MARK + "甲镇卫生院",
            "检查机构：已登记的本辖区机构的名称或执业许可证号。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec("woman_name", "孕妇姓名", True, "孙丽", "本人姓名。"),
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            "520999199503080021",
            "18位公民身份号码；加密保存，列表只显示部分号码。请把该列设为文本格式。",
        ),
        ColumnSpec("examined_on", "检查日期", True, "2026-11-20", "不能晚于今天。"),
        ColumnSpec(
            "device_serial",
            "设备出厂编号",
            True,
            "SN-0001",
            "本机构备案的B超设备出厂编号；未备案的设备照样登记，并作为问题发现。",
        ),
        ColumnSpec(
            "operator_name",
            "操作人员",
            True,
            "刘医生",
            "该设备备案的操作人员姓名；未备案的照样登记，并作为问题发现。",
        ),
        ColumnSpec("gestational_weeks", "孕周", True, "16", "1–42的整数。"),
        ColumnSpec(
            "purpose",
            "检查目的",
            True,
            "常规产前检查",
            "、".join(str(label) for label in ExamPurpose.labels) + " 之一。",
        ),
        ColumnSpec(
            "indication", "指征说明", False, "", "检查目的为“其他医学指征”时必填。"
        ),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一次检查；检查规则与“B超检查实名登记”页面相同。",
        "设备或操作人员未在本机构备案的，照样登记，并作为问题发现交乡镇核查。",
        "同一孕妇同一天在同一机构用同一设备的检查在文件中出现两次、或登记簿中已有的，本行跳过。",
    )
    field_columns = {
        "facility": "机构",
        "woman_name": "孕妇姓名",
        "id_number": ID_NUMBER,
        "examined_on": "检查日期",
        "device_serial": "设备出厂编号",
        "operator_name": "操作人员",
        "gestational_weeks": "孕周",
        "purpose": "检查目的",
        "indication": "指征说明",
        "__all__": ID_NUMBER,
    }

    def apply(self, *, by: User, arguments: dict[str, Any]) -> None:
        # The register's service names its writer `recorded_by`, not `by=`.
        providers.record_ultrasound_exam(recorded_by=by, **arguments)

    def early_key(self, *, by: User, row: int, values: dict[str, str]) -> str | None:
        key = register_key(by, row, values, "examined_on", what="检查")
        serial = _text(values, "device_serial")
        return f"{key}:{serial}" if key is not None and serial else None

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            *entry_cells(
                by,
                row,
                values,
                what="检查",
                name="woman_name",
                name_header="孕妇姓名",
                day="examined_on",
                day_header="检查日期",
            ),
            (
                "device_serial",
                lambda: _required(row, _text(values, "device_serial"), "设备出厂编号"),
            ),
            (
                "operator_name",
                lambda: _required(row, _text(values, "operator_name"), "操作人员"),
            ),
            (
                "gestational_weeks",
                lambda: _weeks(row, _text(values, "gestational_weeks"), "孕周"),
            ),
            (
                "purpose",
                lambda: choice_cell(
                    row, _text(values, "purpose"), "检查目的", ExamPurpose
                ),
            ),
        )
        if problems:
            raise RowProblems(problems)
        arguments["indication"] = _text(values, "indication")
        facility: Facility = arguments["facility"]
        woman = number_hash(arguments["id_number"])
        serial = arguments["device_serial"].strip()
        if UltrasoundExam.objects.filter(
            facility=facility,
            id_number_hash=woman,
            examined_on=arguments["examined_on"],
            device_serial=serial,
        ).exists():
            raise RowProblems(
                [
                    Problem(
                        row,
                        ID_NUMBER,
                        "登记簿中已有该孕妇同日在本机构用该设备的检查，本行跳过。",
                        is_duplicate=True,
                    )
                ]
            )
        key = f"{facility.pk}:{woman}:{arguments['examined_on']}:{serial}"
        return Prepared(row, key, arguments)


# The delivery register's rows carry up to three children, as its form does (the
# service takes six; a fourth child is entered on the page).
DELIVERY_CHILDREN = 3
CHILD_SEX = "第%d个新生儿性别"
CHILD_OUTCOME = "第%d个新生儿结局"
CHILD_ORDER = "第%d个新生儿孩次"
CHILD_CERTIFICATE = "第%d个新生儿出生医学证明编号"
# The form's limit: the model's column, so that the row names its cell instead of
# the service's full_clean failing without one.
CERTIFICATE_MAX = (
    DeliveryChild._meta.get_field("birth_certificate_number").max_length or 40
)


def _child_columns(n: int) -> tuple[ColumnSpec, ...]:
    first = n == 1
    return (
        ColumnSpec(
            f"child{n}_sex",
            CHILD_SEX % n,
            first,
            "男" if first else "",
            "男 或 女。" if first else "双胎、多胎时填写；单胎留空。",
        ),
        ColumnSpec(
            f"child{n}_outcome",
            CHILD_OUTCOME % n,
            False,
            "",
            "活产 或 死胎死产；不填为活产。",
        ),
        ColumnSpec(
            f"child{n}_order",
            CHILD_ORDER % n,
            False,
            "2" if first else "",
            "1–15的整数；可不填。",
        ),
        ColumnSpec(
            f"child{n}_certificate",
            CHILD_CERTIFICATE % n,
            False,
            "",
            "已签发的填写；未签发的以后在分娩登记页补录。死胎死产不填。",
        ),
    )


class DeliveriesKind(ServiceKind):
    """分娩实名登记: one delivery per row, with up to three children, through
    `record_facility_delivery` (the register page's and the API's service), entered
    with the source 批量导入. The reconciliation treats an imported delivery like one
    the clerk typed or a hospital system pushed (docs/reconciliation.md §5). Written by
    the same users as the other real-name registers."""

    slug = "deliveries"
    role = staticmethod(can_keep_facilities)
    label = "分娩实名登记"

    def allowed(self, user: User) -> bool:
        return writes_registers(user)

    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "facility",
            "机构",
            True,
            EXAMPLE_MARK + "甲镇卫生院",
            "接生机构：已登记的本辖区机构的名称或执业许可证号。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec("mother_name", "产妇姓名", True, "孙丽", "本人姓名。"),
        ColumnSpec(
            "id_number",  # the key the error report masks (exchange/report.py)
            ID_NUMBER,
            True,
            "520999199503080021",
            "产妇的18位公民身份号码；加密保存，列表只显示部分号码。请把该列设为文本格式。",
        ),
        ColumnSpec(
            "village_code",
            "产妇所在村区划代码",
            False,
            "",
            "12位村级区划代码；不填时取她在育龄妇女登记中的村。",
        ),
        ColumnSpec("delivered_on", "分娩日期", True, "2026-11-20", "不能晚于今天。"),
        *(
            column
            for n in range(1, DELIVERY_CHILDREN + 1)
            for column in _child_columns(n)
        ),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一次分娩；双胎、多胎在同一行填写第2、第3个新生儿。检查规则与“分娩实名登记”页面相同。",
        "同一产妇同一天在同一机构的分娩在文件中出现两次、或登记簿中已有的，本行跳过。",
        "导入的分娩与登记员录入的一样进入出生情况核对。",
    )
    field_columns = {
        "facility": "机构",
        "mother_name": "产妇姓名",
        # The register entry's own field, which full_clean names.
        "woman_name": "产妇姓名",
        "mother_id_number": ID_NUMBER,
        "village_code": "产妇所在村区划代码",
        "delivered_on": "分娩日期",
        # What the service still finds about the children after the row's own
        # checks is a certificate number already used in another delivery.
        "children": CHILD_CERTIFICATE % 1,
        "source": "机构",
        "__all__": ID_NUMBER,
    }

    def apply(self, *, by: User, arguments: dict[str, Any]) -> None:
        providers.record_facility_delivery(
            recorded_by=by, source=DeliverySource.IMPORT, **arguments
        )

    def early_key(self, *, by: User, row: int, values: dict[str, str]) -> str | None:
        return register_key(by, row, values, "delivered_on", what="分娩")

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            *entry_cells(
                by,
                row,
                values,
                what="分娩",
                name="mother_name",
                name_header="产妇姓名",
                day="delivered_on",
                day_header="分娩日期",
                id_argument="mother_id_number",
            ),
            (
                "village_code",
                lambda: _village_code(row, _text(values, "village_code")),
            ),
            ("children", lambda: _children(row, values)),
        )
        # A delivery already in the register is skipped whatever else the row says
        # (a file imported twice names its certificate numbers a second time),
        # unless its newborns differ: a sex that differs between the hospital's file
        # and the register is what the monitoring must see, not skip.
        if {"facility", "mother_id_number", "delivered_on"} <= arguments.keys():
            facility: Facility = arguments["facility"]
            mother = number_hash(arguments["mother_id_number"])
            entry = (
                FacilityDelivery.objects.filter(
                    facility=facility,
                    id_number_hash=mother,
                    delivered_on=arguments["delivered_on"],
                )
                .prefetch_related("children")
                .first()
            )
            if entry is not None:
                registered = sorted((c.sex, c.outcome) for c in entry.children.all())
                given = _newborns(values)
                if given is not None and sorted(given) != registered:
                    raise RowProblems(
                        [
                            Problem(
                                row,
                                CHILD_SEX % 1,
                                "登记簿中已有该产妇同日在本机构的分娩，但新生儿的人数、"
                                "性别或结局与本行不同：请核对，在分娩登记页更正。",
                            )
                        ]
                    )
                raise RowProblems(
                    [
                        Problem(
                            row,
                            ID_NUMBER,
                            "登记簿中已有该产妇同日在本机构的分娩，本行跳过。",
                            is_duplicate=True,
                        )
                    ]
                )
        if problems:
            raise RowProblems(problems)
        key = f"{facility.pk}:{mother}:{arguments['delivered_on']}"
        return Prepared(row, key, arguments)


def _newborns(values: dict[str, str]) -> list[tuple[str, str]] | None:
    """The row's newborns as (sex, outcome) codes, or None when a cell does not
    parse (then the row's own checks say why)."""
    sexes = {str(label): value for value, label in ChildSex.choices}
    outcomes = {str(label): value for value, label in ChildOutcome.choices}
    found: list[tuple[str, str]] = []
    for n in range(1, DELIVERY_CHILDREN + 1):
        sex = _text(values, f"child{n}_sex")
        outcome = _text(values, f"child{n}_outcome") or str(ChildOutcome.LIVE.label)
        if not sex:
            continue
        sex = sexes.get(sex, sex)
        outcome = outcomes.get(outcome, outcome)
        if sex not in ChildSex.values or outcome not in ChildOutcome.values:
            return None
        found.append((sex, outcome))
    return found


def _village_code(row: int, raw: str) -> str:
    # The service says whether the code is a village; the shape is the row's.
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) == 12):
        raise RowProblems(
            [Problem(row, "产妇所在村区划代码", "村级区划代码应为12位数字。")]
        )
    return raw


def _children(row: int, values: dict[str, str]) -> list[providers.ChildData]:
    """The row's children, each cell checked where it stands, so that an error names
    its column (the service's messages name only 新生儿)."""
    children: list[providers.ChildData] = []
    problems: list[Problem] = []
    numbers: dict[str, int] = {}
    for n in range(1, DELIVERY_CHILDREN + 1):
        sex_raw = _text(values, f"child{n}_sex")
        rest = [
            _text(values, f"child{n}_{part}")
            for part in ("outcome", "order", "certificate")
        ]
        if sex_raw and n > 1 and not _text(values, f"child{n - 1}_sex"):
            problems.append(
                Problem(
                    row,
                    CHILD_SEX % (n - 1),
                    f"已填写第{n}个新生儿，请按顺序从第{n - 1}个新生儿填起。",
                )
            )
        if not sex_raw:
            if n == 1:
                problems.append(Problem(row, CHILD_SEX % n, "请填写第1个新生儿性别。"))
            elif any(rest):
                problems.append(
                    Problem(
                        row,
                        CHILD_SEX % n,
                        f"已填写第{n}个新生儿的其他信息，请填写其性别。",
                    )
                )
            continue
        child, found = _child_cells(row, n, sex_raw, *rest)
        problems.extend(found)
        number = rest[2].upper()
        column = CHILD_CERTIFICATE % n
        if len(number) > CERTIFICATE_MAX:
            problems.append(
                Problem(row, column, f"出生医学证明编号最多{CERTIFICATE_MAX}个字符。")
            )
        elif number and child.get("outcome") == ChildOutcome.STILLBIRTH:
            problems.append(Problem(row, column, "死胎死产不签发出生医学证明。"))
        elif number in numbers:
            problems.append(
                Problem(
                    row,
                    column,
                    f"与第{numbers[number]}个新生儿的出生医学证明编号重复。",
                )
            )
        elif (
            number
            and DeliveryChild.objects.filter(birth_certificate_number=number).exists()
        ):
            problems.append(
                Problem(row, column, "该出生医学证明编号已登记在另一次分娩中。")
            )
        if number:
            numbers.setdefault(number, n)
        if not found:
            children.append(
                providers.ChildData(
                    sex=child["sex"],
                    outcome=child["outcome"],
                    birth_order=child["order"],
                    birth_certificate_number=number,
                )
            )
    if problems:
        raise RowProblems(problems)
    return children


def _child_cells(
    row: int, n: int, sex: str, outcome: str, order: str, _certificate: str
) -> tuple[dict[str, Any], list[Problem]]:
    return gather(
        ("sex", lambda: choice_cell(row, sex, CHILD_SEX % n, ChildSex)),
        (
            "outcome",
            lambda: (
                choice_cell(row, outcome, CHILD_OUTCOME % n, ChildOutcome)
                if outcome
                else ChildOutcome.LIVE.value
            ),
        ),
        ("order", lambda: _birth_order(row, order, CHILD_ORDER % n)),
    )


def _birth_order(row: int, raw: str, column: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_BIRTH_ORDER):
        raise RowProblems(
            [Problem(row, column, f"{column}应为1到{MAX_BIRTH_ORDER}之间的整数。")]
        )
    return int(raw)
