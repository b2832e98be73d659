"""Patterns across registers (issue 17 item 5, docs/registers.md §3): what no single
register shows. One set-based pass over the county, run nightly and after writes.

Pattern 1: an ultrasound exam at 14 weeks or more followed within 30 days by a
termination at another facility: the sex may have been seen at one place and the
pregnancy ended at another. The alert goes to her township (her village when known,
else the exam facility's area); its subject is the exam, the termination is the key
suffix, so each pair is raised once.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateField, ExpressionWrapper, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import Finding, raise_findings
from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    TerminationRecord,
    UltrasoundExam,
)
from srbgov.providers.services.exams import EXAM_SUBJECT

#: Days after a ≥14-week exam within which a termination elsewhere is a pattern.
FOLLOW_DAYS = 30


def exam_termination_findings(*, id_number_hash: str | None = None) -> list[Finding]:
    """The (exam, termination elsewhere) pairs of the whole county, in one query.

    For each termination the latest ≥14-week exam of the same woman (identity hash)
    at another facility in the 30 days before is looked up by a correlated subquery on
    the (id_number_hash, examined_on) index. With `id_number_hash`, only her entries
    (the write path: a termination or an exam just recorded)."""
    window_start = ExpressionWrapper(
        OuterRef("terminated_on") - timedelta(days=FOLLOW_DAYS),
        output_field=DateField(),
    )
    earlier = (
        UltrasoundExam.objects.filter(
            id_number_hash=OuterRef("id_number_hash"),
            gestational_weeks__gte=LATE_TERMINATION_WEEKS,
            examined_on__lte=OuterRef("terminated_on"),
            examined_on__gte=window_start,
        )
        .exclude(facility_id=OuterRef("facility_id"))
        .order_by("-examined_on", "-id")
    )
    terminations = TerminationRecord.objects.all()
    if id_number_hash is not None:
        terminations = terminations.filter(id_number_hash=id_number_hash)
    rows = (
        terminations.annotate(
            exam_id=Subquery(earlier.values("id")[:1]),
        )
        .filter(exam_id__isnull=False)
        .annotate(
            exam_area=Subquery(
                UltrasoundExam.objects.filter(id=OuterRef("exam_id")).values(
                    area=Coalesce(F("village_id"), F("facility__area_id"))
                )[:1]
            ),
            exam_weeks=Subquery(
                UltrasoundExam.objects.filter(id=OuterRef("exam_id")).values(
                    "gestational_weeks"
                )[:1]
            ),
        )
        .values_list(
            "pk",
            "exam_id",
            "exam_area",
            "exam_weeks",
            "terminated_on",
            "id_number_masked",
        )
    )
    return [
        Finding(
            kind=AlertKind.EXAM_THEN_TERMINATION,
            area_id=area,
            subject_type=EXAM_SUBJECT,
            subject_id=exam_id,
            key_suffix=f"termination:{pk}",
            summary=_(
                "孕%(weeks)d周B超检查后30日内在另一机构终止妊娠（%(masked)s，%(date)s）"
            )
            % {"weeks": weeks, "masked": masked, "date": on.isoformat()},
        )
        for pk, exam_id, area, weeks, on, masked in rows
    ]


def raise_exam_termination_alerts(*, id_number_hash: str | None = None) -> int:
    """Open the alerts of pattern 1 not raised before; returns how many it opened.
    Called after each termination and exam is written (for her alone) and by the
    nightly job over the county."""
    return raise_findings(exam_termination_findings(id_number_hash=id_number_hash))
