"""Prenatal diagnosis and genetic testing (产前诊断、遗传学检测, issue 17 item 3).

Seed: 中水镇 plan §一3 and the health center's duties (卫生院 4, 5) ask for control of
chromosome tests and of the licences for prenatal diagnosis. A facility is licensed
(产前诊断技术服务许可) with a number, a scope and a validity; each chromosome or
cell-free DNA (NIPT) test is entered real-name with its medical indication and its
result. A test at a facility without a valid licence on the test date, or a result
that states the fetal sex without a sex-linked disease indication, is a finding for
the township (docs/registers.md §7).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.providers.models.facilities import Facility, scan_column
from srbgov.providers.models.terminations import RealNameRecord


class LicenceScope(models.TextChoices):
    """What the licence allows. Diagnosis includes screening; screening alone allows
    cell-free DNA screening but not a chromosome diagnosis."""

    SCREENING = "screening", _("产前筛查")
    DIAGNOSIS = "diagnosis", _("产前诊断")


class GeneticTestKind(models.TextChoices):
    CHROMOSOME = "chromosome", _("染色体检查（核型分析）")
    CFDNA = "cfdna", _("无创产前基因检测（NIPT）")


# Which licence scopes allow which test (the rule `licence_covers` applies).
SCOPES_FOR_TEST: dict[str, frozenset[str]] = {
    GeneticTestKind.CHROMOSOME: frozenset({LicenceScope.DIAGNOSIS}),
    GeneticTestKind.CFDNA: frozenset({LicenceScope.DIAGNOSIS, LicenceScope.SCREENING}),
}


class TestIndication(models.TextChoices):
    """The medical indication of the test (检测指征)."""

    ADVANCED_AGE = "advanced_age", _("高龄孕妇（35岁及以上）")
    SCREENING_RISK = "screening_risk", _("血清学筛查高风险")
    ULTRASOUND = "ultrasound", _("超声检查提示胎儿异常")
    HISTORY = "history", _("不良孕产史或染色体异常生育史")
    SEX_LINKED = "sex_linked", _("伴性遗传病家族史")
    OTHER = "other", _("其他医学指征")


class TestResult(models.TextChoices):
    PENDING = "pending", _("待出结果")
    NORMAL = "normal", _("未见异常/低风险")
    ABNORMAL = "abnormal", _("异常/高风险")
    FAILED = "failed", _("检测失败")


class PrenatalLicence(models.Model):
    """产前诊断技术服务许可: a facility's licence with its number, scope, validity."""

    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        related_name="prenatal_licences",
        verbose_name=_("机构"),
    )
    number = models.CharField(_("许可证号"), max_length=60)
    scope = models.CharField(_("许可范围"), max_length=12, choices=LicenceScope)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    scan = scan_column()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "facility__area"
    objects = ScopedQuerySet["PrenatalLicence"].as_manager()

    class Meta:
        ordering = ["facility__name", "-valid_to", "-id"]
        verbose_name = _("产前诊断许可")
        verbose_name_plural = _("产前诊断许可")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=LicenceScope.values),
                name="providers_prenatallicence_scope_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gt=F("valid_from")),
                name="providers_prenatallicence_valid_to_after_from",
            ),
        ]
        indexes = [
            # The licence rule: a facility's licences valid on a test date.
            models.Index(
                fields=["facility", "valid_from", "valid_to"],
                name="providers_licence_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.valid_from}—{self.valid_to}）"

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to


class GeneticTestQuerySet(ScopedQuerySet["GeneticTest"]):
    """Scoped by `area_path` on the model (srbgov.core.scope)."""


class GeneticTest(RealNameRecord):
    """染色体/无创DNA检测登记: one test ordered for a pregnant woman."""

    facility = models.ForeignKey(
        Facility,
        models.PROTECT,
        related_name="genetic_tests",
        verbose_name=_("检测机构"),
    )
    kind = models.CharField(_("检测项目"), max_length=12, choices=GeneticTestKind)
    ordered_on = models.DateField(_("检测日期"))
    gestational_weeks = models.PositiveSmallIntegerField(_("孕周"))
    indication = models.CharField(_("检测指征"), max_length=16, choices=TestIndication)
    indication_note = models.CharField(_("指征说明"), max_length=200, blank=True)
    result = models.CharField(
        _("检测结果"), max_length=10, choices=TestResult, default=TestResult.PENDING
    )
    result_on = models.DateField(_("出结果日期"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    # The report states the fetal sex (胎儿性别). Lawful only for a sex-linked disease.
    reports_sex = models.BooleanField(_("报告载明胎儿性别"), default=False)
    licence = models.ForeignKey(
        PrenatalLicence,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tests",
        verbose_name=_("有效许可"),
    )
    village = models.ForeignKey(
        Area,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("孕妇所在村"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    area_path = ("village", "facility__area")
    objects = GeneticTestQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("产前遗传学检测登记")
        verbose_name_plural = _("产前遗传学检测登记")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=GeneticTestKind.values),
                name="providers_genetictest_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(indication__in=TestIndication.values),
                name="providers_genetictest_indication_valid",
            ),
            models.CheckConstraint(
                condition=Q(result__in=TestResult.values),
                name="providers_genetictest_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(gestational_weeks__gte=1, gestational_weeks__lte=42),
                name="providers_genetictest_weeks_range",
            ),
            models.CheckConstraint(
                condition=Q(result=TestResult.PENDING) | Q(result_on__isnull=False),
                name="providers_genetictest_result_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["facility", "ordered_on"], name="providers_gtest_by_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.woman_name} {self.ordered_on} {self.get_kind_display()}"

    @property
    def is_unlicensed(self) -> bool:
        return self.licence_id is None

    @property
    def is_sex_disclosure(self) -> bool:
        """A report that names the fetal sex without a sex-linked indication."""
        return self.reports_sex and self.indication != TestIndication.SEX_LINKED
