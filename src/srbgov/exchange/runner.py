"""The task runner of the import: the job row is the queue (docs/import.md §4).

No Celery, no broker. A job in a running status (checking, importing) is claimed by
one UPDATE that succeeds only if its heartbeat is missing or older than `STALE`; the
worker refreshes the heartbeat with each batch of rows it checks. Small files run in
the request that uploads them; larger ones in a thread the request starts after its
transaction commits, so the page answers at once and polls the progress. The thread
is not a daemon: it survives the request, and a graceful stop of the server waits for
it. If the process dies instead, the import's one transaction is rolled back by the
database (nothing half-written) and the job's heartbeat goes stale: the next upload's
thread or `manage.py run_import_jobs` (cron, every minute) claims it again, up to
`MAX_ATTEMPTS` times, then marks it failed.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from srbgov.exchange import services
from srbgov.exchange.models import RUNNING, ImportJob, JobStatus

log = logging.getLogger("srbgov.exchange")

STALE = timedelta(seconds=120)
MAX_ATTEMPTS = 3
# Files up to this size (about 2,000 register rows) are checked in the request itself.
DEFAULT_INLINE_BYTES = 256 * 1024
# Progress is written at most this often (rows): one UPDATE per batch.
BEAT_ROWS = 2000


def inline_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_INLINE_BYTES", DEFAULT_INLINE_BYTES))


def claim(job_pk: int) -> bool:
    """One worker per job: an atomic UPDATE on a stale or missing heartbeat."""
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_pk, status__in=RUNNING)
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE))
        .update(heartbeat_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _beat(job_pk: int, done: int) -> None:
    ImportJob.objects.filter(pk=job_pk).update(
        done_rows=done, heartbeat_at=timezone.now()
    )


def run_job(job_pk: int) -> None:
    """Claim the job and run its step; any failure leaves the import unwritten and
    the job failed with a Chinese message."""
    if not claim(job_pk):
        return
    job = (
        ImportJob.objects.select_related("source", "created_by")
        .defer("plan")
        .get(pk=job_pk)
    )
    if job.attempts > MAX_ATTEMPTS:
        services.fail_job(
            job_pk=job_pk, message="导入多次中断，没有写入任何记录。请重新上传文件。"
        )
        return

    def progress(done: int) -> None:
        _beat(job_pk, done)

    try:
        if job.status == JobStatus.CHECKING:
            services.check_job(job=job, progress=progress)
        else:
            services.import_job(job=job, progress=progress)
    except Exception:
        log.exception("import job %s failed", job_pk)
        services.fail_job(
            job_pk=job_pk,
            message="处理文件时出错，没有写入任何记录。请稍后重试；如仍出错，请联系系统管理员。",
        )


def _thread_main(job_pk: int) -> None:
    try:
        run_job(job_pk)
    finally:
        connections.close_all()


def start_thread(job_pk: int) -> threading.Thread:
    thread = threading.Thread(
        target=_thread_main, args=(job_pk,), name=f"import-job-{job_pk}", daemon=False
    )
    thread.start()
    return thread


def dispatch(job: ImportJob) -> None:
    """Run the job's step now (a small file) or in a thread after the commit."""
    if job.source.size <= inline_bytes():
        run_job(job.pk)
    else:
        transaction.on_commit(lambda: start_thread(job.pk))


def run_pending() -> int:
    """Every running job whose worker is gone, one after another (the command)."""
    now = timezone.now()
    stale = ImportJob.objects.filter(status__in=RUNNING).filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE)
    )
    pks = list(stale.order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        run_job(pk)
    return len(pks)
