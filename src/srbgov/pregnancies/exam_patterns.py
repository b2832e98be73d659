"""The “孕情消失” half of the exam pattern (issue 17 item 5, docs/registers.md §3): an
ultrasound exam at 14 weeks or more, when the sex can be seen, followed within 30 days
by the pregnancy's disappearance as the follow-up records it:

- an outcome recorded as a miscarriage (自然流产) within the 30 days, or
- a visit within the 30 days finding “已有结局” while no outcome is recorded (the
  孕情消失 of docs/design.md §5, dated by the visit).

It lives here, not in providers/services/patterns.py, because pregnancies sits above
providers in the layers (docs/architecture.md): this module reads the exam register,
the register never reads the pregnancies. Same alert kind as the termination half
(`exam_then_termination`, whose label names both), subject the exam, key suffix the
outcome or the visit: each pair is raised once; her township (the pregnancy's village)
works it. One query per source over the county, no per-woman loop.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateField, ExpressionWrapper, OuterRef, Subquery
from django.utils.translation import gettext as _

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import Finding, raise_findings
from srbgov.pregnancies.models import Outcome, OutcomeKind, Visit, VisitFinding
from srbgov.providers.models import LATE_TERMINATION_WEEKS, UltrasoundExam
from srbgov.providers.services.exams import EXAM_SUBJECT
from srbgov.providers.services.patterns import FOLLOW_DAYS


def _latest_late_exam(hash_ref: str, on_ref: str) -> Subquery:
    """The latest ≥14-week exam of the same woman (identity hash) in the 30 days up to
    the outer row's date, on the (id_number_hash, examined_on) index."""
    window_start = ExpressionWrapper(
        OuterRef(on_ref) - timedelta(days=FOLLOW_DAYS), output_field=DateField()
    )
    return Subquery(
        UltrasoundExam.objects.filter(
            id_number_hash=OuterRef(hash_ref),
            gestational_weeks__gte=LATE_TERMINATION_WEEKS,
            examined_on__lte=OuterRef(on_ref),
            examined_on__gte=window_start,
        )
        .order_by("-examined_on", "-id")
        .values("id")[:1]
    )


def _exam_weeks() -> Subquery:
    return Subquery(
        UltrasoundExam.objects.filter(id=OuterRef("exam_id")).values(
            "gestational_weeks"
        )[:1]
    )


def exam_disappearance_findings(*, id_number_hash: str | None = None) -> list[Finding]:
    """The (exam, 孕情消失) pairs of the county; with `id_number_hash`, hers alone (the
    write path)."""
    outcomes = Outcome.objects.filter(kind=OutcomeKind.MISCARRIAGE)
    visits = Visit.objects.filter(
        finding=VisitFinding.OUTCOME, pregnancy__outcome__isnull=True
    )
    if id_number_hash is not None:
        outcomes = outcomes.filter(pregnancy__woman__id_number_hash=id_number_hash)
        visits = visits.filter(pregnancy__woman__id_number_hash=id_number_hash)
    outcome_rows = (
        outcomes.annotate(
            exam_id=_latest_late_exam("pregnancy__woman__id_number_hash", "occurred_on")
        )
        .filter(exam_id__isnull=False)
        .annotate(exam_weeks=_exam_weeks())
        .values_list(
            "pk",
            "exam_id",
            "exam_weeks",
            "occurred_on",
            "pregnancy__village_id",
            "pregnancy__woman__name",
        )
    )
    visit_rows = (
        visits.annotate(
            exam_id=_latest_late_exam("pregnancy__woman__id_number_hash", "visited_on")
        )
        .filter(exam_id__isnull=False)
        .annotate(exam_weeks=_exam_weeks())
        .values_list(
            "pk",
            "exam_id",
            "exam_weeks",
            "visited_on",
            "pregnancy__village_id",
            "pregnancy__woman__name",
        )
    )
    findings = [
        Finding(
            kind=AlertKind.EXAM_THEN_TERMINATION,
            area_id=village,
            subject_type=EXAM_SUBJECT,
            subject_id=exam_id,
            key_suffix=f"outcome:{pk}",
            summary=_("%(name)s：孕%(weeks)d周B超检查后30日内报自然流产（%(date)s）")
            % {"name": name, "weeks": weeks, "date": on.isoformat()},
        )
        for pk, exam_id, weeks, on, village, name in outcome_rows
    ]
    findings += [
        Finding(
            kind=AlertKind.EXAM_THEN_TERMINATION,
            area_id=village,
            subject_type=EXAM_SUBJECT,
            subject_id=exam_id,
            key_suffix=f"visit:{pk}",
            summary=_(
                "%(name)s：孕%(weeks)d周B超检查后30日内随访称已有结局但未登记结局（%(date)s）"
            )
            % {"name": name, "weeks": weeks, "date": on.isoformat()},
        )
        for pk, exam_id, weeks, on, village, name in visit_rows
    ]
    return findings


def raise_exam_disappearance_alerts(*, id_number_hash: str | None = None) -> int:
    """Open the alerts not raised before; returns how many it opened. Called after each
    outcome, visit and exam write (for her alone) and by the nightly job."""
    return raise_findings(exam_disappearance_findings(id_number_hash=id_number_hash))


def on_exam_recorded(exam: UltrasoundExam) -> None:
    """An exam entered after the miscarriage or the visit it preceded (providers hook)."""
    raise_exam_disappearance_alerts(id_number_hash=exam.id_number_hash)
