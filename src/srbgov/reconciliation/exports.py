"""The month's reconciliation as one sheet: every pair and every unmatched record
with its category (docs/reconciliation.md §3; docs/access.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from srbgov.reconciliation.models import Decision, PairKind
from srbgov.reconciliation.queries import Entry, Month, Pair, Section
from srbgov.reports.exports import Column, Export

CATEGORIES = {
    "matched": _("已匹配"),
    "mismatched": _("信息不一致"),
    "pending": _("待确认"),
    "rejected": _("已否定的候选"),
    "facility_only": _("仅机构有记录（漏报）"),
    "registry_only": _("仅村级有记录（在家或外地分娩）"),
}
TERMINATION_REGISTRY_ONLY = _("仅村级有记录（无机构登记）")


@dataclass(frozen=True)
class Row:
    category: str
    kind: str
    name: str
    masked: str
    village: str
    facility: str
    facility_on: date | None
    facility_facts: str
    registry_on: date | None
    registry_facts: str
    probability: float | None
    method: str
    mismatches: str
    decision: str


def _facts(kind: str, e: Entry) -> str:
    if kind == PairKind.BIRTH:
        return e.sexes_display
    return str(_("孕%(w)s周") % {"w": e.weeks}) if e.weeks is not None else ""


def _pair_row(category: str, p: Pair) -> Row:
    return Row(
        category=str(CATEGORIES[category]),
        kind=str(PairKind(p.kind).label),
        name=p.facility.name,
        masked=p.facility.masked,
        village=p.registry.village_name or p.facility.village_name,
        facility=p.facility.facility_name,
        facility_on=p.facility.event_on,
        facility_facts=_facts(p.kind, p.facility),
        registry_on=p.registry.event_on,
        registry_facts=_facts(p.kind, p.registry),
        probability=round(p.probability, 4),
        method=p.method_label,
        mismatches="、".join(p.mismatch_labels),
        decision=str(Decision(p.decision).label) if p.decision else "",
    )


def _entry_row(category: str, kind: str, e: Entry, *, facility_side: bool) -> Row:
    label = CATEGORIES[category]
    if kind == PairKind.TERMINATION and category == "registry_only":
        label = TERMINATION_REGISTRY_ONLY
    return Row(
        category=str(label),
        kind=str(PairKind(kind).label),
        name=e.name,
        masked=e.masked,
        village=e.village_name,
        facility=e.facility_name,
        facility_on=e.event_on if facility_side else None,
        facility_facts=_facts(kind, e) if facility_side else "",
        registry_on=None if facility_side else e.event_on,
        registry_facts="" if facility_side else _facts(kind, e),
        probability=None,
        method="",
        mismatches="",
        decision="",
    )


def _section_rows(section: Section) -> list[Row]:
    rows: list[Row] = []
    for category in ("pending", "mismatched", "matched", "rejected"):
        rows += [_pair_row(category, p) for p in getattr(section, category)]
    rows += [
        _entry_row("facility_only", section.kind, e, facility_side=True)
        for e in section.facility_only
    ]
    rows += [
        _entry_row("registry_only", section.kind, e, facility_side=False)
        for e in section.registry_only
    ]
    return rows


def month_rows(month: Month) -> list[Row]:
    return _section_rows(month.births) + _section_rows(month.terminations)


RECONCILIATION: Export[Row] = Export(
    title=_("数据比对"),
    filename=_("机构与村级登记比对"),
    object_type="reconciliation.month",
    columns=(
        Column(_("类别"), lambda r: r.category),
        Column(_("事项"), lambda r: r.kind),
        Column(_("姓名"), lambda r: r.name),
        Column(_("身份证号码"), lambda r: r.masked),
        Column(_("村"), lambda r: r.village),
        Column(_("机构"), lambda r: r.facility),
        Column(_("机构登记日期"), lambda r: r.facility_on),
        Column(_("机构登记内容"), lambda r: r.facility_facts),
        Column(_("村级登记日期"), lambda r: r.registry_on),
        Column(_("村级登记内容"), lambda r: r.registry_facts),
        Column(_("匹配概率"), lambda r: r.probability),
        Column(_("匹配方式"), lambda r: r.method),
        Column(_("不一致项"), lambda r: r.mismatches),
        Column(_("结论"), lambda r: r.decision),
    ),
)
