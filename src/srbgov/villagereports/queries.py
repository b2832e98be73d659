"""The month's figures counted from the live records, for every village of an area at once
(one GROUP BY per figure), and the township's view of a month (docs/assessment.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from srbgov.areas.models import Area, AreaLevel
from srbgov.pregnancies.models import (
    Birth,
    InfantDeath,
    Outcome,
    OutcomeKind,
    Pregnancy,
    Visit,
)
from srbgov.tips.models import LIANGFEI_CATEGORIES, Tip
from srbgov.villagereports.models import (
    DUE_DAY,
    FIGURE_KEYS,
    MonthlyReport,
    ReportStatus,
)

Figures = dict[str, int]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def due_on(month: date) -> date:
    return next_month(month).replace(day=DUE_DAY)


def parse_month(raw: str, *, default: date) -> date:
    """ "2026-03" → 2026-03-01; anything else → `default`."""
    try:
        year, month = raw.split("-")
        if year.isascii() and month.isascii():
            return date(int(year), int(month), 1)
    except ValueError:
        pass
    return default


def live_figures(area: Area, month: date) -> dict[int, Figures]:
    """{village id: figures} of every village in `area` for `month`."""
    end = next_month(month)
    zone = timezone.get_current_timezone()
    start_at = datetime.combine(month, time.min, tzinfo=zone)
    end_at = datetime.combine(end, time.min, tzinfo=zone)
    found: dict[int, Figures] = defaultdict(lambda: dict.fromkeys(FIGURE_KEYS, 0))

    def put(key: str, rows: object) -> None:
        for village, n in rows:  # type: ignore[attr-defined]
            found[village][key] = int(n)

    put(
        "pregnancies_registered",
        Pregnancy.objects.in_area(area)
        .filter(pregnancy_registered_on__gte=month, pregnancy_registered_on__lt=end)
        .values("village_id")
        .annotate(n=Count("id"))
        .values_list("village_id", "n"),
    )
    put(
        "visits",
        Visit.objects.in_area(area)
        .filter(visited_on__gte=month, visited_on__lt=end)
        .values("pregnancy__village_id")
        .annotate(n=Count("id"))
        .values_list("pregnancy__village_id", "n"),
    )
    births = (
        Birth.objects.in_area(area)
        .filter(born_on__gte=month, born_on__lt=end)
        .values("village_id")
        .annotate(b=Count("id", filter=Q(sex="M")), g=Count("id", filter=Q(sex="F")))
        .values_list("village_id", "b", "g")
    )
    for village, b, g in births:
        found[village]["births_boys"] = int(b)
        found[village]["births_girls"] = int(g)
    outcomes = Outcome.objects.in_area(area).filter(
        occurred_on__gte=month, occurred_on__lt=end
    )
    put(
        "other_outcomes",
        outcomes.filter(
            kind__in=[
                OutcomeKind.STILLBIRTH,
                OutcomeKind.MISCARRIAGE,
                OutcomeKind.TERMINATION,
            ]
        )
        .values("pregnancy__village_id")
        .annotate(n=Count("id"))
        .values_list("pregnancy__village_id", "n"),
    )
    put(
        "moved_out",
        outcomes.filter(kind=OutcomeKind.MOVED_OUT)
        .values("pregnancy__village_id")
        .annotate(n=Count("id"))
        .values_list("pregnancy__village_id", "n"),
    )
    # Moving in: a move out of another village that names this one as where she went.
    put(
        "moved_in",
        Outcome.objects.filter(
            kind=OutcomeKind.MOVED_OUT,
            occurred_on__gte=month,
            occurred_on__lt=end,
            receiving_area__code__startswith=area.scope_prefix,
            receiving_area__level=AreaLevel.VILLAGE,
        )
        .values("receiving_area_id")
        .annotate(n=Count("id"))
        .values_list("receiving_area_id", "n"),
    )
    put(
        "infant_deaths",
        InfantDeath.objects.in_area(area)
        .filter(died_at__gte=start_at, died_at__lt=end_at)
        .values("village_id")
        .annotate(n=Count("id"))
        .values_list("village_id", "n"),
    )
    put(
        "leads",
        Tip.objects.filter(
            place_area__code__startswith=area.scope_prefix,
            place_area__level=AreaLevel.VILLAGE,
            category__in=LIANGFEI_CATEGORIES,
            received_on__gte=month,
            received_on__lt=end,
        )
        .values("place_area_id")
        .annotate(n=Count("id"))
        .values_list("place_area_id", "n"),
    )
    return found


def village_live(village: Area, month: date) -> Figures:
    return dict(
        live_figures(village, month).get(village.pk, dict.fromkeys(FIGURE_KEYS, 0))
    )


@dataclass(frozen=True)
class VillageMonth:
    village: Area
    report: MonthlyReport | None
    late: bool
    live: Figures

    @property
    def differences(self) -> dict[str, int]:
        if self.report is None:
            return {}
        return {
            k: int(self.report.figures.get(k, 0)) - self.live.get(k, 0)
            for k in FIGURE_KEYS
            if int(self.report.figures.get(k, 0)) != self.live.get(k, 0)
        }


@dataclass(frozen=True)
class MonthView:
    month: date
    due_on: date
    villages: list[VillageMonth]
    approved_totals: (
        Figures  # township/county totals roll up from approved reports only
    )
    live_totals: Figures
    approved: int

    @property
    def late(self) -> list[VillageMonth]:
        return [v for v in self.villages if v.late]


def month_view(
    *, area: Area, month: date, reports: list[MonthlyReport], today: date
) -> MonthView:
    """Every village of `area` for `month`: its report (from the caller's scoped
    queryset), whether it is late, the live figures, and the totals."""
    villages = list(
        Area.objects.in_area(area).filter(level=AreaLevel.VILLAGE).order_by("code")
    )
    if area.level == AreaLevel.VILLAGE:
        villages = [area]
    by_village = {r.village_id: r for r in reports}
    live = live_figures(area, month)
    past_due = today > due_on(month)
    rows = []
    approved_totals = dict.fromkeys(FIGURE_KEYS, 0)
    live_totals = dict.fromkeys(FIGURE_KEYS, 0)
    approved = 0
    for village in villages:
        report = by_village.get(village.pk)
        figures = dict(live.get(village.pk, dict.fromkeys(FIGURE_KEYS, 0)))
        sent = report is not None and report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.APPROVED,
        )
        rows.append(VillageMonth(village, report, past_due and not sent, figures))
        for k in FIGURE_KEYS:
            live_totals[k] += figures[k]
        if report is not None and report.status == ReportStatus.APPROVED:
            approved += 1
            for k in FIGURE_KEYS:
                approved_totals[k] += int(report.figures.get(k, 0))
    return MonthView(month, due_on(month), rows, approved_totals, live_totals, approved)


def previous_month(today: date) -> date:
    return month_start(month_start(today) - timedelta(days=1))
