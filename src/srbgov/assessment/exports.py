"""Assessment sheets: rectification tasks and vetoes (docs/access.md); the scorecard is a
computed table sent with `reports.exports.send_table` (assessment/views.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.assessment.models import Rectification, VetoEvent
from srbgov.reports.exports import Column, Export

RECTIFICATIONS: Export[Rectification] = Export(
    title=_("整改任务"),
    object_type="assessment.rectification",
    columns=(
        Column(_("单位"), lambda r: r.area.name),
        Column(_("考核期"), lambda r: r.period_label),
        Column(_("问题"), lambda r: r.reason),
        Column(_("整改期限"), lambda r: r.deadline),
        Column(_("状态"), lambda r: r.get_status_display()),
        Column(_("原因说明"), lambda r: r.explanation),
        Column(_("整改措施"), lambda r: r.measures),
        Column(_("审核意见"), lambda r: r.review_comment),
    ),
)

VETOES: Export[VetoEvent] = Export(
    title=_("一票否决事项"),
    object_type="assessment.vetoevent",
    columns=(
        Column(_("村"), lambda v: v.village.name),
        Column(_("事项"), lambda v: v.get_kind_display()),
        Column(_("查实日期"), lambda v: v.confirmed_on),
        Column(_("案件编号"), lambda v: v.case_number),
        Column(_("情况说明"), lambda v: v.description),
    ),
)
