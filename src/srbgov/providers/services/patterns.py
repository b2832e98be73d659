"""Patterns across registers (issue 17 item 5, docs/registers.md §3): what no single
register shows. One set-based pass over the county, run nightly and after writes.

Pattern 1: an ultrasound exam at 14 weeks or more followed within 30 days by a
termination at another facility: the sex may have been seen at one place and the
pregnancy ended at another. The alert goes to her township (her village when known,
else the exam facility's area); its subject is the exam, the termination is the key
suffix, so each pair is raised once.

Pattern 2: a facility or an operator whose ≥14-week exams are followed by a
termination more often than the county's, judged by providers.rates (exact binomial
tail, BH within the county, docs/statistics.md); an alert for the facility's township.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from srbgov.alerts.models import Alert, AlertKind
from srbgov.alerts.services import Finding, raise_findings, resolve_alert
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    Facility,
    Practitioner,
    TerminationRecord,
    UltrasoundExam,
)
from srbgov.providers.rates import RateVerdict, UnitCount, county_rate, rate_verdicts
from srbgov.providers.services.exams import EXAM_SUBJECT

#: Days after a ≥14-week exam within which a termination elsewhere is a pattern.
FOLLOW_DAYS = 30


@contextmanager
def county_pass() -> Iterator[None]:
    """One transaction for a county pass; on PostgreSQL without JIT, which spent
    seconds compiling these short joins and saved nothing, and with the memory for
    the rate count's sort of a year of exams (under the default 4 MB it spilled to
    disk; docs/registers.md §6)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '32MB'")
        yield


#: The summary of a pattern-1 alert (the woman masked, never named).
PAIR_SUMMARY = gettext_noop(
    "孕%(weeks)d周B超检查后30日内在另一机构终止妊娠（%(masked)s，%(date)s）"
)


def _summary_sql(template: str) -> tuple[str, list[str]]:
    """The translated summary as an SQL concatenation, its literal pieces as
    parameters: formatting 20,000 summaries in Python cost more than the join
    (docs/registers.md §6). Placeholders in any order, as a translation may put them."""
    date_text = (
        "to_char(t.terminated_on, 'YYYY-MM-DD')"
        if connection.vendor == "postgresql"
        # SQLite keeps dates as ISO text already.
        else "t.terminated_on"
    )
    columns = {
        "weeks": "CAST(e.gestational_weeks AS text)",
        "masked": "t.id_number_masked",
        "date": date_text,
    }
    pieces = re.split(r"%\((\w+)\)[ds]", template)
    parts: list[str] = []
    literals: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            parts.append(columns[piece])
        elif piece:
            parts.append("CAST(%s AS text)")
            literals.append(piece.replace("%%", "%"))
    return " || ".join(parts), literals


def _pairs_sql(*, one_woman: bool, recent: bool, summary: str) -> str:
    """The pairing of pattern 1 as one statement: each termination joined to the
    ≥14-week exams of the same woman at another facility in the 30 days up to it
    (a hash join on the identity hash on PostgreSQL), the latest kept by ROW_NUMBER
    (latest date, then the highest id), the summary built by the database. Only the
    pairs leave it: pairing 20,000 terminations in Python cost more than both scans
    (docs/registers.md §6)."""
    exams = UltrasoundExam._meta.db_table
    terminations = TerminationRecord._meta.db_table
    facilities = Facility._meta.db_table
    # The one vendor difference: date arithmetic (SQLite keeps dates as ISO text,
    # which compares in date order).
    window_start = (
        "t.terminated_on - CAST(%s AS integer)"
        if connection.vendor == "postgresql"
        else "date(t.terminated_on, '-' || %s || ' days')"
    )
    woman = "AND t.id_number_hash = %s" if one_woman else ""
    ended = "AND t.terminated_on >= %s" if recent else ""
    return f"""
        SELECT termination_id, exam_id, area_id, summary
        FROM (
            SELECT t.id AS termination_id, e.id AS exam_id,
                COALESCE(e.village_id, f.area_id) AS area_id,
                {summary} AS summary,
                ROW_NUMBER() OVER (
                    PARTITION BY t.id ORDER BY e.examined_on DESC, e.id DESC
                ) AS latest
            FROM {terminations} t
            JOIN {exams} e
                ON e.id_number_hash = t.id_number_hash
                AND e.gestational_weeks >= %s
                AND e.facility_id <> t.facility_id
                AND e.examined_on <= t.terminated_on
                AND e.examined_on >= {window_start}
            JOIN {facilities} f ON f.id = e.facility_id
            WHERE 1 = 1 {woman} {ended}
        ) AS pairs
        WHERE latest = 1
    """  # noqa: S608 - table names from the models' Meta, values as parameters


def exam_termination_findings(
    *, id_number_hash: str | None = None, ended_since: date | None = None
) -> list[Finding]:
    """The (exam, termination elsewhere) pairs of the whole county, in one query.

    Each termination is paired with the latest ≥14-week exam of the same woman
    (identity hash) at another facility in the 30 days up to it (`_pairs_sql`). With
    `id_number_hash`, only her entries (the write path: a termination or an exam
    just recorded); with `ended_since`, only the terminations on or after that day
    (the nightly pass, `raise_exam_termination_alerts`)."""
    summary, literals = _summary_sql(_(PAIR_SUMMARY))
    params: list[int | str | date] = [*literals, LATE_TERMINATION_WEEKS, FOLLOW_DAYS]
    if id_number_hash is not None:
        params.append(id_number_hash)
    if ended_since is not None:
        params.append(ended_since)
    sql = _pairs_sql(
        one_woman=id_number_hash is not None,
        recent=ended_since is not None,
        summary=summary,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = cursor.fetchall()
    kind = AlertKind.EXAM_THEN_TERMINATION
    return [
        Finding(
            kind=kind,
            area_id=area,
            subject_type=EXAM_SUBJECT,
            subject_id=exam_id,
            key_suffix=f"termination:{pk}",
            summary=text,
        )
        for pk, exam_id, area, text in pairs
    ]


#: The nightly pass pairs the terminations of these last days (one more than the
#: follow-up, so that two passes overlap).
NIGHTLY_DAYS = FOLLOW_DAYS + 1


def raise_exam_termination_alerts(
    *, id_number_hash: str | None = None, on: date | None = None, full: bool = False
) -> int:
    """Open the alerts of pattern 1 not raised before; returns how many it opened.

    Called after each termination and exam is written, for her alone: every pair is
    raised when the later of its two entries is written (both write paths call this,
    and so do the API and the imports, which write through the same services). The
    nightly job passes over the county's terminations of the last `NIGHTLY_DAYS`
    days up to `on` (a net, not the source of the alerts); `full` pairs every
    termination ever recorded (`raise_register_patterns --full`, after a correction
    outside the services). docs/registers.md §3."""
    if id_number_hash is not None:
        return raise_findings(exam_termination_findings(id_number_hash=id_number_hash))
    since = None if full else (on or timezone.localdate()) - timedelta(NIGHTLY_DAYS)
    with county_pass():
        return raise_findings(exam_termination_findings(ended_since=since))


# Pattern 2 (docs/registers.md §3): a facility or an operator whose ≥14-week exams are
# followed by a termination (anywhere) within 30 days more often than the county's.

#: The exams judged: a year of exams whose 30 days of follow-up are complete.
RATE_WINDOW_DAYS = 365
#: Subject types of the rate alerts.
FACILITY_SUBJECT = "providers.facility"
OPERATOR_SUBJECT = "providers.practitioner"


class UnitKind(StrEnum):
    FACILITY = "facility"
    OPERATOR = "operator"


@dataclass(frozen=True)
class UnitRate:
    """One unit's line of the rate table: who, where, its verdict (providers.rates)."""

    kind: UnitKind
    unit_id: int
    name: str
    facility_name: str
    area_id: int
    county_code: str
    window_start: date
    window_end: date
    verdict: RateVerdict

    @property
    def kind_label(self) -> str:
        return str(_("机构") if self.kind == UnitKind.FACILITY else _("操作人员"))


def rate_window(on: date) -> tuple[date, date]:
    """The exams examined in these days (inclusive) have had their 30 days."""
    end = on - timedelta(days=FOLLOW_DAYS)
    return end - timedelta(days=RATE_WINDOW_DAYS - 1), end


def _county_code(area_code: str) -> str:
    # The first six digits of a statistical area code name its county (GB/T 2260).
    return area_code[:6]


def _unit_counts_sql() -> str:
    """Per (facility, operator): the window's ≥14-week exams and how many of them a
    termination of the same woman (anywhere) followed within 30 days, in one scan of
    the exams: a hash left join to the terminations on the identity hash, each exam
    counted once (DISTINCT: two terminations after one exam are one followed exam).
    Two grouped queries (all exams; an EXISTS semi-join) scanned the exams twice and
    cost a quarter more (docs/registers.md §6)."""
    exams = UltrasoundExam._meta.db_table
    terminations = TerminationRecord._meta.db_table
    follow_end = (
        f"e.examined_on + {FOLLOW_DAYS}"
        if connection.vendor == "postgresql"
        else f"date(e.examined_on, '+{FOLLOW_DAYS} days')"
    )
    return f"""
        SELECT e.facility_id, e.operator_id, COUNT(DISTINCT e.id),
            COUNT(DISTINCT CASE WHEN t.id IS NOT NULL THEN e.id END)
        FROM {exams} e
        LEFT JOIN {terminations} t
            ON t.id_number_hash = e.id_number_hash
            AND t.terminated_on >= e.examined_on
            AND t.terminated_on <= {follow_end}
        WHERE e.gestational_weeks >= %s
            AND e.examined_on >= %s AND e.examined_on <= %s
        GROUP BY e.facility_id, e.operator_id
    """  # noqa: S608 - table names from the models' Meta, values as parameters


def exam_follow_rates(*, on: date | None = None) -> list[UnitRate]:
    """Every facility's and every filed operator's rate, judged against its county.

    One grouped query over the window's ≥14-week exams (`_unit_counts_sql`): per
    (facility, operator) the exams and those a termination of the same woman followed
    within 30 days; the counts are summed here per facility and per operator, and each county's facilities are one
    family, its operators another (docs/statistics.md)."""
    today = on or timezone.localdate()
    start, end = rate_window(today)
    with connection.cursor() as cursor:
        cursor.execute(_unit_counts_sql(), [LATE_TERMINATION_WEEKS, start, end])
        unit_counts = cursor.fetchall()
    hits = {(facility, operator): x for facility, operator, _n, x in unit_counts}
    counted = [
        {"facility_id": facility, "operator_id": operator, "exams": n}
        for facility, operator, n, _x in unit_counts
    ]
    # The names and places of the few hundred units, apart: grouping 70,000 exams by
    # their text columns cost more than both counts.
    places = {
        pk: (name, area_id, code)
        for pk, name, area_id, code in Facility.objects.filter(
            pk__in={g["facility_id"] for g in counted}
        ).values_list("pk", "name", "area_id", "area__code")
    }
    names = dict(
        Practitioner.objects.filter(
            pk__in={g["operator_id"] for g in counted if g["operator_id"]}
        ).values_list("pk", "name")
    )
    groups = [
        {
            **g,
            "hits": hits.get((g["facility_id"], g["operator_id"]), 0),
            "facility__name": places[g["facility_id"]][0],
            "facility__area_id": places[g["facility_id"]][1],
            "facility__area__code": places[g["facility_id"]][2],
            "operator__name": names.get(g["operator_id"], ""),
        }
        for g in counted
    ]
    facilities: dict[int, list[Any]] = {}
    operators: dict[int, list[Any]] = {}
    for g in groups:
        county = _county_code(g["facility__area__code"])
        place = [g["facility__name"], g["facility__area_id"], county]
        unit = facilities.setdefault(
            g["facility_id"], [g["facility__name"], *place, 0, 0]
        )
        unit[4] += g["exams"]
        unit[5] += g["hits"]
        if g["operator_id"] is not None:
            unit = operators.setdefault(
                g["operator_id"], [g["operator__name"], *place, 0, 0]
            )
            unit[4] += g["exams"]
            unit[5] += g["hits"]
    rows: list[UnitRate] = []
    for kind, units in (
        (UnitKind.FACILITY, facilities),
        (UnitKind.OPERATOR, operators),
    ):
        by_county: dict[str, list[int]] = {}
        for key, unit in units.items():
            by_county.setdefault(unit[3], []).append(key)
        for county, keys in sorted(by_county.items()):
            counts = [
                UnitCount(key=k, exams=units[k][4], followed=units[k][5]) for k in keys
            ]
            chance = county_rate(counts)
            for verdict in rate_verdicts(counts, chance_rate=chance):
                name, facility_name, area_id, _code, _n, _x = units[verdict.key]
                rows.append(
                    UnitRate(
                        kind=kind,
                        unit_id=verdict.key,
                        name=name,
                        facility_name=facility_name,
                        area_id=area_id,
                        county_code=county,
                        window_start=start,
                        window_end=end,
                        verdict=verdict,
                    )
                )
    rows.sort(
        key=lambda r: (r.kind, not r.verdict.flagged, -(r.verdict.rate or 0), r.name)
    )
    return rows


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def rate_findings(rows: list[UnitRate]) -> list[Finding]:
    """An alert per flagged unit for the facility's township, once per window year
    (the key suffix): the rate, its interval and the county's chance rate."""
    return [
        Finding(
            kind=AlertKind.EXAM_FOLLOW_RATE_HIGH,
            area_id=row.area_id,
            subject_type=(
                FACILITY_SUBJECT if row.kind == UnitKind.FACILITY else OPERATOR_SUBJECT
            ),
            subject_id=row.unit_id,
            key_suffix=str(row.window_end.year),
            summary=_(
                "%(who)s（%(facility)s）：%(start)s至%(end)s孕14周以上B超检查%(n)d例，"
                "其后30日内终止妊娠%(x)d例，比例%(rate)s（95%%区间%(lower)s–%(upper)s），"
                "全县为%(chance)s（校正后q=%(q).4f）"
            )
            % {
                "who": row.name,
                "facility": row.facility_name,
                "start": row.window_start.isoformat(),
                "end": row.window_end.isoformat(),
                "n": row.verdict.exams,
                "x": row.verdict.followed,
                "rate": percent(row.verdict.rate),
                "lower": percent(row.verdict.lower),
                "upper": percent(row.verdict.upper),
                "chance": percent(row.verdict.chance_rate),
                "q": row.verdict.q_value or 0.0,
            },
        )
        for row in rows
        if row.verdict.flagged
    ]


@dataclass(frozen=True)
class RatePass:
    """What one pass of pattern 3 did."""

    opened: int
    closed: int


def rate_pass(*, on: date | None = None) -> RatePass:
    """The nightly pass of pattern 3 (docs/registers.md §3.1): open an alert for each
    unit flagged now that has none open, and close, as the system and audited, the open
    alerts of the units no longer flagged. A unit flagged again keeps its open alert
    (one per unit, whatever the window year of its key); one flagged again after the
    system closed its alert is raised again, one an officer resolved is not, in that
    window year (raise_findings's `once`)."""
    today = on or timezone.localdate()
    with county_pass():
        findings = rate_findings(exam_follow_rates(on=today))
        flagged = {(f.subject_type, str(f.subject_id)) for f in findings}
        still_open: set[tuple[str, str]] = set()
        closed = 0
        for alert in (
            Alert.objects.open()
            .filter(kind=AlertKind.EXAM_FOLLOW_RATE_HIGH)
            .order_by("pk")
        ):
            unit = (alert.subject_type, alert.subject_id)
            if unit in flagged:
                still_open.add(unit)
                continue
            resolve_alert(
                by=None,
                alert=alert,
                resolution=_(
                    "系统复核（%(date)s）：该单位孕14周以上B超检查后终止妊娠的比例"
                    "已不再显著高于全县，预警自动关闭"
                )
                % {"date": today.isoformat()},
            )
            record(
                user=None,
                action=AuditAction.UPDATE,
                obj=alert,
                detail={
                    "resolved": True,
                    "rule": str(AlertKind.EXAM_FOLLOW_RATE_HIGH),
                    "no_longer_flagged_on": today.isoformat(),
                },
            )
            closed += 1
        fresh = [
            f for f in findings if (f.subject_type, str(f.subject_id)) not in still_open
        ]
        # An officer's resolution stands for the window year; the system's does not.
        resolved_by_people = set(
            Alert.objects.filter(
                rule_key__in=[f.rule_key for f in fresh], resolved_by__isnull=False
            ).values_list("rule_key", flat=True)
        )
        opened = raise_findings(
            [f for f in fresh if f.rule_key not in resolved_by_people], once=False
        )
    return RatePass(opened=opened, closed=closed)


def raise_exam_rate_alerts(*, on: date | None = None) -> int:
    """The nightly pass of pattern 3 (`rate_pass`); returns how many alerts it opened."""
    return rate_pass(on=on).opened
