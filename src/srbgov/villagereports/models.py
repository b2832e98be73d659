"""村级计划生育信息月报告单 (XX镇 plan §三(三)3): one report per village and month, filled
from the month's records, corrected and annotated by the village worker, reviewed by the
township, locked once approved (docs/assessment.md "The monthly village report")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: The figures of the report, in the order of the paper form.
FIGURES: tuple[tuple[str, StrOrPromise], ...] = (
    ("pregnancies_registered", _("登记孕情")),
    ("visits", _("孕情随访")),
    ("births_boys", _("出生男婴")),
    ("births_girls", _("出生女婴")),
    ("other_outcomes", _("其他妊娠结局（死胎、流产、引产）")),
    ("infant_deaths", _("婴儿死亡")),
    ("moved_in", _("孕情迁入")),
    ("moved_out", _("孕情迁出")),
    ("leads", _("“两非”线索")),
)
FIGURE_KEYS = tuple(k for k, _label in FIGURES)

#: A month's report is due by this day of the following month.
DUE_DAY = 5


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已上报")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审核")


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class MonthlyReport(models.Model):
    village = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("村")
    )
    month = models.DateField(_("月份"))  # the first day of the month
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("上报数"), default=dict)
    computed = models.JSONField(_("填报时系统数"), default=dict)
    notes = models.TextField(_("备注说明"), blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reopen_reason = models.TextField(_("重新打开原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    area_path = "village"
    objects = ScopedQuerySet["MonthlyReport"].as_manager()

    class Meta:
        ordering = ["-month", "village__code"]
        verbose_name = _("村级月报")
        verbose_name_plural = _("村级月报")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "month"], name="villagereports_one_per_village_month"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="villagereports_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.month:%Y-%m}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"
