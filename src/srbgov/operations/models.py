"""Runs of the scheduled jobs and the operations alerts (运维告警) they raise.

Neither holds personal data: a run's message is the command's own summary (counts), and
an alert names a job, not a person. They are installation-wide, not area data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")
    UNAVAILABLE = "unavailable", _("命令不可用")
    ABANDONED = "abandoned", _("中断")


class JobRun(models.Model):
    """One run of a registered job, written only by `operations.runner`."""

    job = models.CharField(_("任务"), max_length=40)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration = models.DurationField(_("用时"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=12, choices=Outcome, default=Outcome.RUNNING
    )
    message = models.TextField(_("说明"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("手动启动人"),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("任务运行记录")
        verbose_name_plural = _("任务运行记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="operations_jobrun_outcome_valid",
            ),
            # The optimistic claim: inserting the RUNNING row is the lock, so two runs
            # of one job (a timer and a button, two servers) cannot overlap.
            models.UniqueConstraint(
                fields=["job"],
                condition=Q(outcome="running"),
                name="operations_jobrun_one_running_per_job",
            ),
        ]
        indexes = [
            # The administrator's page and the due/missed rules: latest runs per job.
            models.Index(
                fields=["job", "-started_at"], name="operations_jobrun_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class OpsAlertKind(models.TextChoices):
    FAILED = "failed", _("任务失败")
    MISSED = "missed", _("任务未按时运行")


class OpsAlert(models.Model):
    """运维告警: a job failed or did not run in its period plus grace. Closed by the
    system when the job next succeeds; shown to the administrator."""

    job = models.CharField(_("任务"), max_length=40)
    kind = models.CharField(_("类别"), max_length=10, choices=OpsAlertKind)
    opened_at = models.DateTimeField(_("告警时间"), default=timezone.now)
    message = models.CharField(_("说明"), max_length=300)
    closed_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("运维告警")
        verbose_name_plural = _("运维告警")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OpsAlertKind.values),
                name="operations_opsalert_kind_valid",
            ),
            # Raising is idempotent: one open alert per job and kind.
            models.UniqueConstraint(
                fields=["job", "kind"],
                condition=Q(closed_at__isnull=True),
                name="operations_opsalert_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job}: {self.message}"
