"""The sweep of stored import files (docs/import.md §4).

An uploaded register holds identity numbers in clear (sealed, but readable with the
field key), and keeping it longer than its use is collecting more than needed. Once a
job is finished for good (imported, discarded or failed) its file serves only the
error report and the restore of a corrected report's masked numbers; after the
retention period (`EXCHANGE_FILE_RETENTION_DAYS`, default 30 days after the job
finished) the sweep deletes it. The job keeps its counts and problems; its error
report then lists the rows and messages without the cells.

The preview's sealed plan (`ImportJob.plan`, identity numbers again) is of use only
on the day it was made: an import on a later day checks every row afresh. The same
sweep clears the plans of previews from before today that were never imported or
discarded, so that an abandoned preview keeps no second copy.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.exchange.models import FINISHED, ImportJob
from srbgov.files import storage

DEFAULT_RETENTION_DAYS = 30
SWEEPER = "sweep_import_files"


def retention() -> timedelta:
    return timedelta(
        days=int(
            getattr(settings, "EXCHANGE_FILE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        )
    )


def sweep_import_files(*, now: datetime | None = None) -> int:
    """Delete the stored files of the jobs finished more than the retention period
    ago; returns how many. One transaction marks the jobs swept and writes one audit
    entry; the files are deleted after it commits, so a rolled-back sweep deletes
    nothing that a job still points to."""
    cutoff = (now or timezone.now()) - retention()
    with transaction.atomic():
        jobs = list(
            ImportJob.objects.select_for_update()
            .filter(status__in=FINISHED, source_swept_at__isnull=True)
            .filter(
                Q(finished_at__lt=cutoff)
                | Q(finished_at__isnull=True, created_at__lt=cutoff)
            )
            .select_related("source")
            .defer("plan")
            .order_by("pk")
        )
        if not jobs:
            return 0
        ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
            source_swept_at=timezone.now()
        )
        record(
            user=None,
            username=SWEEPER,
            action=AuditAction.DELETE,
            object_type=ImportJob._meta.label_lower,
            object_repr="导入文件超过保留期限删除",
            detail={
                "jobs": [job.pk for job in jobs],
                "retention_days": retention().days,
            },
        )
        paths = [job.source.path for job in jobs]
        transaction.on_commit(lambda: _delete(paths))
    return len(jobs)


def _delete(paths: list[str]) -> None:
    for relative in paths:
        storage.absolute(relative).unlink(missing_ok=True)


def clear_stale_plans(*, now: datetime | None = None) -> int:
    """Clear the plans of previews made before today (see the module doc); returns
    how many. Audited in one entry when there are any."""
    moment = timezone.localtime(now or timezone.now())
    start_of_day = timezone.make_aware(datetime.combine(moment.date(), time.min))
    with transaction.atomic():
        stale = list(
            ImportJob.objects.filter(plan__isnull=False, created_at__lt=start_of_day)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not stale:
            return 0
        ImportJob.objects.filter(pk__in=stale).update(plan=None)
        record(
            user=None,
            username=SWEEPER,
            action=AuditAction.DELETE,
            object_type=ImportJob._meta.label_lower,
            object_repr="过期的导入预览结果清除",
            detail={"plans": stale},
        )
    return len(stale)
