"""Importing pregnancies (孕情登记) and follow-up visits (随访) through the services of
the pregnancies app, row by row (exchange/kinds/rows.py, docs/import.md §1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from srbgov.accounts.roles import can_follow_pregnancies
from srbgov.exchange.kinds.base import ColumnSpec, Problem
from srbgov.exchange.kinds.rows import (
    NOTE_COLUMN,
    Prepared,
    RowProblems,
    ServiceKind,
    choice_cell,
    date_cell,
    gather,
    woman_in_scope,
)
from srbgov.exchange.tabular import EXAMPLE_MARK
from srbgov.people.models import Sex
from srbgov.pregnancies import services
from srbgov.pregnancies.models import (
    OPEN_STATUSES,
    OutcomeKind,
    Pregnancy,
    VisitFinding,
    VisitMode,
    split_names,
)
from srbgov.pregnancies.services import BirthData
from srbgov.providers.models import Facility

if TYPE_CHECKING:
    from srbgov.accounts.models import User

ID_NUMBER = "身份证号码"
EXAMPLE_NUMBER = "520999199503080021"


def _count(row: int, raw: str, column: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 20:
        raise RowProblems([Problem(row, column, f"{column}应为1–20的整数。")])
    return int(raw)


class PregnanciesKind(ServiceKind):
    slug = "pregnancies"
    role = staticmethod(can_follow_pregnancies)
    service = staticmethod(services.register_pregnancy)
    label = "孕情登记"
    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            EXAMPLE_MARK + EXAMPLE_NUMBER,
            "孕妇的身份证号码；她须已登记在本辖区的育龄妇女名单中。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec(
            "lmp_on",
            "末次月经",
            True,
            "2026-09-01",
            "日期，如2026-09-01；不能晚于今天。",
        ),
        ColumnSpec(
            "responsible_persons",
            "责任人",
            True,
            "张计生、李医生",
            "至少两人，用顿号或逗号分隔。",
        ),
        ColumnSpec("birth_order", "孩次", False, "2", "不填则按已有子女数加一。"),
        ColumnSpec("certificate_number", "服务证号", False, "", "可不填。"),
        ColumnSpec("certificate_on", "发证日期", False, "", "可不填。"),
        ColumnSpec("registered_on", "登记日期", False, "", "不填为今天。"),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一次孕情；检查规则与“登记孕情”页面相同（末次月经不能晚于今天、不早于44周前，已有未结束孕情的不能再登记）。",
        "同一文件中同一身份证号码出现两次的，只导入第一行。",
    )
    field_columns = {
        "lmp_on": "末次月经",
        "responsible_persons": "责任人",
        "certificate_on": "发证日期",
        "birth_order": "孩次",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            (
                "woman",
                lambda: woman_in_scope(by, row, values.get("id_number", ""), ID_NUMBER),
            ),
            (
                "lmp_on",
                lambda: date_cell(
                    row, values.get("lmp_on", ""), "末次月经", required=True
                ),
            ),
            (
                "certificate_on",
                lambda: date_cell(
                    row,
                    values.get("certificate_on", ""),
                    "发证日期",
                    required=False,
                ),
            ),
            (
                "registered_on",
                lambda: date_cell(
                    row, values.get("registered_on", ""), "登记日期", required=False
                ),
            ),
            (
                "birth_order",
                lambda: _count(row, values.get("birth_order", ""), "孩次"),
            ),
        )
        if problems:
            raise RowProblems(problems)
        arguments["responsible_persons"] = values.get("responsible_persons", "")
        arguments["certificate_number"] = values.get("certificate_number", "").strip()
        arguments["note"] = values.get("note", "").strip()
        return Prepared(row, f"woman:{arguments['woman'].pk}", arguments)


class VisitsKind(ServiceKind):
    slug = "visits"
    role = staticmethod(can_follow_pregnancies)
    service = staticmethod(services.record_visit)
    label = "随访记录"
    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            EXAMPLE_MARK + EXAMPLE_NUMBER,
            "孕妇的身份证号码；她在本辖区须有未结束的孕情。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec(
            "visited_on",
            "随访日期",
            True,
            "2026-11-20",
            "不能晚于今天，不能早于建档日期。",
        ),
        ColumnSpec("visitors", "随访人", True, "张计生、李医生", "至少两人。"),
        ColumnSpec("mode", "随访方式", True, "入户", "入户、电话 或 来站/门诊。"),
        ColumnSpec(
            "finding",
            "随访结果",
            True,
            "仍在孕期",
            "仍在孕期、已有结局、已迁出 或 未见到本人。",
        ),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一次随访；检查规则与“登记随访”页面相同。",
        "同一孕妇同一天的随访在同一文件中出现两次的，只导入第一行。",
    )
    field_columns = {
        "visited_on": "随访日期",
        "visitors": "随访人",
        "mode": "随访方式",
        "finding": "随访结果",
        "elsewhere_place": "备注",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            (
                "pregnancy",
                lambda: self._open_pregnancy(by, row, values.get("id_number", "")),
            ),
            (
                "visited_on",
                lambda: date_cell(
                    row, values.get("visited_on", ""), "随访日期", required=True
                ),
            ),
            (
                "mode",
                lambda: choice_cell(row, values.get("mode", ""), "随访方式", VisitMode),
            ),
            (
                "finding",
                lambda: choice_cell(
                    row, values.get("finding", ""), "随访结果", VisitFinding
                ),
            ),
        )
        if problems:
            raise RowProblems(problems)
        arguments["visitors"] = values.get("visitors", "")
        arguments["note"] = values.get("note", "").strip()
        key = f"{arguments['pregnancy'].pk}:{arguments['visited_on']}"
        return Prepared(row, key, arguments)

    def _open_pregnancy(self, by: User, row: int, raw: str) -> Pregnancy:
        return open_pregnancy(by, row, raw)


def open_pregnancy(by: User, row: int, raw: str) -> Pregnancy:
    """Her pregnancy under follow-up in the user's area, or the row's error."""
    woman = woman_in_scope(by, row, raw, ID_NUMBER)
    pregnancy = (
        Pregnancy.objects.visible_to(by)
        .filter(woman=woman, status__in=OPEN_STATUSES)
        .first()
    )
    if pregnancy is None:
        raise RowProblems(
            [
                Problem(
                    row, ID_NUMBER, "她在本辖区没有未结束的孕情，无法登记随访或结局。"
                )
            ]
        )
    return pregnancy


BIRTH_KINDS = (OutcomeKind.LIVE_BIRTH, OutcomeKind.STILLBIRTH, OutcomeKind.MISCARRIAGE)


class BirthsKind(ServiceKind):
    """分娩结局: one delivery per row through `record_outcome` (the outcome page's
    service): live births add the children and the births count; twins are
    "男、女" in the sex column. Terminations and moves keep their pages (they need an
    approval or a receiving area the register rows do not carry)."""

    slug = "births"
    role = staticmethod(can_follow_pregnancies)
    service = staticmethod(services.record_outcome)
    label = "分娩结局"
    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            EXAMPLE_MARK + EXAMPLE_NUMBER,
            "产妇的身份证号码；她在本辖区须有孕期中的孕情。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec("occurred_on", "分娩日期", True, "2026-11-20", "不能晚于今天。"),
        ColumnSpec("kind", "结局", True, "活产", "活产、死胎死产 或 自然流产。"),
        ColumnSpec(
            "sexes", "婴儿性别", False, "女", "活产必填：男 或 女；双胎写“男、女”。"
        ),
        ColumnSpec("weight_grams", "出生体重（克）", False, "3200", "单胎可填。"),
        ColumnSpec(
            "facility",
            "接生机构",
            False,
            "示范县人民医院",
            "本县登记的医疗机构名称；在家分娩不填。",
        ),
        ColumnSpec("certificate", "出生医学证明编号", False, "", "单胎可填。"),
        NOTE_COLUMN,
    )
    notes: Sequence[str] = (
        "每行一次分娩；检查规则与“登记妊娠结局”页面相同（分娩日期与末次月经相符、不能晚于今天）。",
        "同一孕情在同一文件中出现两次的，只导入第一行。",
    )
    field_columns = {
        "occurred_on": "分娩日期",
        "kind": "结局",
        "children": "婴儿性别",
        "facility": "接生机构",
    }

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        arguments, problems = gather(
            (
                "pregnancy",
                lambda: open_pregnancy(by, row, values.get("id_number", "")),
            ),
            (
                "occurred_on",
                lambda: date_cell(
                    row, values.get("occurred_on", ""), "分娩日期", required=True
                ),
            ),
            ("kind", lambda: self._kind(row, values.get("kind", ""))),
            (
                "facility",
                lambda: self._facility(by, row, values.get("facility", "")),
            ),
            ("weight", lambda: _count_grams(row, values.get("weight_grams", ""))),
        )
        sexes = split_names(values.get("sexes", ""))
        by_label = {"男": Sex.MALE.value, "女": Sex.FEMALE.value}
        if any(s not in by_label for s in sexes):
            problems.append(
                Problem(row, "婴儿性别", "婴儿性别只能填写“男”或“女”，双胎用顿号分隔。")
            )
        if problems:
            raise RowProblems(problems)
        weight = arguments.pop("weight")
        single = len(sexes) == 1
        arguments["children"] = (
            [
                BirthData(
                    sex=by_label[s],
                    born_on=arguments["occurred_on"],
                    weight_grams=weight if single else None,
                    facility=arguments["facility"],
                    birth_certificate_number=values.get("certificate", "").strip()
                    if single
                    else "",
                )
                for s in sexes
            ]
            if arguments["kind"] == OutcomeKind.LIVE_BIRTH
            else []
        )
        arguments["note"] = values.get("note", "").strip()
        return Prepared(row, f"pregnancy:{arguments['pregnancy'].pk}", arguments)

    def _kind(self, row: int, raw: str) -> str:
        value = choice_cell(row, raw, "结局", OutcomeKind)
        if value not in BIRTH_KINDS:
            raise RowProblems(
                [
                    Problem(
                        row,
                        "结局",
                        "人工终止妊娠和迁出请在孕情页面逐条登记（需审批信息或迁入地）。",
                    )
                ]
            )
        return value

    def _facility(self, by: User, row: int, raw: str) -> Facility | None:
        if not raw:
            return None
        county = by.scope
        while county.parent is not None:
            county = county.parent
        found = list(Facility.objects.in_area(county).filter(name=raw)[:2])
        if len(found) != 1:
            raise RowProblems(
                [
                    Problem(
                        row,
                        "接生机构",
                        f"本县没有名为“{raw}”的医疗机构，或有重名：请核对机构名称。",
                    )
                ]
            )
        return found[0]


def _count_grams(row: int, raw: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise RowProblems(
            [Problem(row, "出生体重（克）", "出生体重请填写克数（整数）。")]
        )
    return int(raw)
