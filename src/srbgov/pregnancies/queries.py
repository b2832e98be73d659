"""Reads shared by the worklists, their exports and the bench."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from srbgov.alerts.models import Alert, AlertQuerySet
from srbgov.pregnancies.models import Birth, PregnancyQuerySet, PregnancyStatus
from srbgov.providers.models import Facility
from srbgov.schedules import gestational_week
from srbgov.stats import SrbEstimate, srb_estimate


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: Any
    empty: Any


WORKLISTS = {
    w.slug: w
    for w in (
        Worklist(
            "due-this-week",
            _("本周应随访"),
            _("本周没有到期的随访。可以查看“逾期未访”名单。"),
        ),
        Worklist(
            "overdue",
            _("逾期未访"),
            _("没有逾期未访的孕情。请继续按时随访。"),
        ),
        Worklist(
            "past-due",
            _("超过预产期未登记结局"),
            _("没有超过预产期仍未登记结局的孕情。"),
        ),
    )
}


def week_end(today: date) -> date:
    """Sunday of the current (Monday-first) week."""
    return today + timedelta(days=6 - today.weekday())


def worklist(
    pregnancies: PregnancyQuerySet, slug: str, today: date
) -> PregnancyQuerySet:
    """One worklist over already-scoped pregnancies. The overdue and due-this-week
    lists read the denormalised `next_due_on` (partial index
    pregnancies_followed_by_due); past-due reads `due_on` (pregnancies_pregnant_by_due).
    """
    if slug == "due-this-week":
        rows = pregnancies.filter(
            next_due_on__gte=today, next_due_on__lte=week_end(today)
        ).order_by("next_due_on", "id")
    elif slug == "overdue":
        # Worst first: most visits missed, then the longest overdue.
        rows = pregnancies.filter(next_due_on__lt=today).order_by(
            "-overdue_visits", "next_due_on", "id"
        )
    elif slug == "past-due":
        rows = pregnancies.filter(
            status=PregnancyStatus.PREGNANT, due_on__lt=today
        ).order_by("due_on", "id")
    else:
        raise KeyError(slug)
    return rows.select_related("woman", "village__parent")


def search(
    pregnancies: PregnancyQuerySet, filters: dict[str, Any]
) -> PregnancyQuerySet:
    q = (filters.get("q") or "").strip()
    if q:
        pregnancies = pregnancies.filter(woman__name__contains=q)
    if filters.get("village"):
        pregnancies = pregnancies.filter(village=filters["village"])
    if filters.get("status"):
        pregnancies = pregnancies.filter(status=filters["status"])
    if filters.get("late"):
        pregnancies = pregnancies.filter(is_late_registration=True)
    if filters.get("alerted"):
        pregnancies = pregnancies.filter(Exists(open_alerts_of(OuterRef("pk"))))
    return pregnancies.select_related("woman", "village__parent").order_by(
        "-registered_on", "-id"
    )


# Alerts name their subject by (type, id); the pregnancy rules raise theirs on
# ("pregnancy", str(pk)) (pregnancies/rules.py).
PREGNANCY_SUBJECT = "pregnancy"


def open_alerts_of(pregnancy_pk: Any) -> AlertQuerySet:
    """The open alerts about one pregnancy (a pk, or `OuterRef("pk")` in a filter).
    Not scoped by area: it only narrows pregnancies the caller already reads through
    the scoped getter, or the one pregnancy she was let open."""
    return Alert.objects.open().filter(
        subject_type=PREGNANCY_SUBJECT,
        subject_id=Cast(pregnancy_pk, output_field=CharField()),
    )


def current_week(lmp_on: date | None, today: date) -> int | None:
    if lmp_on is None or lmp_on > today:
        return None
    return gestational_week(lmp_on, today)


def on_time_share(pregnancies: PregnancyQuerySet) -> tuple[int, int]:
    """(registered on time, registered) — seed XX镇 plan §二: target >= 85 %."""
    registered = pregnancies.filter(~Q(status=PregnancyStatus.AWAITING))
    return (
        registered.filter(is_late_registration=False).count(),
        registered.count(),
    )


def births_by_sex_at(facility: Facility) -> SrbEstimate:
    """Births delivered at the facility (Birth.facility), SRB with its 95 % Wilson
    interval (docs/design.md §6). Shown on the facility page through providers/hooks.py."""
    counts = dict(
        Birth.objects.filter(facility=facility)
        .values_list("sex")
        .annotate(n=Count("id"))
    )
    return srb_estimate(counts.get("M", 0), counts.get("F", 0))
