"""Every write of the follow-up work (孕情跟踪服务). Keyword-only, atomic, audited;
each write refreshes the pregnancy's schedule state and runs the alert rules in the
same transaction (docs/design.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_findings, resolve_alerts_for
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.models import Child, Sex, Woman
from srbgov.pregnancies import exam_patterns, hooks, rules, schedule
from srbgov.pregnancies.models import (
    OPEN_STATUSES,
    Birth,
    InfantDeath,
    Outcome,
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
    TerminationReason,
    Visit,
    VisitFinding,
    VisitMode,
    split_names,
)
from srbgov.providers.models import Facility
from srbgov.schedules import due_date, gestational_day

if TYPE_CHECKING:
    from srbgov.accounts.models import User

#: LMP at most 44 weeks ago (a pregnancy older than that has an outcome by now).
MAX_LMP_WEEKS = 44
#: Registered within 4 gestational months = 16 weeks (docs/design.md §5; target 85 % on time).
ON_TIME_DAYS = 16 * 7
#: No birth (live or still) before 20 completed weeks.
MIN_BIRTH_WEEKS = 20
MAX_CHILDREN_PER_BIRTH = 6


@dataclass(frozen=True)
class BirthData:
    """One live-born child of an outcome (twins: two of these)."""

    sex: str
    born_on: date | None = None
    weight_grams: int | None = None
    facility: Facility | None = None
    birth_certificate_number: str = ""
    name: str = ""


def _names(text: str, field: str, what: str) -> str:
    names = split_names(text)
    if len(names) < 2:
        raise ValidationError(
            {
                field: [
                    _("%(what)s至少需要两人，请用顿号或逗号分隔姓名。") % {"what": what}
                ]
            }
        )
    return "、".join(names)


def _not_future(value: date, field: str, what: str, today: date) -> None:
    if value > today:
        raise ValidationError({field: [_("%(what)s不能晚于今天。") % {"what": what}]})


def _open_for(woman: Woman) -> Pregnancy | None:
    return (
        Pregnancy.objects.select_for_update(of=("self",))
        .filter(woman=woman, status__in=OPEN_STATUSES)
        .first()
    )


def _living(woman: Woman) -> tuple[int, int]:
    living = Child.objects.filter(mother=woman, is_alive=True)
    return (
        living.filter(sex=Sex.MALE).count(),
        living.filter(sex=Sex.FEMALE).count(),
    )


def _after_write(pregnancy: Pregnancy, on: date) -> None:
    """Refresh the schedule state and run the pregnancy rules (same transaction)."""
    state = schedule.refresh(pregnancy, on=on)
    rules.apply_pregnancy_findings([pregnancy], {pregnancy.pk: state}, on)
    # A miscarriage or a "已有结局" visit soon after a ≥14-week exam (docs/registers.md §3).
    exam_patterns.raise_exam_disappearance_alerts(
        id_number_hash=pregnancy.woman.id_number_hash
    )


S = TypeVar("S", Pregnancy, Visit)


def _submitted(model: type[S], key: UUID | None, by: User) -> S | None:
    """What an earlier submission with this key saved (core/submissions.py)."""
    if key is None:
        return None
    earlier = model._default_manager.filter(submission_key=key).first()
    if earlier is None:
        return None
    author = (
        earlier.registered_by_id
        if isinstance(earlier, Pregnancy)
        else earlier.recorded_by_id
    )
    if author != by.pk:
        raise ValidationError(_("该表单已由其他用户提交，请重新打开表单。"))
    return earlier


# Age of the woman at her last menstrual period, inclusive: the registry's women of
# reproductive age are 15–49; the bounds are wider so that a real pregnancy (early
# puberty, assisted reproduction late in life) is never refused, while a wrong
# identity number or a wrong woman picked (a 76-year-old) is (docs/security.md §5).
PREGNANCY_AGE_RANGE = (12, 60)


def _check_age(woman: Woman, lmp_on: date) -> None:
    youngest, oldest = PREGNANCY_AGE_RANGE
    age = woman.age_on(lmp_on)
    if not youngest <= age <= oldest:
        raise ValidationError(
            {
                "lmp_on": [
                    _(
                        "按身份证号码，她在末次月经时 %(age)d 周岁，超出可登记孕情的"
                        "年龄（%(youngest)d–%(oldest)d 周岁）：请核对是否选错了人或身份证号码有误。"
                    )
                    % {"age": age, "youngest": youngest, "oldest": oldest}
                ]
            }
        )


def _save_new(pregnancy: Pregnancy) -> None:
    pregnancy.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pregnancy.save()
    except IntegrityError:
        # Someone registered her at the same moment: the constraint decided.
        raise ValidationError(
            _("该妇女已有未结束的孕情跟踪记录，请打开已有记录。")
        ) from None


@transaction.atomic
def register_pregnancy(
    *,
    by: User,
    woman: Woman,
    lmp_on: date,
    responsible_persons: str,
    certificate_number: str = "",
    certificate_on: date | None = None,
    birth_order: int | None = None,
    note: str = "",
    registered_on: date | None = None,
    submission_key: UUID | None = None,
) -> Pregnancy:
    """登记孕情. Refuses an LMP in the future or more than 44 weeks ago, a second open
    pregnancy, fewer than two responsible persons; flags registration after 16 weeks
    as late (seed: 湫坡头镇 plan §四(二); XX镇 plan §二, on time >= 85 %). A woman
    already followed from her service certificate has that record turned into the
    pregnancy, so her earlier visits stay with it."""
    # Registrations of one woman one at a time, so a second submission finds the first.
    Woman.objects.select_for_update().filter(pk=woman.pk).first()
    if (already := _submitted(Pregnancy, submission_key, by)) is not None:
        return already
    today = timezone.localdate()
    registered_on = registered_on or today
    _not_future(lmp_on, "lmp_on", _("末次月经"), today)
    _check_age(woman, lmp_on)
    if (registered_on - lmp_on).days > MAX_LMP_WEEKS * 7:
        raise ValidationError(
            {
                "lmp_on": [
                    _("末次月经距今超过44周，请核实日期；如已分娩请直接登记结局。")
                ]
            }
        )
    if certificate_on is not None:
        _not_future(certificate_on, "certificate_on", _("发证日期"), today)
    persons = _names(responsible_persons, "responsible_persons", _("责任人"))
    existing = _open_for(woman)
    if existing is not None and existing.status == PregnancyStatus.PREGNANT:
        raise ValidationError(
            _("该妇女已有未结束的孕情（末次月经 %(lmp)s），请先登记该次妊娠的结局。")
            % {"lmp": existing.lmp_on}
        )
    boys, girls = _living(woman)
    pregnancy = existing or Pregnancy(
        woman=woman,
        village=woman.village,
        registered_on=registered_on,
        registered_by=by,
    )
    if existing is not None and lmp_on < existing.registered_on - timedelta(days=300):
        raise ValidationError(
            {"lmp_on": [_("末次月经早于持证随访开始日期太多，请核实。")]}
        )
    pregnancy.status = PregnancyStatus.PREGNANT
    pregnancy.lmp_on = lmp_on
    pregnancy.due_on = due_date(lmp_on)
    pregnancy.pregnancy_registered_on = registered_on
    day = max(gestational_day(lmp_on, registered_on), 0)
    pregnancy.registered_week = day // 7
    pregnancy.is_late_registration = day > ON_TIME_DAYS
    pregnancy.birth_order = birth_order or woman.children.count() + 1
    pregnancy.living_boys, pregnancy.living_girls = boys, girls
    pregnancy.certificate_number = certificate_number or pregnancy.certificate_number
    pregnancy.certificate_on = certificate_on or pregnancy.certificate_on
    pregnancy.responsible_persons = persons
    pregnancy.note = note or pregnancy.note
    pregnancy.submission_key = submission_key or pregnancy.submission_key
    if existing is None:
        _save_new(pregnancy)
    else:
        pregnancy.full_clean(validate_constraints=False)
        pregnancy.save()
    record(
        user=by,
        action=AuditAction.CREATE if existing is None else AuditAction.UPDATE,
        obj=pregnancy,
        detail={"lmp_on": str(lmp_on), "late": pregnancy.is_late_registration},
    )
    _after_write(pregnancy, today)
    return pregnancy


@transaction.atomic
def register_certificate_follow_up(
    *,
    by: User,
    woman: Woman,
    certificate_number: str,
    certificate_on: date,
    responsible_persons: str,
    note: str = "",
    submission_key: UUID | None = None,
) -> Pregnancy:
    """持证待孕: follow a woman with a service certificate (生育服务证/生育登记) who is
    not yet pregnant, under the policy's pre-pregnancy window (seed: at least one
    visit a calendar month from the certificate until pregnancy)."""
    Woman.objects.select_for_update().filter(pk=woman.pk).first()
    if (already := _submitted(Pregnancy, submission_key, by)) is not None:
        return already
    today = timezone.localdate()
    _not_future(certificate_on, "certificate_on", _("发证日期"), today)
    if not certificate_number.strip():
        raise ValidationError(
            {"certificate_number": [_("请填写生育服务证/生育登记号。")]}
        )
    persons = _names(responsible_persons, "responsible_persons", _("责任人"))
    if _open_for(woman) is not None:
        raise ValidationError(_("该妇女已有未结束的孕情跟踪记录，请打开已有记录。"))
    boys, girls = _living(woman)
    pregnancy = Pregnancy(
        woman=woman,
        village=woman.village,
        status=PregnancyStatus.AWAITING,
        registered_on=today,
        birth_order=woman.children.count() + 1,
        living_boys=boys,
        living_girls=girls,
        certificate_number=certificate_number.strip(),
        certificate_on=certificate_on,
        responsible_persons=persons,
        note=note,
        registered_by=by,
        submission_key=submission_key,
    )
    _save_new(pregnancy)
    record(user=by, action=AuditAction.CREATE, obj=pregnancy, detail={"awaiting": True})
    _after_write(pregnancy, today)
    return pregnancy


def _lock(pregnancy: Pregnancy) -> Pregnancy:
    """Serialise writes on one pregnancy (two workers recording at once lose nothing)."""
    return (
        Pregnancy.objects.select_for_update(of=("self",))
        .select_related("woman", "village__parent__parent")
        .get(pk=pregnancy.pk)
    )


@transaction.atomic
def record_visit(
    *,
    by: User,
    pregnancy: Pregnancy,
    visited_on: date,
    visitors: str,
    mode: str,
    finding: str,
    elsewhere_place: str = "",
    elsewhere_proof: str = "",
    elsewhere_contact: str = "",
    note: str = "",
    submission_key: UUID | None = None,
) -> Visit:
    """随访. Seed: 湫坡头镇 plan §四(二)3 — signed by at least two persons; a woman
    living elsewhere: the place, the check proof from there, the contact with that
    place's office. Not in the future, not before the record was opened."""
    pregnancy = _lock(pregnancy)
    # After the lock: a second submission waits for the first and then finds it.
    if (already := _submitted(Visit, submission_key, by)) is not None:
        return already
    today = timezone.localdate()
    if pregnancy.status == PregnancyStatus.MOVED_OUT:
        raise ValidationError(_("该孕情已迁出移交，请在迁入地的记录上登记随访。"))
    if not pregnancy.can_record_visit:
        raise ValidationError(_("该孕情已登记结局，不再随访。"))
    _not_future(visited_on, "visited_on", _("随访日期"), today)
    if visited_on < pregnancy.registered_on:
        raise ValidationError(
            {
                "visited_on": [
                    _("随访日期不能早于建档日期 %(on)s。")
                    % {"on": pregnancy.registered_on}
                ]
            }
        )
    if mode not in VisitMode.values:
        raise ValidationError({"mode": [_("请选择随访方式。")]})
    if finding not in VisitFinding.values:
        raise ValidationError({"finding": [_("请选择随访结果。")]})
    elsewhere = [
        s.strip() for s in (elsewhere_place, elsewhere_proof, elsewhere_contact)
    ]
    if any(elsewhere) and not all(elsewhere):
        raise ValidationError(
            {
                "elsewhere_place": [
                    _(
                        "住在外地的，请同时填写现居住地、查验证明和与当地计生办的联系情况。"
                    )
                ]
            }
        )
    visit = Visit(
        pregnancy=pregnancy,
        visited_on=visited_on,
        visitors=_names(visitors, "visitors", _("随访人")),
        mode=mode,
        finding=finding,
        elsewhere_place=elsewhere[0],
        elsewhere_proof=elsewhere[1],
        elsewhere_contact=elsewhere[2],
        note=note.strip(),
        recorded_by=by,
        submission_key=submission_key,
    )
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        if (already := _submitted(Visit, submission_key, by)) is not None:
            return already
        raise
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=visit,
        detail={"pregnancy": pregnancy.pk},
    )
    _after_write(pregnancy, today)
    return visit


def _check_outcome_dates(pregnancy: Pregnancy, kind: str, occurred_on: date) -> int:
    today = timezone.localdate()
    _not_future(occurred_on, "occurred_on", _("结局日期"), today)
    if pregnancy.lmp_on is None or occurred_on < pregnancy.lmp_on:
        raise ValidationError({"occurred_on": [_("结局日期不能早于末次月经。")]})
    weeks = gestational_day(pregnancy.lmp_on, occurred_on) // 7
    if (
        kind in (OutcomeKind.LIVE_BIRTH, OutcomeKind.STILLBIRTH)
        and weeks < MIN_BIRTH_WEEKS
    ):
        raise ValidationError(
            {
                "occurred_on": [
                    _(
                        "按末次月经推算仅孕 %(w)d 周，不足20周不能登记为分娩；请核实日期，或登记为流产。"
                    )
                    % {"w": weeks}
                ]
            }
        )
    if kind == OutcomeKind.MOVED_OUT and occurred_on < pregnancy.registered_on:
        raise ValidationError({"occurred_on": [_("迁出日期不能早于建档日期。")]})
    return weeks


def _recompute_birth_orders(woman: Woman) -> list[Child]:
    """Birth order follows birth date (twins keep the order entered): the same rule
    as the registry (people.services)."""
    children = sorted(
        woman.children.all(), key=lambda c: (c.birth_on, c.birth_order, c.pk)
    )
    for order, child in enumerate(children, start=1):
        if child.birth_order != order:
            child.birth_order = order
            child.save(update_fields=["birth_order"])
    return children


def _record_births(
    *, by: User, outcome: Outcome, pregnancy: Pregnancy, children: Sequence[BirthData]
) -> list[Birth]:
    if not 1 <= len(children) <= MAX_CHILDREN_PER_BIRTH:
        raise ValidationError(_("活产请逐个填写每个孩子（双胞胎、三胞胎填写多行）。"))
    woman = pregnancy.woman
    new: list[Child] = []
    for index, data in enumerate(children, start=1):
        born_on = data.born_on or outcome.occurred_on
        if data.sex not in Sex.values:
            raise ValidationError(
                {"children": [_("第 %(n)d 个孩子：请选择性别。") % {"n": index}]}
            )
        if (
            not outcome.occurred_on
            <= born_on
            <= outcome.occurred_on + timedelta(days=1)
        ):
            raise ValidationError(
                {
                    "children": [
                        _("第 %(n)d 个孩子：出生日期应为分娩当天或次日。")
                        % {"n": index}
                    ]
                }
            )
        if data.weight_grams is not None and not 300 <= data.weight_grams <= 7000:
            raise ValidationError(
                {
                    "children": [
                        _("第 %(n)d 个孩子：出生体重应在300–7000克之间。")
                        % {"n": index}
                    ]
                }
            )
        child = Child(
            mother=woman,
            name=data.name,
            birth_on=born_on,
            sex=data.sex,
            # Provisional: after everyone already born, in the order entered.
            birth_order=10_000 + index,
        )
        child.full_clean()
        child.save()
        new.append(child)
    ordered = _recompute_birth_orders(woman)
    births: list[Birth] = []
    for child, data in zip(new, children, strict=True):
        child.refresh_from_db()
        earlier = [c for c in ordered if c.birth_order < child.birth_order]
        birth = Birth(
            outcome=outcome,
            pregnancy=pregnancy,
            mother=woman,
            child=child,
            sex=child.sex,
            born_on=child.birth_on,
            birth_order=child.birth_order,
            earlier_boys=sum(1 for c in earlier if c.sex == Sex.MALE),
            earlier_girls=sum(1 for c in earlier if c.sex == Sex.FEMALE),
            village=woman.village,
            facility=data.facility or outcome.facility,
            weight_grams=data.weight_grams,
            birth_certificate_number=data.birth_certificate_number.strip(),
        )
        birth.full_clean()
        birth.save()
        record(
            user=by, action=AuditAction.CREATE, obj=child, detail={"birth": birth.pk}
        )
        hooks.birth_recorded(birth)
        births.append(birth)
    raise_findings(f for b in births for f in rules.birth_findings(b))
    return births


def _hand_over(*, by: User, pregnancy: Pregnancy, outcome: Outcome) -> Pregnancy | None:
    """迁出: the record stays (with its visits) in the old village; if she moved to a
    village of the system, a new record opens there, linked to this one, and her
    registry record moves with her."""
    area = outcome.receiving_area
    if area is None:
        return None
    if area.level != AreaLevel.VILLAGE or area.pk == pregnancy.village_id:
        raise ValidationError({"receiving_area": [_("请选择她迁入的另一个村。")]})
    woman = pregnancy.woman
    successor = Pregnancy(
        woman=woman,
        village=area,
        status=PregnancyStatus.PREGNANT,
        registered_on=outcome.occurred_on,
        pregnancy_registered_on=pregnancy.pregnancy_registered_on,
        lmp_on=pregnancy.lmp_on,
        due_on=pregnancy.due_on,
        registered_week=pregnancy.registered_week,
        is_late_registration=pregnancy.is_late_registration,
        birth_order=pregnancy.birth_order,
        living_boys=pregnancy.living_boys,
        living_girls=pregnancy.living_girls,
        certificate_number=pregnancy.certificate_number,
        certificate_on=pregnancy.certificate_on,
        responsible_persons=pregnancy.responsible_persons,
        handed_over_from=pregnancy,
        note=_("由%(village)s移交") % {"village": pregnancy.village.full_name},
        registered_by=by,
    )
    _save_new(successor)
    old_village = woman.village
    Woman.objects.filter(pk=woman.pk).update(village=area, updated_at=timezone.now())
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=woman,
        detail={"moved_from": old_village.code, "moved_to": area.code},
    )
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=successor,
        detail={"handover": pregnancy.pk},
    )
    return successor


@transaction.atomic
def record_outcome(
    *,
    by: User,
    pregnancy: Pregnancy,
    kind: str,
    occurred_on: date,
    facility: Facility | None = None,
    discharge_on: date | None = None,
    termination_reason: str = "",
    reason_detail: str = "",
    approval_reference: str = "",
    approval_on: date | None = None,
    receiving_area: Area | None = None,
    receiving_place: str = "",
    note: str = "",
    children: Sequence[BirthData] = (),
) -> Outcome:
    """妊娠结局. Dates are checked against the LMP (no birth before 20 weeks, nothing
    in the future); a live birth adds each child to the mother's children (birth order
    recomputed) and creates one `Birth` per child; a termination at 14 weeks or more
    without an approval reference raises an alert; moving out hands the record over."""
    pregnancy = _lock(pregnancy)
    if pregnancy.status == PregnancyStatus.AWAITING:
        raise ValidationError(_("尚未登记孕情（末次月经），不能登记结局。"))
    if not pregnancy.can_record_outcome:
        raise ValidationError(_("该孕情已登记结局或已迁出。"))
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": [_("请选择妊娠结局。")]})
    weeks = _check_outcome_dates(pregnancy, kind, occurred_on)
    if (
        kind == OutcomeKind.TERMINATION
        and termination_reason not in TerminationReason.values
    ):
        raise ValidationError({"termination_reason": [_("请选择终止妊娠原因。")]})
    if kind != OutcomeKind.TERMINATION:
        termination_reason, approval_reference, approval_on = "", "", None
    if discharge_on is not None and discharge_on < occurred_on:
        raise ValidationError({"discharge_on": [_("出院日期不能早于结局日期。")]})
    if (
        kind == OutcomeKind.MOVED_OUT
        and receiving_area is None
        and not receiving_place.strip()
    ):
        raise ValidationError({"receiving_place": [_("请填写迁往地或选择迁入的村。")]})
    outcome = Outcome(
        pregnancy=pregnancy,
        kind=kind,
        occurred_on=occurred_on,
        gestational_weeks=weeks,
        facility=facility,
        discharge_on=discharge_on,
        termination_reason=termination_reason,
        reason_detail=reason_detail.strip(),
        approval_reference=approval_reference.strip(),
        approval_on=approval_on,
        receiving_area=receiving_area if kind == OutcomeKind.MOVED_OUT else None,
        receiving_place=receiving_place.strip()
        if kind == OutcomeKind.MOVED_OUT
        else "",
        note=note.strip(),
        recorded_by=by,
    )
    outcome.full_clean()
    outcome.save()
    pregnancy.status = (
        PregnancyStatus.MOVED_OUT
        if kind == OutcomeKind.MOVED_OUT
        else PregnancyStatus.ENDED
    )
    pregnancy.save(update_fields=["status"])
    pregnancy.outcome = outcome
    record(user=by, action=AuditAction.CREATE, obj=outcome, detail={"kind": kind})
    today = timezone.localdate()
    if kind == OutcomeKind.LIVE_BIRTH:
        _record_births(by=by, outcome=outcome, pregnancy=pregnancy, children=children)
    elif children:
        raise ValidationError(_("只有活产才填写孩子信息。"))
    raise_findings(rules.outcome_findings(outcome))
    _after_write(pregnancy, today)
    if kind == OutcomeKind.MOVED_OUT:
        successor = _hand_over(by=by, pregnancy=pregnancy, outcome=outcome)
        if successor is not None:
            _after_write(successor, today)
    return outcome


@transaction.atomic
def set_birth_certificate(*, by: User, birth: Birth, number: str) -> Birth:
    """补录出生医学证明编号; closes the "no birth certificate" alert."""
    if not number.strip():
        raise ValidationError({"number": [_("请填写出生医学证明编号。")]})
    birth = Birth.objects.select_for_update().get(pk=birth.pk)
    birth.birth_certificate_number = number.strip()
    birth.full_clean()
    birth.save(update_fields=["birth_certificate_number"])
    record(user=by, action=AuditAction.UPDATE, obj=birth, detail={"certificate": True})
    resolve_alerts_for(
        kind=AlertKind.BIRTH_WITHOUT_CERTIFICATE,
        subject_type="birth",
        subject_id=birth.pk,
        resolution=_("已补录出生医学证明编号：%(n)s")
        % {"n": birth.birth_certificate_number},
    )
    return birth


@transaction.atomic
def set_termination_approval(
    *, by: User, outcome: Outcome, reference: str, approved_on: date | None
) -> Outcome:
    """补录14周以上终止妊娠的查验/批准文号; closes the alert."""
    if outcome.kind != OutcomeKind.TERMINATION:
        raise ValidationError(_("只有终止妊娠需要查验/批准文号。"))
    if not reference.strip():
        raise ValidationError({"reference": [_("请填写查验/批准文号。")]})
    if approved_on is not None:
        _not_future(approved_on, "approved_on", _("批准日期"), timezone.localdate())
    outcome.approval_reference = reference.strip()
    outcome.approval_on = approved_on
    outcome.full_clean()
    outcome.save(update_fields=["approval_reference", "approval_on"])
    record(user=by, action=AuditAction.UPDATE, obj=outcome, detail={"approval": True})
    resolve_alerts_for(
        kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
        subject_type="outcome",
        subject_id=outcome.pk,
        resolution=_("已补录查验/批准文号：%(n)s") % {"n": outcome.approval_reference},
    )
    return outcome


@transaction.atomic
def record_infant_death(
    *,
    by: User,
    child: Child,
    died_at: datetime,
    cause: str,
    death_certificate_number: str = "",
    reported_at: datetime | None = None,
) -> InfantDeath:
    """婴儿死亡: a child under one year. The time from death to report is kept; a
    report later than 24 hours is flagged and alerted, as is every female infant
    death (docs/design.md §5)."""
    reported_at = reported_at or timezone.now()
    child = (
        Child.objects.select_for_update(of=("self",))
        .select_related("mother__village")
        .get(pk=child.pk)
    )
    if not child.is_alive or InfantDeath.objects.filter(child=child).exists():
        raise ValidationError(_("该子女已登记死亡。"))
    if died_at > reported_at:
        raise ValidationError({"died_at": [_("死亡时间不能晚于报告时间。")]})
    died_on = (
        timezone.localdate(died_at) if timezone.is_aware(died_at) else died_at.date()
    )
    if died_on < child.birth_on:
        raise ValidationError({"died_at": [_("死亡时间不能早于出生日期。")]})
    if (died_on - child.birth_on).days >= 365:
        raise ValidationError(
            {
                "child": [
                    _("婴儿死亡指未满1周岁的死亡；满1周岁的请在子女档案中标记死亡。")
                ]
            }
        )
    if not cause.strip():
        raise ValidationError({"cause": [_("请填写死亡原因。")]})
    delay = reported_at - died_at
    death = InfantDeath(
        child=child,
        mother=child.mother,
        village=child.mother.village,
        sex=child.sex,
        died_at=died_at,
        cause=cause.strip(),
        death_certificate_number=death_certificate_number.strip(),
        reported_at=reported_at,
        report_delay_hours=int(delay.total_seconds() // 3600),
        is_late_report=delay > timedelta(hours=rules.REPORT_HOURS),
        recorded_by=by,
    )
    death.full_clean()
    death.save()
    child.is_alive = False
    child.died_on = died_on
    child.save(update_fields=["is_alive", "died_on"])
    record(
        user=by,
        action=AuditAction.CREATE,
        obj=death,
        detail={"late": death.is_late_report},
    )
    raise_findings(rules.infant_death_findings(death))
    return death
