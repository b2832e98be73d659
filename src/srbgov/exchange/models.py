from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.core.scope import ScopedQuerySet
from srbgov.files.models import StoredFile


class JobStatus(models.TextChoices):
    CHECKING = "checking", _("正在检查")
    CHECKED = "checked", _("待确认导入")
    IMPORTING = "importing", _("正在导入")
    IMPORTED = "imported", _("已导入")
    DISCARDED = "discarded", _("已放弃")
    FAILED = "failed", _("失败")


# The statuses a worker runs; the others are at rest (docs/import.md §4).
RUNNING = (JobStatus.CHECKING, JobStatus.IMPORTING)
# At rest for good: nobody can import the job's file any more, so the sweep may
# delete it after the retention period. A checked job still waits for its user.
FINISHED = (JobStatus.IMPORTED, JobStatus.DISCARDED, JobStatus.FAILED)


class ImportJob(models.Model):
    """一次数据导入: one uploaded table, its check (the preview) and its import.

    The job row is the queue (docs/import.md §4): a worker claims a job in a running
    status whose heartbeat is missing or stale, and keeps the heartbeat fresh while it
    works. Only counts and per-row problems (row, column, Chinese message) are kept
    here, never a cell's content in clear; the file itself is stored encrypted, and so
    is the preview's plan until the import (`plan`).
    """

    kind = models.CharField(_("导入类型"), max_length=30)
    area = models.ForeignKey(
        Area, models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    source = models.ForeignKey(StoredFile, models.PROTECT, related_name="+")
    original_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus, default=JobStatus.CHECKING
    )
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The preview's plan, sealed under the field key (it holds identity numbers),
    # for a kind that can resume from it; cleared when the job comes to rest
    # (docs/import.md §6).
    plan = models.BinaryField(null=True, blank=True, editable=False)
    # When the sweep deleted the stored file of this job at rest, after the
    # retention period (docs/import.md §4); its counts and problems stay.
    source_swept_at = models.DateTimeField(null=True, blank=True, editable=False)

    area_path = "area"
    objects = ScopedQuerySet["ImportJob"].as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("数据导入")
        verbose_name_plural = _("数据导入")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values),
                name="exchange_importjob_status_valid",
            ),
        ]
        indexes = [
            # The worker's claim: running jobs by heartbeat.
            models.Index(fields=["status", "heartbeat_at"], name="exchange_job_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.done_rows / self.total_rows))
