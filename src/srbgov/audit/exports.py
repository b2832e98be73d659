"""The audit log as a sheet, for the auditor (docs/access.md)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from srbgov.audit.models import AuditEntry
from srbgov.audit.templatetags.audit_detail import changes, other_detail
from srbgov.reports.exports import Column, Export


def _detail_text(e: AuditEntry) -> str:
    """The detail as one cell of the sheet: other keys as `key: value`, then each
    changed field as `field: before → after`, so the sheet carries the before/after
    values the auditor's page shows."""
    parts = [f"{k}: {v}" for k, v in other_detail(e.detail)]
    parts += [f"{k}: {b} → {a}" for k, b, a in changes(e.detail) if b != a]
    return "; ".join(parts)


def _detail_html(e: AuditEntry) -> SafeString:
    return SafeString(render_to_string("audit/_detail.html", {"e": e}))


def _at(e: AuditEntry) -> str:
    return timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")


ENTRIES: Export[AuditEntry] = Export(
    title=_("审计日志"),
    object_type="audit.auditentry",
    css="audit",
    columns=(
        Column(_("时间"), lambda e: e.at, shown=_at),
        Column(_("用户名"), lambda e: e.username),
        Column(_("IP地址"), lambda e: e.ip_address or ""),
        Column(_("操作"), lambda e: e.get_action_display()),
        Column(_("对象类型"), lambda e: e.object_type),
        Column(_("对象编号"), lambda e: e.object_id),
        Column(_("对象"), lambda e: e.object_repr),
        Column(_("详情"), _detail_text, shown=_detail_html, css="detail"),
    ),
)
