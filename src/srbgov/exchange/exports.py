"""The import's sheets: the list of jobs, and each job's error report (docs/import.md
§3). Both go through reports/, which writes the export to the audit log."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from srbgov.core.http import AuthedRequest
from srbgov.exchange import report, services
from srbgov.exchange.kinds import KINDS
from srbgov.exchange.models import ImportJob
from srbgov.reports.exports import Column, Export, Table, send_table

JOBS: Export[ImportJob] = Export(
    title=_("数据导入记录"),
    object_type="exchange.importjob",
    columns=(
        Column(_("上传时间"), lambda j: j.created_at),
        Column(
            _("导入类型"), lambda j: KINDS[j.kind].label if j.kind in KINDS else j.kind
        ),
        Column(_("文件名"), lambda j: j.original_name),
        Column(
            _("上传人"), lambda j: j.created_by.get_full_name() or j.created_by.username
        ),
        Column(_("状态"), lambda j: j.get_status_display()),
        Column(_("行数"), lambda j: (j.counts or {}).get("rows", 0)),
        Column(_("新增"), lambda j: (j.counts or {}).get("new", 0)),
        Column(_("更新"), lambda j: (j.counts or {}).get("updated", 0)),
        Column(_("重复"), lambda j: (j.counts or {}).get("duplicates", 0)),
        Column(_("错误行"), lambda j: (j.counts or {}).get("errors", 0)),
    ),
)


def error_report_response(request: AuthedRequest, job: ImportJob) -> HttpResponse:
    headers, rows = services.error_report(job)
    return send_table(
        request,
        # Names the job, so that the corrected report gets its numbers back
        # (exchange/report.py).
        title=report.sheet_title(job),
        filename=f"{job.original_name.rsplit('.', 1)[0]}-错误报告",
        object_type="exchange.importjob",
        table=Table(headers, rows),
        detail={"job": job.pk, "kind": job.kind},
    )
