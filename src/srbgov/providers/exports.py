"""Provider registries as sheets: facilities, B超 devices, practitioners, the
termination register (masked numbers), the drug ledger and the gaps list
(docs/access.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    DrugDispensing,
    DrugPurchase,
    Facility,
    FacilityDelivery,
    GeneticTest,
    Pledge,
    Practitioner,
    PrenatalLicence,
    PriorityDesignation,
    TerminationRecord,
    UltrasoundDevice,
    UltrasoundExam,
)
from srbgov.providers.queries import Gap
from srbgov.providers.services.patterns import UnitRate, percent
from srbgov.reports.exports import Column, Export


def _yes_no(flag: bool) -> str:
    return str(_("是") if flag else _("否"))


FACILITIES: Export[Facility] = Export(
    title=_("医疗机构"),
    filename=_("医疗机构名单"),
    object_type="providers.facility",
    columns=(
        Column(
            _("机构名称"),
            lambda f: f.name,
            link=lambda f: reverse("providers:facility_detail", args=[f.pk]),
        ),
        Column(_("类别"), lambda f: f.get_kind_display()),
        Column(_("执业许可证号"), lambda f: f.licence_number),
        Column(_("所在区划"), lambda f: f.area.full_name),
        Column(_("地址"), lambda f: f.address),
        Column(_("负责人"), lambda f: f.head_name),
        Column(_("联系电话"), lambda f: f.phone),
        Column(_("状态"), lambda f: f.get_status_display()),
        # Annotated by services.priority.with_priority_mark (docs/registers.md §7).
        Column(_("重点单位"), lambda f: _yes_no(getattr(f, "is_priority", False))),
    ),
)


def _operators(d: UltrasoundDevice) -> str:
    return "、".join(p.name for p in d.operators.all()) or str(_("未备案"))


DEVICES: Export[UltrasoundDevice] = Export(
    title=_("B超设备"),
    filename=_("B超设备台账"),
    object_type="providers.ultrasounddevice",
    columns=(
        Column(_("机构"), lambda d: d.facility.name),
        Column(_("区划"), lambda d: d.facility.area.name),
        Column(_("型号"), lambda d: d.model_name),
        Column(_("出厂编号"), lambda d: d.serial_number),
        Column(_("购置日期"), lambda d: d.purchased_on),
        Column(_("备案日期"), lambda d: d.filed_on),
        Column(_("安放科室/房间"), lambda d: d.room),
        Column(_("可显示胎儿性别"), lambda d: _yes_no(d.is_fetal_sex_capable)),
        Column(_("状态"), lambda d: d.get_status_display()),
        Column(_("操作人员"), _operators),
        Column(
            _("诊室开放时间"),
            lambda d: (
                f"{d.room_opens_at:%H:%M}–{d.room_closes_at:%H:%M}"
                if d.room_opens_at and d.room_closes_at
                else ""
            ),
        ),
    ),
)

PRACTITIONERS: Export[Practitioner] = Export(
    title=_("从业人员"),
    filename=_("从业人员名单"),
    object_type="providers.practitioner",
    columns=(
        Column(_("机构"), lambda p: p.facility.name),
        Column(_("姓名"), lambda p: p.name),
        Column(_("岗位"), lambda p: p.get_kind_display()),
        Column(_("执业资格"), lambda p: p.qualification),
        Column(_("资格证书编号"), lambda p: p.qualification_number),
        Column(_("联系电话"), lambda p: p.phone),
        Column(_("状态"), lambda p: str(_("在岗") if p.is_active else _("离岗"))),
    ),
)


def _verification(e: TerminationRecord) -> str:
    if e.verification:
        return str(e.verification.get_status_display())
    # A late termination without a county verification is what the register exists
    # to catch: the page and the sheet both say so (docs/access.md, section 5).
    return str(_("缺查验")) if e.gestational_weeks >= LATE_TERMINATION_WEEKS else ""


TERMINATIONS: Export[TerminationRecord] = Export(
    title=_("终止妊娠登记"),
    filename=_("终止妊娠实名登记"),
    object_type="providers.terminationrecord",
    columns=(
        Column(_("机构"), lambda e: e.facility.name),
        Column(
            _("姓名"),
            lambda e: e.woman_name,
            link=lambda e: reverse("providers:termination_detail", args=[e.pk]),
        ),
        Column(_("身份证号码"), lambda e: e.id_number_masked, css="id-masked"),
        Column(_("手术日期"), lambda e: e.terminated_on),
        Column(_("孕周"), lambda e: e.gestational_weeks),
        Column(_("方式"), lambda e: e.get_method_display()),
        Column(_("手术人员"), lambda e: e.operator.name),
        Column(_("医学原因"), lambda e: e.medical_reason, page=False),
        Column(_("查验状态"), _verification, short=_("查验")),
        Column(
            _("县级证明编号"),
            lambda e: e.verification.certificate_number if e.verification else "",
        ),
    ),
)


@dataclass(frozen=True)
class LedgerLine:
    """One line of the drug ledger: a purchase (+) or a real-name dispensing (−)."""

    facility: str
    on: date
    kind: str
    drug: str
    quantity: int
    supplier: str = ""
    batch_number: str = ""
    woman_name: str = ""
    id_number_masked: str = ""
    prescription_number: str = ""


def ledger_lines(
    purchases: Iterable[DrugPurchase], dispensings: Iterable[DrugDispensing]
) -> list[LedgerLine]:
    bought = [
        LedgerLine(
            facility=p.facility.name,
            on=p.purchased_on,
            kind=str(_("购进")),
            drug=str(p.drug),
            quantity=p.quantity,
            supplier=p.supplier,
            batch_number=p.batch_number,
        )
        for p in purchases
    ]
    given = [
        LedgerLine(
            facility=d.facility.name,
            on=d.dispensed_on,
            kind=str(_("发放")),
            drug=str(d.drug),
            quantity=-d.quantity,
            woman_name=d.woman_name,
            id_number_masked=d.id_number_masked,
            prescription_number=d.prescription_number,
        )
        for d in dispensings
    ]
    return sorted([*bought, *given], key=lambda line: (line.facility, str(line.on)))


DRUG_LEDGER: Export[LedgerLine] = Export(
    title=_("药品台账"),
    filename=_("终止妊娠药品台账"),
    object_type="providers.drugdispensing",
    columns=(
        Column(_("机构"), lambda line: line.facility),
        Column(_("日期"), lambda line: line.on),
        Column(_("类别"), lambda line: line.kind),
        Column(_("药品"), lambda line: line.drug),
        Column(_("数量"), lambda line: line.quantity),
        Column(_("供货单位"), lambda line: line.supplier),
        Column(_("批号"), lambda line: line.batch_number),
        Column(_("姓名"), lambda line: line.woman_name),
        Column(_("身份证号码"), lambda line: line.id_number_masked),
        Column(_("处方编号"), lambda line: line.prescription_number),
    ),
)


@dataclass(frozen=True)
class GapLine:
    facility: str
    subject: str
    problem: str
    expires_on: date | None = None
    facility_pk: int | None = None


def gap_lines(gaps: Iterable[Gap], expiring: Iterable[Pledge]) -> list[GapLine]:
    """The gaps list, page and sheet: gaps to fix, then pledges about to expire."""
    return [
        GapLine(g.facility.name, g.subject, g.detail, facility_pk=g.facility.pk)
        for g in gaps
    ] + [
        GapLine(
            p.facility.name,
            p.signer_name,
            str(_("责任书即将到期")),
            p.expires_on,
            facility_pk=p.facility_id,
        )
        for p in expiring
    ]


def _facility_link(g: GapLine) -> str | None:
    if g.facility_pk is None:
        return None
    return reverse("providers:facility_detail", args=[g.facility_pk])


GAPS: Export[GapLine] = Export(
    title=_("监管缺项"),
    filename=_("监管缺项清单"),
    object_type="providers.pledge",
    css="gaps",
    columns=(
        Column(_("机构"), lambda g: g.facility, link=_facility_link),
        Column(_("对象"), lambda g: g.subject),
        Column(_("问题"), lambda g: g.problem),
        Column(_("到期日期"), lambda g: g.expires_on),
    ),
)


def _children(e: FacilityDelivery) -> str:
    return "、".join(
        f"{c.get_sex_display()}"
        + ("" if c.outcome == "live" else f"（{c.get_outcome_display()}）")
        for c in e.children.all()
    )


def _birth_orders(e: FacilityDelivery) -> str:
    return "、".join(str(c.birth_order or "—") for c in e.children.all())


def _certificates(e: FacilityDelivery) -> str:
    return "、".join(c.birth_certificate_number or "—" for c in e.children.all())


DELIVERIES: Export[FacilityDelivery] = Export(
    title=_("分娩登记"),
    filename=_("分娩实名登记"),
    object_type="providers.facilitydelivery",
    columns=(
        Column(_("接生机构"), lambda e: e.facility.name),
        Column(_("产妇姓名"), lambda e: e.woman_name),
        Column(_("身份证号码"), lambda e: e.id_number_masked),
        Column(_("所在村"), lambda e: e.village.name if e.village else ""),
        Column(_("分娩日期"), lambda e: e.delivered_on),
        Column(_("新生儿性别"), _children),
        Column(_("孩次"), _birth_orders),
        Column(_("出生医学证明编号"), _certificates),
        Column(_("来源"), lambda e: e.get_source_display()),
        Column(_("在册妇女"), lambda e: str(_("是") if e.woman_id else _("否"))),
    ),
)


EXAMS: Export[UltrasoundExam] = Export(
    title=_("B超检查登记"),
    filename=_("B超检查实名登记"),
    object_type="providers.ultrasoundexam",
    columns=(
        Column(_("检查机构"), lambda e: e.facility.name),
        Column(_("孕妇姓名"), lambda e: e.woman_name),
        Column(_("身份证号码"), lambda e: e.id_number_masked),
        Column(_("所在村"), lambda e: e.village.name if e.village else ""),
        Column(_("检查日期"), lambda e: e.examined_on),
        Column(_("孕周"), lambda e: e.gestational_weeks),
        Column(_("14周及以上"), lambda e: _yes_no(e.is_late)),
        Column(_("检查目的"), lambda e: e.get_purpose_display()),
        Column(_("医学指征说明"), lambda e: e.indication),
        Column(_("设备出厂编号"), lambda e: e.device_serial),
        Column(_("设备已备案"), lambda e: _yes_no(e.device_id is not None)),
        Column(_("操作人员"), lambda e: e.operator_name),
        Column(_("操作人员已备案"), lambda e: _yes_no(e.operator_id is not None)),
        Column(_("来源"), lambda e: e.get_source_display()),
        # Last: the sheet's earlier columns keep their places for those who read them.
        Column(
            _("检查时间"),
            lambda e: f"{e.examined_at:%H:%M}" if e.examined_at else "",
        ),
    ),
)


def _fraction(value: float | None) -> str:
    # p- and q-values as fractions with four decimals (docs/statistics.md).
    return "" if value is None else f"{value:.4f}"


EXAM_RATES: Export[UnitRate] = Export(
    title=_("14周以上B超检查后终止妊娠比例"),
    filename=_("B超检查后终止妊娠比例"),
    object_type="providers.examrate",
    columns=(
        Column(_("类别"), lambda r: r.kind_label),
        Column(_("名称"), lambda r: r.name),
        Column(_("所在机构"), lambda r: r.facility_name),
        Column(_("检查期间从"), lambda r: r.window_start),
        Column(_("至"), lambda r: r.window_end),
        Column(_("孕14周以上检查数"), lambda r: r.verdict.exams),
        Column(_("其后30日内终止妊娠"), lambda r: r.verdict.followed),
        Column(_("比例"), lambda r: percent(r.verdict.rate)),
        Column(
            _("95%区间"),
            lambda r: f"{percent(r.verdict.lower)}–{percent(r.verdict.upper)}",
        ),
        Column(_("全县比例（机会水平）"), lambda r: percent(r.verdict.chance_rate)),
        Column(_("单侧精确p值"), lambda r: _fraction(r.verdict.p_value)),
        Column(_("校正后q值"), lambda r: _fraction(r.verdict.q_value)),
        Column(
            _("判断"),
            lambda r: str(
                _("显著高于全县")
                if r.verdict.flagged
                else (
                    _("未见显著差异") if r.verdict.tested else _("例数过少，无法判断")
                )
            ),
        ),
    ),
)


# --- prenatal diagnosis and priority villages (issue 17 items 3 and 6) -------------

LICENCES: Export[PrenatalLicence] = Export(
    title=_("产前诊断许可"),
    filename=_("产前诊断许可台账"),
    object_type="providers.prenatallicence",
    columns=(
        Column(
            _("机构"),
            lambda lic: lic.facility.name,
            link=lambda lic: reverse(
                "providers:facility_detail", args=[lic.facility_id]
            ),
        ),
        Column(_("许可证号"), lambda lic: lic.number),
        Column(_("许可范围"), lambda lic: lic.get_scope_display()),
        Column(_("有效期起"), lambda lic: lic.valid_from),
        Column(_("有效期至"), lambda lic: lic.valid_to),
        Column(_("扫描件"), lambda lic: _yes_no(lic.scan_id is not None)),
    ),
)


def _finding(t: GeneticTest) -> str:
    problems = []
    if t.is_unlicensed:
        problems.append(str(_("无有效许可")))
    if t.is_sex_disclosure:
        problems.append(str(_("报告胎儿性别")))
    return "、".join(problems)


GENETIC_TESTS: Export[GeneticTest] = Export(
    title=_("产前遗传学检测登记"),
    filename=_("产前遗传学检测实名登记"),
    object_type="providers.genetictest",
    columns=(
        Column(_("检测机构"), lambda t: t.facility.name),
        Column(
            _("孕妇姓名"),
            lambda t: t.woman_name,
            link=lambda t: reverse("providers:genetic_test_detail", args=[t.pk]),
        ),
        Column(_("身份证号码"), lambda t: t.id_number_masked, css="id-masked"),
        Column(_("所在村"), lambda t: t.village.name if t.village else ""),
        Column(_("检测日期"), lambda t: t.ordered_on),
        Column(_("检测项目"), lambda t: t.get_kind_display()),
        Column(_("孕周"), lambda t: t.gestational_weeks),
        Column(_("检测指征"), lambda t: t.get_indication_display()),
        Column(_("指征说明"), lambda t: t.indication_note, page=False),
        Column(_("检测结果"), lambda t: t.get_result_display()),
        Column(_("报告载明胎儿性别"), lambda t: _yes_no(t.reports_sex)),
        Column(_("发现问题"), _finding),
    ),
)


def _priority_status(p: PriorityDesignation) -> str:
    return str(_("已撤销") if p.ended_on else _("重点"))


PRIORITIES: Export[PriorityDesignation] = Export(
    title=_("重点村和重点单位"),
    filename=_("重点村和重点单位名单"),
    object_type="providers.prioritydesignation",
    columns=(
        Column(
            _("名称"),
            lambda p: p.subject_name,
            link=lambda p: reverse("providers:priority_detail", args=[p.pk]),
        ),
        Column(
            _("类别"), lambda p: str(_("重点村") if p.is_village else _("重点单位"))
        ),
        Column(_("乡镇"), lambda p: p.township.name),
        Column(_("确定理由"), lambda p: p.reason),
        Column(_("确定日期"), lambda p: p.designated_on),
        Column(_("复核日期"), lambda p: p.review_on),
        Column(_("状态"), _priority_status),
        Column(_("撤销日期"), lambda p: p.ended_on),
    ),
)


@dataclass(frozen=True)
class VillageLine:
    """A village of the list, with its priority designation in force, if any."""

    township: str
    name: str
    code: str
    priority: PriorityDesignation | None = None


def _village_link(v: VillageLine) -> str | None:
    if v.priority is None:
        return None
    return reverse("providers:priority_detail", args=[v.priority.pk])


VILLAGES: Export[VillageLine] = Export(
    title=_("村名单"),
    filename=_("村名单（含重点村）"),
    object_type="areas.area",
    columns=(
        Column(_("乡镇"), lambda v: v.township),
        Column(_("村"), lambda v: v.name, link=_village_link),
        Column(_("区划代码"), lambda v: v.code),
        Column(_("重点村"), lambda v: _yes_no(v.priority is not None)),
        Column(_("确定理由"), lambda v: v.priority.reason if v.priority else ""),
        Column(_("复核日期"), lambda v: v.priority.review_on if v.priority else None),
    ),
)
