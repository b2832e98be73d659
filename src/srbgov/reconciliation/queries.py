"""One township's month of reconciliation (docs/reconciliation.md §1–§3): the births
facilities reported (the delivery register, whatever its source) against the births
the villages registered (pregnancy outcomes), and the terminations in the facility
registers against the pregnancies.

Each side's records of the township in the month (±`WINDOW_DAYS`, so that a birth on
the 31st meets its registration of the 1st) are linked in three passes:

1. a stored link (a termination entry that closed her pregnancy) or an officer's
   confirmed decision;
2. the identity-number hash (the keyed hash of both registers, docs/security.md §1);
3. Fellegi–Sunter on the rest (`linkage.py`), EM-fitted on this block's pairs, one to
   one, pairs the officer rejected left out.

Cost: three queries per side and one for the decisions; the linkage is pure Python
over the records left after the hash, n × m pairs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area
from srbgov.pregnancies.models import Birth, Outcome, OutcomeKind
from srbgov.providers.models import (
    LATE_TERMINATION_WEEKS,
    ChildOutcome,
    DeliveryChild,
    Facility,
    FacilityDelivery,
    TerminationRecord,
)
from srbgov.reconciliation import linkage
from srbgov.reconciliation.models import Decision, PairDecision, PairKind

# How far outside the month a record may lie and still meet its partner.
WINDOW_DAYS = 7
# Pairs below this probability are not proposed: their records stay facility-only and
# registry-only. Above it the officer decides (docs/reconciliation.md §2).
CANDIDATE_THRESHOLD = 0.2
# Gestational weeks the two registers may differ by without a finding (a week counted
# from the LMP on one side, from the ultrasound on the other).
WEEKS_TOLERANCE = 1

SEX, DATE, BIRTH_ORDER, COUNT, OUTCOME, WEEKS = (
    "sex",
    "date",
    "birth_order",
    "count",
    "outcome",
    "weeks",
)
MISMATCHES = {
    SEX: _("性别不一致"),
    DATE: _("日期不一致"),
    BIRTH_ORDER: _("孩次不一致"),
    COUNT: _("新生儿人数不一致"),
    OUTCOME: _("活产/死产不一致"),
    WEEKS: _("孕周不一致"),
}
HASH, LINK, CONFIRMED, MODEL = "hash", "link", "confirmed", "model"
METHODS = {
    HASH: _("身份证号码一致"),
    LINK: _("登记时已关联孕情"),
    CONFIRMED: _("人工确认"),
    MODEL: _("概率匹配"),
}


@dataclass(frozen=True)
class Entry:
    """One record of either side, as the page and the sheet show it."""

    pk: int
    name: str
    masked: str
    id_hash: str
    event_on: date
    village_code: str
    village_name: str
    birth_on: date | None
    facility_name: str
    sexes: tuple[str, ...] = ()
    orders: tuple[int, ...] = ()
    stillbirths: int = 0
    weeks: int | None = None
    outcome_link: int | None = None

    def person(self) -> linkage.Person:
        return linkage.Person(
            name=self.name,
            event_on=self.event_on,
            village=self.village_code,
            birth_on=self.birth_on,
        )

    @property
    def sexes_display(self) -> str:
        names = {"M": str(_("男")), "F": str(_("女"))}
        shown = "、".join(names.get(s, s) for s in self.sexes)
        if self.stillbirths:
            shown += str(_("（死胎死产%(n)d）") % {"n": self.stillbirths})
        return shown


@dataclass(frozen=True)
class Pair:
    kind: str
    facility: Entry
    registry: Entry
    probability: float
    method: str
    vector: linkage.Vector
    mismatches: tuple[str, ...]
    decision: str = ""

    @property
    def pending(self) -> bool:
        """The officer decides every pair the model proposed, and every pair whose
        records differ (a sex mismatch must be confirmed before it alerts)."""
        return not self.decision and (self.method == MODEL or bool(self.mismatches))

    @property
    def mismatch_labels(self) -> list[str]:
        return [str(MISMATCHES[m]) for m in self.mismatches]

    @property
    def method_label(self) -> str:
        return str(METHODS[self.method])

    @property
    def key(self) -> str:
        """What the decision form posts back: kind, facility record, outcome."""
        return f"{self.kind}:{self.facility.pk}:{self.registry.pk}"


@dataclass
class Section:
    """One half of the page: births or terminations."""

    kind: str
    matched: list[Pair] = field(default_factory=list)
    mismatched: list[Pair] = field(default_factory=list)
    pending: list[Pair] = field(default_factory=list)
    rejected: list[Pair] = field(default_factory=list)
    facility_only: list[Entry] = field(default_factory=list)
    registry_only: list[Entry] = field(default_factory=list)
    # Early terminations with no registered pregnancy: counted, never listed
    # (docs/security.md §6: her lawful choice reaches no village).
    withheld: int = 0
    pairs_scored: int = 0
    em_iterations: int = 0

    def all_pairs(self) -> list[Pair]:
        return [*self.pending, *self.mismatched, *self.matched, *self.rejected]


@dataclass
class Month:
    township: Area
    first: date
    last: date
    births: Section
    terminations: Section

    def pair(self, key: str) -> Pair | None:
        for section in (self.births, self.terminations):
            for pair in section.all_pairs():
                if pair.key == key:
                    return pair
        return None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _by_parent(
    rows: Iterable[Mapping[str, Any]], key: str
) -> dict[int, list[Mapping[str, Any]]]:
    grouped: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


# Plain rows (values()), not model instances: a township's month is thousands of
# records on each side, and building model objects was two thirds of the time
# (bench/bench_reconcile.py).
def _facility_births(township: Area, start: date, end: date) -> list[Entry]:
    deliveries = (
        FacilityDelivery.objects.in_area(township)
        .filter(delivered_on__range=(start, end))
        .order_by("delivered_on", "pk")
    )
    children = _by_parent(
        DeliveryChild.objects.filter(delivery__in=deliveries.values("pk")).values(
            "delivery_id", "sex", "outcome", "birth_order"
        ),
        "delivery_id",
    )
    entries = []
    for d in deliveries.values(
        "pk",
        "woman_name",
        "id_number_masked",
        "id_number_hash",
        "delivered_on",
        "mother_birth_on",
        "village__code",
        "village__name",
        "facility__name",
    ):
        kids = children.get(d["pk"], [])
        live = [c for c in kids if c["outcome"] == ChildOutcome.LIVE]
        entries.append(
            Entry(
                pk=d["pk"],
                name=d["woman_name"],
                masked=d["id_number_masked"],
                id_hash=d["id_number_hash"],
                event_on=d["delivered_on"],
                village_code=d["village__code"] or "",
                village_name=d["village__name"] or "",
                birth_on=d["mother_birth_on"],
                facility_name=d["facility__name"],
                sexes=tuple(sorted(c["sex"] for c in live)),
                orders=tuple(
                    sorted(c["birth_order"] for c in live if c["birth_order"])
                ),
                stillbirths=len(kids) - len(live),
            )
        )
    return entries


_REGISTRY_FIELDS = (
    "pk",
    "kind",
    "occurred_on",
    "gestational_weeks",
    "pregnancy__woman__name",
    "pregnancy__woman__id_number_masked",
    "pregnancy__woman__id_number_hash",
    "pregnancy__woman__birth_on",
    "pregnancy__village__code",
    "pregnancy__village__name",
    "facility__name",
)


def _registry_entry(o: dict[str, Any], **facts: Any) -> Entry:
    return Entry(
        pk=o["pk"],
        name=o["pregnancy__woman__name"],
        masked=o["pregnancy__woman__id_number_masked"],
        id_hash=o["pregnancy__woman__id_number_hash"],
        event_on=o["occurred_on"],
        village_code=o["pregnancy__village__code"],
        village_name=o["pregnancy__village__name"],
        birth_on=o["pregnancy__woman__birth_on"],
        facility_name=o["facility__name"] or "",
        **facts,
    )


def _registry_outcomes(
    township: Area, start: date, end: date, kinds: Sequence[str]
) -> QuerySet[Outcome]:
    return (
        Outcome.objects.in_area(township)
        .filter(kind__in=kinds, occurred_on__range=(start, end))
        .order_by("occurred_on", "pk")
    )


def _registry_births(township: Area, start: date, end: date) -> list[Entry]:
    outcomes = _registry_outcomes(
        township, start, end, [OutcomeKind.LIVE_BIRTH, OutcomeKind.STILLBIRTH]
    )
    births = _by_parent(
        Birth.objects.filter(outcome__in=outcomes.values("pk")).values(
            "outcome_id", "sex", "birth_order"
        ),
        "outcome_id",
    )
    entries = []
    for o in outcomes.values(*_REGISTRY_FIELDS):
        kids = births.get(o["pk"], [])
        entries.append(
            _registry_entry(
                o,
                sexes=tuple(sorted(b["sex"] for b in kids)),
                orders=tuple(sorted(b["birth_order"] for b in kids)),
                stillbirths=1 if o["kind"] == OutcomeKind.STILLBIRTH else 0,
            )
        )
    return entries


def _facility_terminations(township: Area, start: date, end: date) -> list[Entry]:
    """Entries of the township's women (linked to the registry), and entries of
    unlinked women at the township's facilities."""
    villages = Area.objects.in_area(township)
    facilities = Facility.objects.in_area(township)
    records = (
        TerminationRecord.objects.filter(terminated_on__range=(start, end))
        .filter(
            Q(woman__village__in=villages)
            | Q(woman__isnull=True, facility__in=facilities)
        )
        .order_by("terminated_on", "pk")
        .values(
            "pk",
            "woman_name",
            "id_number_masked",
            "id_number_hash",
            "terminated_on",
            "gestational_weeks",
            "outcome_id",
            "facility__name",
            "woman__birth_on",
            "woman__village__code",
            "woman__village__name",
        )
    )
    return [
        Entry(
            pk=t["pk"],
            name=t["woman_name"],
            masked=t["id_number_masked"],
            id_hash=t["id_number_hash"],
            event_on=t["terminated_on"],
            village_code=t["woman__village__code"] or "",
            village_name=t["woman__village__name"] or "",
            birth_on=t["woman__birth_on"],
            facility_name=t["facility__name"],
            weeks=t["gestational_weeks"],
            outcome_link=t["outcome_id"],
        )
        for t in records
    ]


def _registry_terminations(township: Area, start: date, end: date) -> list[Entry]:
    outcomes = _registry_outcomes(township, start, end, [OutcomeKind.TERMINATION])
    return [
        _registry_entry(o, weeks=o["gestational_weeks"])
        for o in outcomes.values(*_REGISTRY_FIELDS)
    ]


def birth_mismatches(facility: Entry, registry: Entry) -> tuple[str, ...]:
    found: list[str] = []
    if facility.event_on != registry.event_on:
        found.append(DATE)
    if bool(facility.stillbirths) != bool(registry.stillbirths):
        found.append(OUTCOME)
    if len(facility.sexes) != len(registry.sexes):
        found.append(COUNT)
    elif facility.sexes != registry.sexes:
        found.append(SEX)
    if facility.orders and registry.orders and facility.orders != registry.orders:
        found.append(BIRTH_ORDER)
    return tuple(found)


def termination_mismatches(facility: Entry, registry: Entry) -> tuple[str, ...]:
    found: list[str] = []
    if facility.event_on != registry.event_on:
        found.append(DATE)
    if (
        facility.weeks is not None
        and registry.weeks is not None
        and abs(facility.weeks - registry.weeks) > WEEKS_TOLERANCE
    ):
        found.append(WEEKS)
    return tuple(found)


def _link(
    kind: str,
    facility: list[Entry],
    registry: list[Entry],
    decisions: dict[tuple[int, int], PairDecision],
    first: date,
    last: date,
) -> Section:
    mismatches = birth_mismatches if kind == PairKind.BIRTH else termination_mismatches
    section = Section(kind=kind)
    pairs: list[Pair] = []
    used_f: set[int] = set()
    used_r: set[int] = set()
    by_pk = {r.pk: r for r in registry}

    def take(f: Entry, r: Entry, probability: float, method: str) -> None:
        vector = linkage.compare(f.person(), r.person())
        decision = decisions.get((f.pk, r.pk))
        pairs.append(
            Pair(
                kind=kind,
                facility=f,
                registry=r,
                probability=probability,
                method=method,
                vector=vector,
                mismatches=mismatches(f, r),
                decision=decision.decision if decision else "",
            )
        )
        used_f.add(f.pk)
        used_r.add(r.pk)

    rejected = {k for k, d in decisions.items() if d.decision == Decision.REJECTED}
    # 1. Confirmed decisions and stored links.
    for f in facility:
        confirmed = [
            by_pk[r_pk]
            for (f_pk, r_pk), d in decisions.items()
            if f_pk == f.pk and d.decision == Decision.CONFIRMED and r_pk in by_pk
        ]
        if confirmed and confirmed[0].pk not in used_r:
            d = decisions[(f.pk, confirmed[0].pk)]
            take(f, confirmed[0], d.probability, CONFIRMED)
        elif (
            f.outcome_link in by_pk
            and f.outcome_link not in used_r
            and (f.pk, f.outcome_link) not in rejected
        ):
            take(f, by_pk[f.outcome_link], 1.0, LINK)
    # 2. The identity hash (a mother with two deliveries in the window pairs with the
    # registry outcome nearest in date).
    by_hash: dict[str, list[Entry]] = {}
    for r in registry:
        if r.pk not in used_r:
            by_hash.setdefault(r.id_hash, []).append(r)
    for f in facility:
        if f.pk in used_f:
            continue
        options = [
            r
            for r in by_hash.get(f.id_hash, [])
            if r.pk not in used_r and (f.pk, r.pk) not in rejected
        ]
        if options:
            best = min(
                options, key=lambda r: (abs((r.event_on - f.event_on).days), r.pk)
            )
            take(f, best, 1.0, HASH)
    # 3. Fellegi–Sunter on the rest, fitted on this block.
    rest_f = [f for f in facility if f.pk not in used_f]
    rest_r = [r for r in registry if r.pk not in used_r]
    people_f = [f.person() for f in rest_f]
    people_r = [r.person() for r in rest_r]
    vectors = {
        (i, j): linkage.compare(pf, pr)
        for i, pf in enumerate(people_f)
        for j, pr in enumerate(people_r)
        if (rest_f[i].pk, rest_r[j].pk) not in rejected
    }
    fit = linkage.estimate(list(vectors.values()))
    section.pairs_scored = len(vectors)
    section.em_iterations = fit.iterations
    # Few distinct vectors (at most 4·3·3·4 with the missing levels): score each once.
    probability: dict[linkage.Vector, float] = {}
    for v in vectors.values():
        if v not in probability:
            probability[v] = fit.model.probability(v)
    scored = [linkage.Scored(i, j, probability[v], v) for (i, j), v in vectors.items()]
    for s in linkage.one_to_one(scored, threshold=CANDIDATE_THRESHOLD):
        take(rest_f[s.left], rest_r[s.right], s.probability, MODEL)
    # Rejected pairs stay visible (the officer may change her mind).
    for f_pk, r_pk in rejected:
        f_entry = next((f for f in facility if f.pk == f_pk), None)
        if f_entry is not None and r_pk in by_pk:
            r_entry = by_pk[r_pk]
            vector = linkage.compare(f_entry.person(), r_entry.person())
            section.rejected.append(
                Pair(
                    kind=kind,
                    facility=f_entry,
                    registry=r_entry,
                    probability=decisions[(f_pk, r_pk)].probability,
                    method=HASH if f_entry.id_hash == r_entry.id_hash else MODEL,
                    vector=vector,
                    mismatches=mismatches(f_entry, r_entry),
                    decision=Decision.REJECTED,
                )
            )

    def inside(e: Entry) -> bool:
        return first <= e.event_on <= last

    # A pair belongs to the month of its facility record.
    for pair in pairs:
        if not inside(pair.facility):
            continue
        if pair.pending:
            section.pending.append(pair)
        elif pair.mismatches:
            section.mismatched.append(pair)
        else:
            section.matched.append(pair)
    section.pending.sort(key=lambda p: -p.probability)
    for f in facility:
        if f.pk not in used_f and inside(f):
            section.facility_only.append(f)
    for r in registry:
        if r.pk not in used_r and inside(r):
            section.registry_only.append(r)
    return section


def _decisions(township: Area, kind: str) -> dict[tuple[int, int], PairDecision]:
    found = PairDecision.objects.in_area(township).filter(kind=kind)
    return {(d.facility_record_id, d.outcome_id): d for d in found}


def reconcile_month(*, township: Area, year: int, month: int) -> Month:
    """The whole reconciliation of one township and month (the page, the sheet and
    the decision service read the same)."""
    first, last = month_bounds(year, month)
    start, end = first - timedelta(days=WINDOW_DAYS), last + timedelta(days=WINDOW_DAYS)
    births = _link(
        PairKind.BIRTH,
        _facility_births(township, start, end),
        _registry_births(township, start, end),
        _decisions(township, PairKind.BIRTH),
        first,
        last,
    )
    terminations = _link(
        PairKind.TERMINATION,
        _facility_terminations(township, start, end),
        _registry_terminations(township, start, end),
        _decisions(township, PairKind.TERMINATION),
        first,
        last,
    )
    # An early termination of a woman with no registered pregnancy is her lawful
    # choice: it stays in the facility's register and reaches no village list.
    kept = [
        e
        for e in terminations.facility_only
        if e.weeks is not None and e.weeks >= LATE_TERMINATION_WEEKS
    ]
    terminations.withheld = len(terminations.facility_only) - len(kept)
    terminations.facility_only = kept
    return Month(
        township=township,
        first=first,
        last=last,
        births=births,
        terminations=terminations,
    )
