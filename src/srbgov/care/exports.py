"""The care lists as sheets (docs/access.md §5). Account numbers appear masked in
every sheet but BANK_FILE, which the payment officer exports from an approved batch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.care.models import (
    Application,
    BenefitProgram,
    CareHousehold,
    Payment,
    PaymentBatch,
    PublicNotice,
    RecheckFinding,
)
from srbgov.care.queries import BankRow, EligibleRow, TotalRow
from srbgov.reports.exports import Column, Export


def _village(h: CareHousehold) -> str:
    v = h.woman.village
    return f"{v.parent.name if v.parent else ''} {v.name}"


HOUSEHOLDS: Export[CareHousehold] = Export(
    title=_("关爱家庭"),
    object_type="care.carehousehold",
    columns=(
        Column(_("母亲"), lambda h: h.woman.name),
        Column(_("乡镇、村"), _village),
        Column(_("家庭类别"), lambda h: h.get_kind_display() or str(_("已不符合"))),
        Column(_("认定依据"), lambda h: h.reason),
        Column(_("户籍性质"), lambda h: h.get_residence_display()),
        Column(_("母亲出生日期"), lambda h: h.mother_birth_on),
        Column(_("父亲出生日期"), lambda h: h.father_birth_on),
        Column(_("村专干确认日期"), lambda h: h.confirmed_on),
    ),
)

PROGRAMS: Export[BenefitProgram] = Export(
    title=_("扶助项目"),
    object_type="care.benefitprogram",
    columns=(
        Column(_("项目名称"), lambda p: p.name),
        Column(_("年龄条件（周岁）"), lambda p: p.min_age),
        Column(_("标准（元/人）"), lambda p: p.amount),
        Column(_("发放周期"), lambda p: p.get_period_display()),
        Column(_("公示天数"), lambda p: p.notice_days),
        Column(_("政策依据"), lambda p: p.source),
    ),
)

ELIGIBLE: Export[EligibleRow] = Export(
    title=_("符合条件的家庭"),
    object_type="care.carehousehold",
    columns=(
        Column(_("母亲"), lambda r: r.household.woman.name),
        Column(_("乡镇、村"), lambda r: _village(r.household)),
        Column(_("项目"), lambda r: r.program.name),
        Column(_("符合条件"), lambda r: r.reasons),
        Column(_("享受人数"), lambda r: r.persons),
        Column(_("年发放金额"), lambda r: r.yearly_amount),
        Column(_("到龄日期"), lambda r: r.turns_age_on),
    ),
)

APPLICATIONS: Export[Application] = Export(
    title=_("扶助申请"),
    object_type="care.application",
    columns=(
        Column(_("收款人"), lambda a: a.payee_name),
        Column(_("乡镇、村"), lambda a: _village(a.household)),
        Column(_("项目"), lambda a: a.program.name),
        Column(_("状态"), lambda a: a.get_status_display()),
        Column(_("享受人数"), lambda a: a.persons),
        Column(_("年发放金额"), lambda a: a.yearly_amount),
        Column(_("银行账号"), lambda a: a.account_masked),
        Column(_("申请日期"), lambda a: a.submitted_on),
        Column(_("停止原因"), lambda a: a.end_reason),
    ),
)

# The printable notice: names and amounts only (no account, no identity number).
NOTICE_LINES: Export[Application] = Export(
    title=_("公示名单"),
    object_type="care.publicnotice",
    columns=(
        Column(_("姓名"), lambda a: a.payee_name),
        Column(_("享受人数"), lambda a: a.persons),
        Column(_("年发放金额（元）"), lambda a: a.yearly_amount),
    ),
)

NOTICES: Export[PublicNotice] = Export(
    title=_("公示"),
    object_type="care.publicnotice",
    columns=(
        Column(_("村"), lambda n: n.village.name),
        Column(_("项目"), lambda n: n.program.name),
        Column(_("张贴日期"), lambda n: n.posted_on),
        Column(_("公示截止"), lambda n: n.ends_on),
    ),
)

BATCHES: Export[PaymentBatch] = Export(
    title=_("发放批次"),
    object_type="care.paymentbatch",
    columns=(
        Column(_("批次"), lambda b: b.pk),
        Column(_("项目"), lambda b: b.program.name),
        Column(_("年度"), lambda b: b.year),
        Column(_("状态"), lambda b: b.get_status_display()),
        Column(_("编制人"), lambda b: b.prepared_by.get_full_name() or b.prepared_by),
        Column(
            _("审核人"),
            lambda b: (
                (b.approved_by.get_full_name() or b.approved_by)
                if b.approved_by
                else ""
            ),
        ),
    ),
)

PAYMENTS: Export[Payment] = Export(
    title=_("发放明细"),
    object_type="care.payment",
    columns=(
        Column(_("收款人"), lambda p: p.application.payee_name),
        Column(_("村"), lambda p: p.application.household.woman.village.name),
        Column(_("银行账号"), lambda p: p.application.account_masked),
        Column(_("金额"), lambda p: p.amount),
        Column(_("状态"), lambda p: p.get_status_display()),
        Column(_("退回原因"), lambda p: p.return_reason),
        Column(_("重发"), lambda p: _("是") if p.retry_of_id else ""),
    ),
)

BANK_FILE: Export[BankRow] = Export(
    title=_("银行代发文件"),
    object_type="care.paymentbatch",
    detail={"account_numbers": True},
    columns=(
        Column(_("户名"), lambda r: r.payee_name),
        Column(_("开户银行"), lambda r: r.bank_name),
        Column(_("账号"), lambda r: r.account),
        Column(_("金额"), lambda r: r.amount),
        Column(_("村"), lambda r: r.village),
    ),
)

FINDINGS: Export[RecheckFinding] = Export(
    title=_("年审变化"),
    object_type="care.recheckfinding",
    columns=(
        Column(_("收款人"), lambda f: f.application.payee_name),
        Column(_("村"), lambda f: f.application.household.woman.village.name),
        Column(_("项目"), lambda f: f.application.program.name),
        Column(_("年度"), lambda f: f.year),
        Column(_("变化情况"), lambda f: f.reason),
        Column(_("年审日期"), lambda f: f.found_on),
    ),
)

TOTALS: Export[TotalRow] = Export(
    title=_("发放对账"),
    object_type="care.payment",
    columns=(
        Column(_("项目"), lambda t: t.program),
        Column(_("乡镇"), lambda t: t.township),
        Column(_("年度"), lambda t: t.year),
        Column(_("审批金额"), lambda t: t.approved),
        Column(_("实发金额"), lambda t: t.paid),
        Column(_("未发金额"), lambda t: t.outstanding),
        Column(_("退回笔数"), lambda t: t.returned),
    ),
)
