"""Reads shared by pages and exports: registry gaps, expiring pledges, and the
provider analytics of the facility page (terminations by week; the births delivered
and the inspections come from pregnancies and oversight through providers/hooks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef

from srbgov.providers.models import (
    DeviceOperator,
    DeviceStatus,
    Facility,
    Pledge,
    Practitioner,
    PractitionerKind,
    TerminationRecord,
    UltrasoundDevice,
)

EXPIRING_WITHIN_DAYS = 60
# Where sex-selective terminations show: after sex can be seen by ultrasound (≈14 weeks)
# and before the late second trimester.
SEX_SELECTION_WEEKS = (14, 24)


@dataclass(frozen=True)
class Gap:
    """A registry gap to fix: `kind` is a stable key, the rest is for display."""

    kind: str
    facility: Facility
    subject: str
    detail: str
    practitioner_id: int | None = None


def _valid_pledges(today: date) -> Any:
    return Pledge.objects.filter(signed_on__lte=today, expires_on__gt=today)


def registry_gaps(facilities: Any, *, today: date) -> list[Gap]:
    """Seed 中水镇 plan §三 / 炉山镇 summary §四: every B超 has a filed operator and
    every operator, termination staff member, pharmacist and facility head has a
    valid signed pledge. Returns gaps ordered by facility. Four queries."""
    valid = _valid_pledges(today)
    gaps: list[Gap] = []
    devices = (
        UltrasoundDevice.objects.filter(facility__in=facilities)
        .exclude(status=DeviceStatus.SCRAPPED)
        .annotate(
            has_operator=Exists(DeviceOperator.objects.filter(device=OuterRef("pk")))
        )
        .filter(has_operator=False)
        .select_related("facility")
    )
    gaps += [
        Gap("device_without_operator", d.facility, str(d), "B超设备未备案操作人员")
        for d in devices
    ]
    people = (
        Practitioner.objects.filter(facility__in=facilities, is_active=True)
        .annotate(
            has_pledge=Exists(valid.filter(practitioner=OuterRef("pk"))),
            is_operator=Exists(
                DeviceOperator.objects.filter(practitioner=OuterRef("pk"))
            ),
        )
        .filter(has_pledge=False)
        .select_related("facility")
    )
    for p in people:
        kind = "operator_without_pledge" if p.is_operator else "missing_pledge"
        detail = (
            "B超操作人员未签订有效责任书"
            if p.is_operator or p.kind == PractitionerKind.ULTRASOUND
            else "未签订有效责任书"
        )
        gaps.append(Gap(kind, p.facility, str(p), detail, p.pk))
    heads = facilities.annotate(
        has_pledge=Exists(
            valid.filter(facility=OuterRef("pk"), practitioner__isnull=True)
        )
    ).filter(has_pledge=False)
    gaps += [
        Gap(
            "head_without_pledge",
            f,
            f.head_name or "机构负责人",
            "机构负责人未签订有效责任书",
        )
        for f in heads
    ]
    return sorted(gaps, key=lambda g: (g.facility.area_id, g.facility.name, g.kind))


def expiring_pledges(facilities: Any, *, today: date) -> Any:
    """Valid pledges that expire within EXPIRING_WITHIN_DAYS (to renew in time)."""
    return (
        _valid_pledges(today)
        .filter(
            facility__in=facilities,
            expires_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
        .select_related("facility", "practitioner")
        .order_by("expires_on")
    )


@dataclass(frozen=True)
class WeekBar:
    weeks: int
    n: int
    percent: float
    is_sex_selection_window: bool


def terminations_by_week(facility: Facility) -> tuple[list[WeekBar], int, int]:
    """Histogram of the register by gestational week, with the total and the number in
    the 14–24-week window (a cluster there is what sex selection leaves behind)."""
    counts = dict(
        TerminationRecord.objects.filter(facility=facility)
        .values_list("gestational_weeks")
        .annotate(n=Count("id"))
    )
    if not counts:
        return [], 0, 0
    top = max(counts.values())
    low, high = SEX_SELECTION_WEEKS
    bars = [
        WeekBar(w, counts.get(w, 0), 100.0 * counts.get(w, 0) / top, low <= w <= high)
        for w in range(1, max(max(counts), high) + 1)
    ]
    window = sum(n for w, n in counts.items() if low <= w <= high)
    return bars, sum(counts.values()), window
