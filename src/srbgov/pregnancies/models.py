"""孕情跟踪服务: pregnancies, visits, outcomes, births, infant deaths, visit policies.

docs/design.md §4 (`pregnancies`, `schedules`) and §5; seed: 湫坡头镇 plan §四(二), XX镇 plan §三(三).
A `Pregnancy` row is one follow-up record of one woman: either a woman holding a service
certificate who is not yet pregnant (status `awaiting`, no LMP, followed under the
policy's pre-pregnancy window) or a pregnancy (LMP known). Registering the pregnancy of
an awaiting woman fills in the same row, so visits made before and after count in one
schedule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.core.submissions import submission_key_column
from srbgov.people.models import Child, Sex, Woman
from srbgov.providers.models import Facility


class PregnancyStatus(models.TextChoices):
    AWAITING = "awaiting", _("持证待孕")
    PREGNANT = "pregnant", _("孕期中")
    ENDED = "ended", _("已有结局")
    MOVED_OUT = "moved_out", _("已迁出")


OPEN_STATUSES = (PregnancyStatus.AWAITING, PregnancyStatus.PREGNANT)


class VisitMode(models.TextChoices):
    HOME = "home", _("入户")
    PHONE = "phone", _("电话")
    CLINIC = "clinic", _("来站/门诊")


class VisitFinding(models.TextChoices):
    STILL_PREGNANT = "pregnant", _("仍在孕期")
    OUTCOME = "outcome", _("已有结局")
    MOVED_OUT = "moved_out", _("已迁出")
    NOT_FOUND = "not_found", _("未见到本人")


#: Findings that, with no outcome recorded, point to a 孕情消失 (docs/design.md §5).
ABSENT_FINDINGS = (VisitFinding.OUTCOME, VisitFinding.NOT_FOUND)


class OutcomeKind(models.TextChoices):
    LIVE_BIRTH = "live_birth", _("活产")
    STILLBIRTH = "stillbirth", _("死胎死产")
    MISCARRIAGE = "miscarriage", _("自然流产")
    TERMINATION = "termination", _("人工终止妊娠")
    MOVED_OUT = "moved_out", _("迁出")


class TerminationReason(models.TextChoices):
    """Why a pregnancy was ended; at 14 weeks or more only medical need is lawful
    (the provincial rules on terminations after 14 weeks, docs/design.md §2)."""

    MEDICAL = "medical", _("医学需要")
    PERSONAL = "personal", _("本人意愿（14周以下）")
    OTHER = "other", _("其他")


class PregnancyQuerySet(ScopedQuerySet["Pregnancy"]):
    def open(self) -> PregnancyQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Pregnancy(models.Model):
    """孕情: one woman's follow-up record, from the service certificate to the outcome.

    `next_due_on`, `overdue_visits`, `absent_findings`, `last_visit_on` and
    `schedule_checked_on` are denormalised from the visits and the area's policy; the
    services refresh them in the same transaction as every visit or outcome write, and
    `raise_alerts` refreshes them nightly, so the overdue list is one indexed query.
    """

    woman = models.ForeignKey(
        Woman, models.PROTECT, related_name="pregnancies", verbose_name=_("孕妇")
    )
    village = models.ForeignKey(
        Area, models.PROTECT, related_name="pregnancies", verbose_name=_("跟踪服务村")
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=PregnancyStatus,
        default=PregnancyStatus.PREGNANT,
    )
    registered_on = models.DateField(_("建档日期"))
    # The day the LMP was registered (the same as registered_on unless she was
    # followed from her certificate first): what on-time registration is judged on.
    pregnancy_registered_on = models.DateField(_("孕情登记日期"), null=True, blank=True)
    lmp_on = models.DateField(_("末次月经"), null=True, blank=True)
    due_on = models.DateField(_("预产期"), null=True, blank=True)
    registered_week = models.PositiveSmallIntegerField(
        _("登记时孕周"), null=True, blank=True
    )
    is_late_registration = models.BooleanField(_("超过4个月登记"), default=False)
    birth_order = models.PositiveSmallIntegerField(_("孕次孩次"))
    living_boys = models.PositiveSmallIntegerField(_("现有男孩"), default=0)
    living_girls = models.PositiveSmallIntegerField(_("现有女孩"), default=0)
    certificate_number = models.CharField(
        _("生育服务证/生育登记号"), max_length=40, blank=True
    )
    certificate_on = models.DateField(_("发证/登记日期"), null=True, blank=True)
    responsible_persons = models.CharField(_("责任人"), max_length=200)
    handed_over_from = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_to",
        verbose_name=_("由其他村移交"),
    )
    note = models.TextField(_("备注"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    # A double submission of the registration form saves one record (core/submissions).
    submission_key = submission_key_column()
    # Denormalised schedule state (see the class docstring).
    policy_key = models.CharField(_("随访规则"), max_length=60, blank=True)
    next_due_on = models.DateField(_("下次随访截止"), null=True, blank=True)
    overdue_visits = models.PositiveSmallIntegerField(_("逾期未访次数"), default=0)
    absent_findings = models.PositiveSmallIntegerField(default=0)
    last_visit_on = models.DateField(_("最近随访"), null=True, blank=True)
    schedule_checked_on = models.DateField(null=True, blank=True)
    # Optimistic claim of the nightly run (raise_alerts): a random token per run.
    claim_token = models.CharField(max_length=32, blank=True)

    area_path = "village"
    objects = PregnancyQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("孕情")
        verbose_name_plural = _("孕情")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PregnancyStatus.values),
                name="pregnancies_pregnancy_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=PregnancyStatus.AWAITING,
                    lmp_on__isnull=True,
                    due_on__isnull=True,
                    certificate_on__isnull=False,
                )
                | (
                    ~Q(status=PregnancyStatus.AWAITING)
                    & Q(lmp_on__isnull=False, due_on__isnull=False)
                ),
                name="pregnancies_pregnancy_lmp_unless_awaiting",
            ),
            models.CheckConstraint(
                condition=Q(birth_order__gte=1),
                name="pregnancies_pregnancy_birth_order_positive",
            ),
            # A woman has at most one open follow-up (docs/design.md §5; also decides races).
            models.UniqueConstraint(
                fields=["woman"],
                condition=Q(status__in=OPEN_STATUSES),
                name="pregnancies_pregnancy_one_open_per_woman",
            ),
        ]
        indexes = [
            # Worklists: overdue visits / visits due this week. Only followed rows
            # (open, or ended within the postpartum follow-up) have a next_due_on.
            models.Index(
                fields=["next_due_on", "overdue_visits"],
                condition=Q(next_due_on__isnull=False),
                name="pregnancies_followed_by_due",
            ),
            # Worklist "past due date with no outcome" and the 孕情消失 rule.
            models.Index(
                fields=["due_on"],
                condition=Q(status=PregnancyStatus.PREGNANT),
                name="pregnancies_pregnant_by_due",
            ),
            # raise_alerts claims open rows not yet checked today.
            models.Index(
                fields=["schedule_checked_on"],
                condition=Q(status__in=OPEN_STATUSES) | Q(next_due_on__isnull=False),
                name="pregnancies_followed_checked",
            ),
        ]

    def __str__(self) -> str:
        if self.lmp_on is None:
            return f"{self.woman.name}（{PregnancyStatus.AWAITING.label}）"
        return f"{self.woman.name}（末次月经 {self.lmp_on:%Y-%m-%d}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # The one rule for which actions a pregnancy admits: the services refuse what these
    # refuse, and the templates show a button only where they admit it (docs/homes.md).
    @property
    def can_record_visit(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_record_outcome(self) -> bool:
        return self.status == PregnancyStatus.PREGNANT

    @property
    def responsible_list(self) -> list[str]:
        return split_names(self.responsible_persons)


def split_names(text: str) -> list[str]:
    """Names typed as "张三、李四" / "张三,李四" / "张三 李四", de-duplicated in order."""
    for sep in ("，", ",", "；", ";", " ", "\u3000", "/"):
        text = text.replace(sep, "、")
    names: list[str] = []
    for name in (n.strip() for n in text.split("、")):
        if name and name not in names:
            names.append(name)
    return names


class Visit(models.Model):
    """一次孕情跟踪服务 (follow-up visit). Seed: 湫坡头镇 plan §四(二)3; signed by at
    least two responsible persons; a woman living elsewhere: place, check proof from
    there, contact with that place's office."""

    pregnancy = models.ForeignKey(
        Pregnancy, models.PROTECT, related_name="visits", verbose_name=_("孕情")
    )
    visited_on = models.DateField(_("随访日期"))
    visitors = models.CharField(_("随访人"), max_length=200)
    mode = models.CharField(_("方式"), max_length=10, choices=VisitMode)
    finding = models.CharField(_("随访结果"), max_length=12, choices=VisitFinding)
    elsewhere_place = models.CharField(_("现居住地"), max_length=120, blank=True)
    elsewhere_proof = models.CharField(
        _("现居住地查验证明"), max_length=200, blank=True
    )
    elsewhere_contact = models.CharField(
        _("与现居住地计生办联系情况"), max_length=200, blank=True
    )
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    # A double submission of the visit form saves one visit (core/submissions).
    submission_key = submission_key_column()

    area_path = "pregnancy__village"
    objects = ScopedQuerySet["Visit"].as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("随访")
        verbose_name_plural = _("随访")
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=VisitMode.values),
                name="pregnancies_visit_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(finding__in=VisitFinding.values),
                name="pregnancies_visit_finding_valid",
            ),
        ]
        indexes = [
            # Schedule refresh: the visit dates of one pregnancy (and of a chunk).
            models.Index(
                fields=["pregnancy", "visited_on"], name="pregnancies_visit_by_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_finding_display()}"


class Outcome(models.Model):
    """妊娠结局: how the pregnancy ended, or that she moved out (handed over)."""

    pregnancy = models.OneToOneField(
        Pregnancy, models.PROTECT, related_name="outcome", verbose_name=_("孕情")
    )
    kind = models.CharField(_("结局"), max_length=12, choices=OutcomeKind)
    occurred_on = models.DateField(_("结局日期"))
    gestational_weeks = models.PositiveSmallIntegerField(_("孕周"))
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("医疗机构"),
    )
    discharge_on = models.DateField(_("出院日期"), null=True, blank=True)
    termination_reason = models.CharField(
        _("终止妊娠原因"), max_length=10, choices=TerminationReason, blank=True
    )
    reason_detail = models.CharField(_("原因说明"), max_length=200, blank=True)
    # TerminationApproval reference (14周以上终止妊娠查验/批准): the number and date
    # of the county's certificate; the approval workflow itself is provider oversight.
    approval_reference = models.CharField(_("查验/批准文号"), max_length=60, blank=True)
    approval_on = models.DateField(_("批准日期"), null=True, blank=True)
    receiving_area = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("迁入村"),
    )
    receiving_place = models.CharField(_("迁往地"), max_length=120, blank=True)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    area_path = "pregnancy__village"
    objects = ScopedQuerySet["Outcome"].as_manager()

    class Meta:
        verbose_name = _("妊娠结局")
        verbose_name_plural = _("妊娠结局")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values),
                name="pregnancies_outcome_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(termination_reason="")
                | Q(
                    kind=OutcomeKind.TERMINATION,
                    termination_reason__in=TerminationReason.values,
                ),
                name="pregnancies_outcome_reason_only_for_termination",
            ),
        ]
        indexes = [
            # raise_alerts: terminations at >= 14 weeks without approval.
            models.Index(
                fields=["kind", "gestational_weeks"], name="pregnancies_outcome_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class BirthQuerySet(ScopedQuerySet["Birth"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class Birth(models.Model):
    """出生: one live-born child of an outcome (twins and triplets are several rows).

    Statistics read these (docs/design.md §6): sex, the birth order among the mother's births
    (twins get consecutive orders), and the sexes of her earlier live-born children at
    the time of this birth (for a second twin, the first twin counts as earlier).
    """

    outcome = models.ForeignKey(
        Outcome, models.PROTECT, related_name="births", verbose_name=_("妊娠结局")
    )
    pregnancy = models.ForeignKey(
        Pregnancy, models.PROTECT, related_name="births", verbose_name=_("孕情")
    )
    mother = models.ForeignKey(
        Woman, models.PROTECT, related_name="births", verbose_name=_("母亲")
    )
    child = models.OneToOneField(
        Child, models.PROTECT, related_name="birth", verbose_name=_("子女")
    )
    sex = models.CharField(_("性别"), max_length=1, choices=Sex)
    born_on = models.DateField(_("出生日期"))
    birth_order = models.PositiveSmallIntegerField(_("孩次"))
    earlier_boys = models.PositiveSmallIntegerField(_("此前男孩数"), default=0)
    earlier_girls = models.PositiveSmallIntegerField(_("此前女孩数"), default=0)
    village = models.ForeignKey(
        Area, models.PROTECT, related_name="births", verbose_name=_("母亲所在村")
    )
    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="births",
        verbose_name=_("接生机构"),
    )
    weight_grams = models.PositiveSmallIntegerField(
        _("出生体重（克）"), null=True, blank=True
    )
    birth_certificate_number = models.CharField(
        _("出生医学证明编号"), max_length=40, blank=True
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    area_path = "village"
    objects = BirthQuerySet.as_manager()

    class Meta:
        ordering = ["-born_on", "birth_order", "id"]
        verbose_name = _("出生")
        verbose_name_plural = _("出生")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="pregnancies_birth_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(birth_order__gte=1),
                name="pregnancies_birth_birth_order_positive",
            ),
            models.CheckConstraint(
                condition=Q(weight_grams__isnull=True)
                | Q(weight_grams__gte=300, weight_grams__lte=7000),
                name="pregnancies_birth_weight_plausible",
            ),
        ]
        indexes = [
            # Births by area and period (statistics, monthly report).
            models.Index(
                fields=["village", "born_on"], name="pregnancies_birth_by_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sex_display()} {self.born_on:%Y-%m-%d}（第{self.birth_order}孩）"


class InfantDeathQuerySet(ScopedQuerySet["InfantDeath"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class InfantDeath(models.Model):
    """婴儿死亡: reported within 24 hours (docs/design.md §5); the delay is kept."""

    child = models.OneToOneField(
        Child, models.PROTECT, related_name="death_report", verbose_name=_("婴儿")
    )
    mother = models.ForeignKey(
        Woman, models.PROTECT, related_name="infant_deaths", verbose_name=_("母亲")
    )
    village = models.ForeignKey(
        Area, models.PROTECT, related_name="infant_deaths", verbose_name=_("所在村")
    )
    sex = models.CharField(_("性别"), max_length=1, choices=Sex)
    died_at = models.DateTimeField(_("死亡时间"))
    cause = models.CharField(_("死亡原因"), max_length=200)
    death_certificate_number = models.CharField(
        _("死亡医学证明编号"), max_length=40, blank=True
    )
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    report_delay_hours = models.PositiveIntegerField(_("报告间隔（小时）"))
    is_late_report = models.BooleanField(_("超过24小时报告"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    area_path = "village"
    objects = InfantDeathQuerySet.as_manager()

    class Meta:
        ordering = ["-died_at", "-id"]
        verbose_name = _("婴儿死亡")
        verbose_name_plural = _("婴儿死亡")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values),
                name="pregnancies_infantdeath_sex_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child}（{self.died_at:%Y-%m-%d}）"


class SchedulePolicy(models.Model):
    """随访规则: a visit-schedule policy as data (srbgov.schedules JSON) for a county
    or township. A township's own policy wins over its county's; with neither, the
    seed's (湫坡头镇 plan) applies. Edited by the county officer."""

    area = models.OneToOneField(
        Area, models.PROTECT, related_name="schedule_policy", verbose_name=_("适用区划")
    )
    data = models.JSONField(_("规则内容"))
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    area_path = "area"
    objects = ScopedQuerySet["SchedulePolicy"].as_manager()

    class Meta:
        ordering = ["area__code"]
        verbose_name = _("随访规则")
        verbose_name_plural = _("随访规则")

    def __str__(self) -> str:
        return f"{self.area.name}：{self.data.get('name', '')}"
