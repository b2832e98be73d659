"""Girl care (关爱女孩): care households, benefit programmes, applications, public
notices, payment batches, payments and the yearly re-check (docs/care.md)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.care import eligibility
from srbgov.core.scope import ScopedQuerySet
from srbgov.people.models import Woman


class HouseholdKind(models.TextChoices):
    ONE_DAUGHTER = eligibility.ONE_DAUGHTER, _("独女户")
    TWO_DAUGHTERS = eligibility.TWO_DAUGHTERS, _("双女户")
    BEREAVED = eligibility.BEREAVED, _("独生子女死亡家庭")
    DISABLED = eligibility.DISABLED, _("独生子女伤残家庭")


class Residence(models.TextChoices):
    RURAL = "rural", _("农村户籍")
    URBAN = "urban", _("城镇户籍")


class CareHousehold(models.Model):
    """关爱家庭: a woman's household as the registry makes it (derived, not typed), and
    what the village worker confirmed about it. `kind` is "" once it no longer
    qualifies; `reason` always says why (docs/care.md §1)."""

    woman = models.OneToOneField(
        Woman, models.PROTECT, related_name="care_household", verbose_name=_("母亲")
    )
    kind = models.CharField(
        _("家庭类别"), max_length=16, choices=HouseholdKind, blank=True
    )
    reason = models.CharField(_("认定依据"), max_length=200)
    living_daughters = models.PositiveSmallIntegerField(_("存活女儿"), default=0)
    living_sons = models.PositiveSmallIntegerField(_("存活儿子"), default=0)
    children_died = models.PositiveSmallIntegerField(_("死亡子女"), default=0)
    derived_at = models.DateTimeField(_("认定时间"), default=timezone.now)
    # What the village worker confirms or corrects with the family.
    residence = models.CharField(
        _("户籍性质"), max_length=8, choices=Residence, blank=True
    )
    lives_in_village = models.BooleanField(_("在本村居住"), null=True, blank=True)
    mother_birth_on = models.DateField(_("母亲出生日期"), null=True, blank=True)
    father_birth_on = models.DateField(_("父亲出生日期"), null=True, blank=True)
    only_child_disabled = models.BooleanField(_("独生子女重度残疾"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)

    area_path = "woman__village"
    objects = ScopedQuerySet["CareHousehold"].as_manager()

    class Meta:
        ordering = ["woman__village__code", "woman__name", "id"]
        verbose_name = _("关爱家庭")
        verbose_name_plural = _("关爱家庭")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[*HouseholdKind.values, ""]),
                name="care_carehousehold_kind_valid",
            ),
        ]
        indexes = [
            # The household list filters current care households by kind.
            models.Index(fields=["kind"], name="care_household_by_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.woman.name}（{self.get_kind_display() or _('不符合')}）"


class AmountPeriod(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    YEARLY = "yearly", _("每年")


class AgeOf(models.TextChoices):
    EITHER = eligibility.EITHER, _("夫妻任一方（按人发放）")
    MOTHER = eligibility.MOTHER, _("女方")


class BenefitProgram(models.Model):
    """扶助项目: who qualifies, how much, for how long, with which documents. Data, not
    code: a county adds its local programmes here (docs/care.md §2)."""

    county = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("县")
    )
    name = models.CharField(_("项目名称"), max_length=80)
    kinds = models.JSONField(_("适用家庭类别"), default=list)
    min_age = models.PositiveSmallIntegerField(
        _("年龄条件（周岁）"), null=True, blank=True
    )
    age_of = models.CharField(
        _("年龄按"), max_length=8, choices=AgeOf, default=AgeOf.EITHER
    )
    residence = models.CharField(
        _("户籍要求"), max_length=8, choices=Residence, blank=True
    )
    must_live_in_village = models.BooleanField(_("须在本村居住"), default=False)
    starts_on = models.DateField(_("执行起始日期"))
    ends_on = models.DateField(_("执行截止日期"), null=True, blank=True)
    amount = models.DecimalField(_("标准（元/人）"), max_digits=10, decimal_places=2)
    period = models.CharField(
        _("发放周期"), max_length=8, choices=AmountPeriod, default=AmountPeriod.YEARLY
    )
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    documents = models.TextField(_("所需材料"), blank=True)
    source = models.CharField(_("政策依据"), max_length=200, blank=True)

    area_path = "county"
    objects = ScopedQuerySet["BenefitProgram"].as_manager()

    class Meta:
        ordering = ["county__code", "name"]
        verbose_name = _("扶助项目")
        verbose_name_plural = _("扶助项目")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="care_benefitprogram_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="care_benefitprogram_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def yearly_amount(self) -> Decimal:
        """Per person and year."""
        months = 12 if self.period == AmountPeriod.MONTHLY else 1
        return self.amount * months

    def rule(self) -> eligibility.Rule:
        return eligibility.Rule(
            kinds=frozenset(self.kinds),
            min_age=self.min_age,
            age_of=self.age_of,
            residence=self.residence,
            must_live_in_village=self.must_live_in_village,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申请，待乡镇审核")
    REVIEWED = "reviewed", _("乡镇审核通过，待公示")
    ON_NOTICE = "on_notice", _("公示中")
    APPROVED = "approved", _("县级审批通过（享受中）")
    REJECTED = "rejected", _("未通过")
    ENDED = "ended", _("已停止享受")


class PublicNotice(models.Model):
    """公示: the list of a village's applications for one programme, posted in the
    village for the programme's number of days before the county approves."""

    village = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("村")
    )
    program = models.ForeignKey(
        BenefitProgram, models.PROTECT, related_name="notices", verbose_name=_("项目")
    )
    posted_on = models.DateField(_("张贴日期"))
    days = models.PositiveSmallIntegerField(_("公示天数"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    area_path = "village"
    objects = ScopedQuerySet["PublicNotice"].as_manager()

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1), name="care_publicnotice_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} {self.program.name} {self.posted_on:%Y-%m-%d}"

    @property
    def ends_on(self) -> date:
        """The last day of the notice; the county may approve from the day after."""
        return self.posted_on + timedelta(days=self.days - 1)


class Application(models.Model):
    """扶助申请 and, once the county approves, the enrolment that is paid every year
    until the yearly re-check ends it. The bank account is stored encrypted with the
    identity-number cipher (people/crypto.py) and masked everywhere but the bank file."""

    household = models.ForeignKey(
        CareHousehold, models.PROTECT, related_name="applications"
    )
    program = models.ForeignKey(
        BenefitProgram, models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus,
        default=ApplicationStatus.SUBMITTED,
    )
    persons = models.PositiveSmallIntegerField(_("享受人数"))
    yearly_amount = models.DecimalField(
        _("年发放金额"), max_digits=10, decimal_places=2
    )
    reasons = models.CharField(_("符合条件"), max_length=300)
    payee_name = models.CharField(_("收款人"), max_length=40)
    bank_name = models.CharField(_("开户银行"), max_length=60)
    account_encrypted = models.TextField(_("银行账号（加密）"))
    account_masked = models.CharField(_("银行账号"), max_length=24)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("申请日期"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    notice = models.ForeignKey(
        PublicNotice,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("公示"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    ended_on = models.DateField(_("停止日期"), null=True, blank=True)
    end_reason = models.CharField(_("停止原因"), max_length=200, blank=True)

    area_path = "household__woman__village"
    objects = ScopedQuerySet["Application"].as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("扶助申请")
        verbose_name_plural = _("扶助申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="care_application_status_valid",
            ),
            # One open application or enrolment per household and programme.
            models.UniqueConstraint(
                fields=["household", "program"],
                condition=~Q(status__in=["rejected", "ended"]),
                name="care_application_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.program.name}"


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", _("已编制，待审核")
    APPROVED = "approved", _("已审核，可导出银行文件")
    CLOSED = "closed", _("银行已回执")


class PaymentBatch(models.Model):
    """发放批次: one programme, one year, prepared by one person and approved by
    another. The two-person rule holds in the service and in the database."""

    county = models.ForeignKey(Area, models.PROTECT, related_name="+")
    program = models.ForeignKey(
        BenefitProgram, models.PROTECT, related_name="batches", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus, default=BatchStatus.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    area_path = "county"
    objects = ScopedQuerySet["PaymentBatch"].as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | ~Q(approved_by=F("prepared_by")),
                name="care_paymentbatch_two_people",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values),
                name="care_paymentbatch_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} {self.year} #{self.pk}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待发放")
    PAID = "paid", _("已发放")
    RETURNED = "returned", _("银行退回")


class Payment(models.Model):
    """One enrolment's money for one year in one batch. A returned payment stays as
    it was; its retry is a new payment in a later batch (`retry_of`)."""

    batch = models.ForeignKey(PaymentBatch, models.PROTECT, related_name="payments")
    application = models.ForeignKey(
        Application, models.PROTECT, related_name="payments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=PaymentStatus, default=PaymentStatus.PENDING
    )
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=120, blank=True)
    retry_of = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="retry"
    )

    area_path = "application__household__woman__village"
    objects = ScopedQuerySet["Payment"].as_manager()

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values),
                name="care_payment_status_valid",
            ),
            # Never two live payments of one enrolment for one year.
            models.UniqueConstraint(
                fields=["application", "year"],
                condition=Q(status__in=["pending", "paid"]),
                name="care_payment_one_live_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.payee_name} {self.year} {self.amount}"


class RecheckFinding(models.Model):
    """年审: an enrolment whose situation changed, found before the next batch, and
    what the re-check did about it (ended it, with the reason)."""

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="findings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    reason = models.CharField(_("变化情况"), max_length=300)
    found_on = models.DateField(_("年审日期"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    area_path = "application__household__woman__village"
    objects = ScopedQuerySet["RecheckFinding"].as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("年审变化")
        verbose_name_plural = _("年审变化")

    def __str__(self) -> str:
        return self.reason
