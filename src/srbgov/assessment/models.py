"""Indicators, one-vote-veto events and rectification tasks (docs/assessment.md).

The assessment is of the offices' and villages' own work (docs/design.md §2): an indicator
counts registrations, visits, reports, leads and campaigns of a unit; no field here holds a
woman, a couple or a score of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet


class Level(models.TextChoices):
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村")


class RuleChoice(models.TextChoices):
    THRESHOLD = "threshold", _("达标得满分，未达标不得分")
    PROPORTIONAL = "proportional", _("按完成比例得分")


class Indicator(models.Model):
    """考核指标: one line of a county's assessment of its townships or villages for a year.
    `kind` names a function in the registry (assessment/indicators.py) that counts the
    numerator and denominator from srbgov's own records."""

    county = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("县")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("考核对象"), max_length=10, choices=Level)
    kind = models.CharField(_("计算方法"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=80)
    target = models.DecimalField(_("目标值"), max_digits=8, decimal_places=2)
    weight = models.PositiveSmallIntegerField(_("分值"))
    rule = models.CharField(
        _("计分规则"), max_length=14, choices=RuleChoice, default=RuleChoice.THRESHOLD
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    area_path = "county"
    objects = ScopedQuerySet["Indicator"].as_manager()

    class Meta:
        ordering = ["year", "level", "position", "id"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "level", "kind"],
                name="assessment_indicator_one_kind_per_level",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="assessment_indicator_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class VetoKind(models.TextChoices):
    """一票否决事项 (湫坡头镇 plan §四(四), XX镇 plan §四4): confirmed acts in the village."""

    SEX_IDENTIFICATION = "sex_identification", _("非医学需要胎儿性别鉴定")
    SELECTIVE_TERMINATION = "selective_termination", _("非医学需要选择性别终止妊娠")
    INFANT_HARM = "infant_harm", _("遗弃、溺杀女婴")


class VetoEvent(models.Model):
    """A confirmed veto event in a village: the village loses its year's assessment."""

    village = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("村")
    )
    kind = models.CharField(_("事项"), max_length=24, choices=VetoKind)
    confirmed_on = models.DateField(_("查实日期"))
    description = models.TextField(_("情况说明"))
    case_number = models.CharField(_("案件编号"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    area_path = "village"
    objects = ScopedQuerySet["VetoEvent"].as_manager()

    class Meta:
        ordering = ["-confirmed_on", "-id"]
        verbose_name = _("一票否决事项")
        verbose_name_plural = _("一票否决事项")

    def __str__(self) -> str:
        return f"{self.village} {self.get_kind_display()}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待说明")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已通过")


class RectificationQuerySet(ScopedQuerySet["Rectification"]):
    def unfinished(self) -> RectificationQuerySet:
        return self.exclude(status=RectificationStatus.ACCEPTED)

    def overdue(self, *, on: object) -> RectificationQuerySet:
        return self.unfinished().filter(deadline__lt=on)


class Rectification(models.Model):
    """限期整改: a weak unit (below target or vetoed) explains and says how it will
    rectify by a deadline (XX镇 plan §四4: 说明原因，限期整改); the township reviews it."""

    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), default=0)  # 0: the whole year
    reason = models.TextField(_("问题"))
    explanation = models.TextField(_("原因说明"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus,
        default=RectificationStatus.OPEN,
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    area_path = "area"
    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "month"],
                name="assessment_rectification_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(month__lte=12), name="assessment_rectification_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
