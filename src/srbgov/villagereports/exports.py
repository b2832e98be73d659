"""The month's reports as a sheet (docs/access.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.reports.exports import Column, Export
from srbgov.villagereports.models import FIGURES, MonthlyReport


def _figure(key: str) -> Column[MonthlyReport]:
    label = dict(FIGURES)[key]
    return Column(label, lambda r: int(r.figures.get(key, 0)))


REPORTS: Export[MonthlyReport] = Export(
    title=_("村级月报"),
    object_type="villagereports.monthlyreport",
    columns=(
        Column(_("村"), lambda r: r.village.name),
        Column(_("月份"), lambda r: r.label),
        Column(_("状态"), lambda r: r.get_status_display()),
        *(_figure(k) for k, _label in FIGURES),
        Column(_("备注说明"), lambda r: r.notes),
        Column(_("审核意见"), lambda r: r.review_comment),
    ),
)
