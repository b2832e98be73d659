"""The alert queue as a sheet (docs/access.md)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.alerts.models import Alert
from srbgov.reports.exports import Column, Export


def _kind_in_group(alert: Alert) -> str:
    """On the queue, the kind with the size of its group: alerts about one subject are
    listed together (alerts/views.py, docs/homes.md)."""
    size = getattr(alert, "group_size", 1) or 1
    kind = str(alert.get_kind_display())
    if size < 2:
        return kind
    return kind + str(_("（同一对象共%(n)d条预警）")) % {"n": size}


ALERTS: Export[Alert] = Export(
    title=_("预警"),
    object_type="alerts.alert",
    css="alerts",
    columns=(
        Column(_("类别"), lambda a: a.get_kind_display(), shown=_kind_in_group),
        Column(_("乡镇"), lambda a: a.area.parent.name if a.area.parent else ""),
        Column(_("村"), lambda a: a.area.name),
        Column(
            _("摘要"),
            lambda a: a.summary,
            link=lambda a: reverse("alerts:alert_detail", args=[a.pk]),
        ),
        Column(_("预警时间"), lambda a: a.opened_at),
        Column(_("状态"), lambda a: a.get_status_display()),
        Column(_("负责人"), lambda a: a.assignee.display_name if a.assignee else ""),
        Column(_("处理结果"), lambda a: a.resolution, page=False),
        Column(_("处理时间"), lambda a: a.resolved_at),
    ),
)
