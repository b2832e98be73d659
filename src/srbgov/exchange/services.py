"""Every write of the import: the upload, the check (preview), the import, the discard.
Keyword-only, audited; the import is one transaction (docs/import.md §4)."""

from __future__ import annotations

import base64
import os
import zlib
from collections import defaultdict
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.exchange import report
from srbgov.exchange.kinds import KINDS
from srbgov.exchange.kinds.base import Kind, Plan, Problem, Progress, Resumable
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tabular import (
    RawTable,
    TableError,
    first_sheet_name,
    map_headers,
    read_table,
    row_values,
)
from srbgov.files import storage
from srbgov.files.clean import Refused, clean_table_upload
from srbgov.files.services import store_upload
from srbgov.people.crypto import identity_cipher

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# More rows than any township register holds; a bigger file is split (docs/import.md §2).
MAX_ROWS = 100_000
SEALED_PREFIX = b"srbgov-import-v1:"
PLAN_PREFIX = b"srbgov-plan-v1:"
HEADER_ROW = "表头"
SWEPT = "导入的原文件已超过保留期限，已删除。"


def seal(content: bytes) -> bytes:
    """The upload as stored: AES-256-GCM under the field key, because a register's
    identity numbers are in it in clear (docs/security.md §1, docs/import.md §4)."""
    nonce = os.urandom(12)
    aead = AESGCM(identity_cipher().encryption_key)
    return SEALED_PREFIX + base64.b64encode(nonce + aead.encrypt(nonce, content, None))


def unseal(stored: bytes) -> bytes:
    if not stored.startswith(SEALED_PREFIX):
        raise ValueError("not a sealed import file")
    blob = base64.b64decode(stored[len(SEALED_PREFIX) :])
    return AESGCM(identity_cipher().encryption_key).decrypt(blob[:12], blob[12:], None)


def seal_plan(data: bytes) -> bytes:
    """A frozen plan as the job keeps it: compressed, then AES-256-GCM under the
    field key, as the uploaded file is (docs/import.md §6)."""
    nonce = os.urandom(12)
    aead = AESGCM(identity_cipher().encryption_key)
    return PLAN_PREFIX + nonce + aead.encrypt(nonce, zlib.compress(data, 1), None)


def unseal_plan(stored: bytes) -> bytes:
    if not stored.startswith(PLAN_PREFIX):
        raise ValueError("not a sealed plan")
    blob = stored[len(PLAN_PREFIX) :]
    aead = AESGCM(identity_cipher().encryption_key)
    return zlib.decompress(aead.decrypt(blob[:12], blob[12:], None))


def kind_for(*, by: User, slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None or not kind.allowed(by):
        raise ValidationError({"kind": ["请选择一种可以导入的数据。"]})
    return kind


def upload_table(*, by: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the file (checked by the upload pipeline, srbgov.files) and open a job
    whose first step is the check. The type check runs before the transaction."""
    kind_for(by=by, slug=kind)
    try:
        clean = clean_table_upload(upload)
    except Refused as problem:
        raise ValidationError({"file": problem.messages}) from None
    # What is stored is the sealed file, so its type is opaque bytes.
    sealed = replace(
        clean, content=seal(clean.content), content_type="application/octet-stream"
    )
    with transaction.atomic():
        stored = store_upload(by=by, upload=sealed, folder="imports", field="file")
        job = ImportJob(
            kind=kind,
            area=by.scope,
            created_by=by,
            source=stored,
            original_name=clean.name,
            status=JobStatus.CHECKING,
        )
        job.full_clean()
        job.save()
        record(
            user=by,
            action=AuditAction.CREATE,
            obj=job,
            detail={"kind": kind, "bytes": len(clean.content)},
        )
    return job


def load_table(job: ImportJob) -> RawTable:
    if job.source_swept_at is not None:
        raise TableError(SWEPT)
    data = unseal(storage.read(job.source.path))
    suffix = Path(job.original_name).suffix.lower()
    table = read_table(data, suffix=suffix)
    if suffix == ".xlsx" and report.ROW_NUMBER in table.headers:
        # A corrected error report of the same user: its masked numbers back
        # from her original file (exchange/report.py).
        source = report.source_job(job, first_sheet_name(data))
        if source is not None and source.kind in KINDS:
            try:
                original = load_table(source)
            except TableError:
                return table
            return report.restore_numbers(table, kind=KINDS[job.kind], source=original)
    return table


def _rows_of(
    job: ImportJob, kind: Kind
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    try:
        table = load_table(job)
    except TableError as problem:
        return [], [Problem(1, HEADER_ROW, str(problem))]
    positions, header_problems = map_headers(
        table.headers,
        columns=[(c.key, c.header, c.required, c.aliases) for c in kind.columns],
    )
    if header_problems:
        return [], [Problem(1, p.column, p.message) for p in header_problems]
    limit = int(getattr(kind, "max_rows", MAX_ROWS))
    if len(table.rows) > limit:
        message = f"文件有{len(table.rows)}行，超过上限{limit}行：请分成几个文件导入。"
        return [], [Problem(1, HEADER_ROW, message)]
    return [(n, row_values(cells, positions)) for n, cells in table.rows], []


def _plan(job: ImportJob, progress: Progress) -> Plan:
    kind = KINDS[job.kind]
    rows, problems = _rows_of(job, kind)
    if problems:
        return Plan(rows=0, problems=problems)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), done_rows=0)
    return kind.check(by=job.created_by, rows=rows, progress=progress)


def _problems_json(plan: Plan) -> list[dict[str, Any]]:
    return [asdict(p) for p in sorted(plan.problems, key=lambda p: p.row)]


def check_job(*, job: ImportJob, progress: Progress) -> ImportJob:
    """The preview: what the import would do, row by row. Writes nothing but the
    job's own counts and problems."""
    plan = _plan(job, progress)
    kind = KINDS[job.kind]
    frozen: bytes | None = None
    if isinstance(kind, Resumable) and (plan.new or plan.updates):
        frozen = seal_plan(kind.freeze(plan=plan, today=timezone.localdate()))
    ImportJob.objects.filter(pk=job.pk, status=JobStatus.CHECKING).update(
        status=JobStatus.CHECKED,
        plan=frozen,
        counts=plan.counts(),
        problems=_problems_json(plan),
        done_rows=plan.rows,
        heartbeat_at=None,
    )
    job.refresh_from_db()
    return job


def import_job(*, job: ImportJob, progress: Progress) -> ImportJob:
    """Check again (the registry may have changed since the preview) and write the
    valid rows, all in one transaction with one audit entry of counts. A kind that
    kept its preview's plan checks again only what can have changed since; if
    anything has, every row is checked again (docs/import.md §6)."""
    plan = _resumed(job) or _plan(job, progress)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().defer("plan").get(pk=job.pk)
        if locked.status != JobStatus.IMPORTING:
            return locked  # another worker finished it
        written = KINDS[job.kind].write(by=job.created_by, plan=plan)
        counts = {**plan.counts(), **written}
        record(
            user=job.created_by,
            action=AuditAction.IMPORT,
            obj=locked,
            detail={"kind": job.kind, **counts},
        )
        locked.status = JobStatus.IMPORTED
        locked.counts = counts
        locked.problems = _problems_json(plan)
        locked.done_rows = plan.rows
        locked.heartbeat_at = None
        locked.finished_at = timezone.now()
        locked.plan = None
        locked.save()
    return locked


def _resumed(job: ImportJob) -> Plan | None:
    kind = KINDS[job.kind]
    if not isinstance(kind, Resumable):
        return None
    stored = ImportJob.objects.filter(pk=job.pk).values_list("plan", flat=True).first()
    if not stored:
        return None
    problems = [Problem(**p) for p in job.problems]
    return kind.thaw(
        by=job.created_by, data=unseal_plan(bytes(stored)), problems=problems
    )


def fail_job(*, job_pk: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_pk).update(
        status=JobStatus.FAILED,
        plan=None,
        message=message,
        heartbeat_at=None,
        finished_at=timezone.now(),
    )


def _own_checked(by: User, job: ImportJob) -> None:
    if job.created_by_id != by.pk:
        raise ValidationError("只有上传这个文件的人可以确认导入或放弃。")
    if job.status != JobStatus.CHECKED:
        raise ValidationError("这个文件已经导入或放弃，不能再操作。")


@transaction.atomic
def start_import(*, by: User, job: ImportJob) -> ImportJob:
    """“导入有效行”: the job goes back to a worker, this time to write."""
    job = ImportJob.objects.select_for_update().defer("plan").get(pk=job.pk)
    _own_checked(by, job)
    counts = job.counts or {}
    if not counts.get("new") and not counts.get("updated"):
        raise ValidationError("没有可以导入的有效行。请按错误报告修改后重新上传。")
    job.status = JobStatus.IMPORTING
    job.done_rows = 0
    job.heartbeat_at = None
    job.attempts = 0
    job.save()
    record(user=by, action=AuditAction.UPDATE, obj=job, detail={"step": "import"})
    return job


@transaction.atomic
def discard_job(*, by: User, job: ImportJob) -> ImportJob:
    """“放弃”: nothing is imported; the stored file is no longer needed."""
    job = ImportJob.objects.select_for_update().defer("plan").get(pk=job.pk)
    _own_checked(by, job)
    job.status = JobStatus.DISCARDED
    job.plan = None
    job.finished_at = timezone.now()
    job.save()
    record(user=by, action=AuditAction.UPDATE, obj=job, detail={"step": "discard"})
    return job


def error_report(job: ImportJob) -> tuple[list[str], list[list[Any]]]:
    """The rows with an error or a duplicate as the user uploaded them, with the row
    number and the messages: fix them in this sheet and upload it again."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for problem in job.problems:
        by_row[problem["row"]].append(f"【{problem['column']}】{problem['message']}")
    try:
        table = load_table(job)
    except TableError:
        table = RawTable(headers=[], rows=[])
    if job.source_swept_at is not None:
        # The file is gone (exchange/sweep.py): the rows' numbers and messages stay.
        return [report.ROW_NUMBER, report.ERRORS], [
            [number, "；".join(found)] for number, found in sorted(by_row.items())
        ]
    kind = KINDS[job.kind]
    # The rows whose error is in the identity number keep it in clear; every other
    # number is masked (exchange/report.py, docs/import.md §3).
    clear_rows = {
        p["row"]
        for p in job.problems
        if not p["is_duplicate"] and p["column"] in report.identity_headers(kind)
    }
    positions = report.identity_positions(kind, table.headers)
    headers = [*table.headers, report.ROW_NUMBER, report.ERRORS]
    width = len(table.headers)
    rows: list[list[Any]] = []
    if 1 in by_row and not any(n == 1 for n, _ in table.rows):
        rows.append(["" for _ in range(width)] + [1, "；".join(by_row[1])])
    for number, cells in table.rows:
        if number in by_row:
            padded = (cells + [""] * width)[:width]
            if number not in clear_rows:
                padded = report.masked_cells(padded, positions)
            rows.append([*padded, number, "；".join(by_row[number])])
    return headers, rows
