"""The audit log as a sheet, for the auditor (docs/access.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.audit.models import AuditEntry
from srbgov.reports.exports import Column, Export

ENTRIES: Export[AuditEntry] = Export(
    title=_("审计日志"),
    object_type="audit.auditentry",
    columns=(
        Column(_("时间"), lambda e: e.at),
        Column(_("用户名"), lambda e: e.username),
        Column(_("IP地址"), lambda e: e.ip_address or ""),
        Column(_("操作"), lambda e: e.get_action_display()),
        Column(_("对象类型"), lambda e: e.object_type),
        Column(_("对象编号"), lambda e: e.object_id),
        Column(_("对象"), lambda e: e.object_repr),
    ),
)
