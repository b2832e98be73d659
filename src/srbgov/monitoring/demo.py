"""Demo births for the statistics pages: ten years and ten months of live births.

Most villages are normal (true SRB 106 at every birth); two large villages (90 births a
year) select sex at higher birth orders after girls (second births after a girl at SRB
250, third and later births after only girls at SRB 300, and families there stop after
a boy and go on after girls): strong enough for the multiple-tested alert rule to find
them in the pooled window (docs/statistics.md: a 60-birth village at 150 would not be
found); one small village looks alarming on one year's raw ratio (12 boys, 5 girls in
the year before the anchor) but is normal over the pooled window.

Every birth is a whole record, as the registry and the follow-up pages expect: the
mother (a `Woman` with a valid, encrypted identity number), her earlier children
(`Child`, including those born before the window, which count as earlier children but
not as births), and per birth a `Pregnancy` (ended), a live-birth `Outcome`, the `Child`
and the `Birth`. Deterministic (one seeded generator, dates fixed to the anchor),
idempotent (marked pregnancies found: nothing to do), fast (bulk inserts, then one
`rebuild_birth_counts`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.monitoring.alerts import raise_srb_alerts
from srbgov.monitoring.counts import rebuild_birth_counts
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Child, Woman
from srbgov.pregnancies.models import (
    Birth,
    Outcome,
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
)
from srbgov.providers.models import Facility, FacilityKind
from srbgov.schedules import due_date
from srbgov.stats import srb_to_p

MARK = "示范数据：出生统计"
# The flags are multiple-tested (docs/statistics.md), so no seed needs to be picked
# to hide false alarms; this one is kept so that the demo stays as it was.
SEED = 6
YEARS = 10
NORMAL_SRB = 106.0
SECOND_AFTER_GIRL_SRB = 250.0
LATER_AFTER_GIRLS_SRB = 300.0
SELECTION_BIRTHS_PER_YEAR = 90
NORMAL_BIRTHS_PER_YEAR = (20, 60)
NOISY_BIRTHS = (7, 8)  # boys, girls in an ordinary year of the small village
NOISY_YEAR = (12, 5)  # boys, girls in its alarming year (the anchor's previous year)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN_FEMALE = "芳娟敏静丽艳娜霞玲燕红梅琳婷雪慧莉萍颖倩"
GIVEN_MALE = "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩磊"


@dataclass(frozen=True)
class DemoSummary:
    selection: list[str]
    noisy: str
    births: int


@dataclass
class _Kid:
    born_on: date
    sex: str
    is_birth: bool  # in the window: recorded as a Birth, not only a Child


@dataclass
class _Family:
    village: Area
    kids: list[_Kid] = field(default_factory=list)


def profiles(villages: list[Area]) -> tuple[set[int], int]:
    """(indexes of the selecting villages, index of the small noisy village)."""
    n = len(villages)
    return {3, int(n * 0.6)}, int(n * 0.3) + 1


def _p_boy(selecting: bool, order: int, boys: int) -> float:
    if selecting and boys == 0 and order == 2:
        return srb_to_p(SECOND_AFTER_GIRL_SRB)
    if selecting and boys == 0 and order >= 3:
        return srb_to_p(LATER_AFTER_GIRLS_SRB)
    return srb_to_p(NORMAL_SRB)


def _goes_on(rng: random.Random, selecting: bool, kids: int, boys: int) -> bool:
    """Whether the family has another child: where selection is practised, families
    stop after a boy and go on after girls."""
    if selecting:
        chance = (
            {1: 0.3, 2: 0.05}.get(kids, 0.0)
            if boys
            else {1: 0.85, 2: 0.7}.get(kids, 0.2)
        )
    else:
        chance = {1: 0.55, 2: 0.12 if boys else 0.25}.get(kids, 0.03)
    return rng.random() < chance


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _families(
    rng: random.Random,
    village: Area,
    selecting: bool,
    per_year: int,
    window: tuple[date, date],
) -> list[_Family]:
    start, end = window
    years = (end - start).days / 365.25
    target = round(per_year * years)
    families: list[_Family] = []
    births = 0
    while births < target:
        family = _Family(village)
        day = _random_day(rng, start - timedelta(days=5 * 365), end)
        boys = 0
        while day < end:
            sex = (
                "M"
                if rng.random() < _p_boy(selecting, len(family.kids) + 1, boys)
                else "F"
            )
            boys += sex == "M"
            family.kids.append(_Kid(day, sex, day >= start))
            births += day >= start
            if not _goes_on(rng, selecting, len(family.kids), boys):
                break
            day += timedelta(days=rng.randint(700, 1500))
        if any(k.is_birth for k in family.kids):
            families.append(family)
    return families


def _noisy_families(
    rng: random.Random, village: Area, window: tuple[date, date]
) -> list[_Family]:
    """The small village: each birth its own family, sexes fixed per year."""
    start, end = window
    families: list[_Family] = []
    for year in range(start.year, end.year + 1):
        boys, girls = NOISY_YEAR if year == end.year - 1 else NOISY_BIRTHS
        if year == end.year:  # the anchor's year is only partly over
            boys, girls = boys * (end.month - 1) // 12, girls * (end.month - 1) // 12
        sexes = ["M"] * boys + ["F"] * girls
        rng.shuffle(sexes)
        last = min(date(year, 12, 31), end - timedelta(days=1))
        for sex in sexes:
            family = _Family(village)
            day = _random_day(rng, date(year, 1, 1), last)
            if rng.random() < 0.4:  # a second birth, the first before the system
                earlier = "M" if rng.random() < 0.5 else "F"
                family.kids.append(
                    _Kid(day - timedelta(days=rng.randint(800, 1400)), earlier, False)
                )
            family.kids.append(_Kid(day, sex, True))
            families.append(family)
    return families


def load(*, villages: list[Area], by: User, anchor: date) -> DemoSummary | None:
    """Add the demo births once (None when they are there already)."""
    if not villages or Pregnancy.objects.filter(note=MARK).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    window = (date(anchor.year - YEARS, 1, 1), anchor.replace(day=1))
    selecting, noisy = profiles(villages)
    families: list[_Family] = []
    for index, village in enumerate(villages):
        if index == noisy:
            families += _noisy_families(rng, village, window)
        elif index in selecting:
            families += _families(rng, village, True, SELECTION_BIRTHS_PER_YEAR, window)
        else:
            per_year = rng.randint(*NORMAL_BIRTHS_PER_YEAR)
            families += _families(rng, village, False, per_year, window)
    county_prefix = villages[0].code[:6]
    facilities = list(
        Facility.objects.in_area(Area.objects.get(code=county_prefix + "000000"))
        .filter(kind__in=[FacilityKind.HOSPITAL, FacilityKind.HEALTH_CENTER])
        .order_by("pk")
    )
    births = _write(rng, families, facilities, by, county_prefix, anchor)
    rebuild_birth_counts()
    raise_srb_alerts(anchor)
    return DemoSummary(
        selection=[villages[i].name for i in sorted(selecting)],
        noisy=villages[noisy].name,
        births=births,
    )


def _women(
    rng: random.Random, families: list[_Family], county_prefix: str
) -> list[Woman]:
    cipher = identity_cipher()
    known = set(Woman.objects.values_list("id_number_hash", flat=True))
    women: list[Woman] = []
    sequence = 0
    for family in families:
        first = family.kids[0].born_on
        birth_on = first - timedelta(days=rng.randint(21 * 365, 34 * 365))
        while True:
            sequence += 1
            number = identity.make_number(county_prefix, birth_on, sequence % 500, "F")
            number_hash = cipher.lookup_hash(number)
            if number_hash not in known:
                break
            birth_on -= timedelta(days=1)
        known.add(number_hash)
        name = (
            rng.choice(SURNAMES) + rng.choice(GIVEN_FEMALE) + rng.choice(GIVEN_FEMALE)
        )
        women.append(
            Woman(
                name=name,
                id_number_encrypted=cipher.encrypt(number),
                id_number_hash=number_hash,
                id_number_masked=identity.mask(number),
                birth_on=birth_on,
                village=family.village,
                household=f"{family.village.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
            )
        )
    Woman.objects.bulk_create(women, batch_size=1000)
    return women


def _write(
    rng: random.Random,
    families: list[_Family],
    facilities: list[Facility],
    by: User,
    county_prefix: str,
    anchor: date,
) -> int:
    women = _women(rng, families, county_prefix)
    children: list[Child] = []
    for woman, family in zip(women, families, strict=True):
        for order, kid in enumerate(family.kids, start=1):
            given = rng.choice(GIVEN_MALE if kid.sex == "M" else GIVEN_FEMALE)
            children.append(
                Child(
                    mother=woman,
                    name=woman.name[0] + given,
                    birth_on=kid.born_on,
                    sex=kid.sex,
                    birth_order=order,
                )
            )
    Child.objects.bulk_create(children, batch_size=1000)
    pregnancies: list[Pregnancy] = []
    plans: list[tuple[Woman, Child, int, int, int]] = []
    kids_iter = iter(children)
    for woman, family in zip(women, families, strict=True):
        boys = girls = 0
        for order, kid in enumerate(family.kids, start=1):
            child = next(kids_iter)
            if kid.is_birth:
                lmp = kid.born_on - timedelta(days=rng.randint(266, 287))
                registered = lmp + timedelta(weeks=rng.choice([8, 10, 12]))
                pregnancies.append(
                    Pregnancy(
                        woman=woman,
                        village=family.village,
                        status=PregnancyStatus.ENDED,
                        registered_on=registered,
                        pregnancy_registered_on=registered,
                        lmp_on=lmp,
                        due_on=due_date(lmp),
                        registered_week=(registered - lmp).days // 7,
                        birth_order=order,
                        living_boys=boys,
                        living_girls=girls,
                        responsible_persons="王芳、李娟",
                        note=MARK,
                        registered_by=by,
                    )
                )
                plans.append((woman, child, order, boys, girls))
            boys += kid.sex == "M"
            girls += kid.sex == "F"
    Pregnancy.objects.bulk_create(pregnancies, batch_size=1000)
    outcomes = [
        Outcome(
            pregnancy=p,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=child.birth_on,
            gestational_weeks=max(28, min(42, (child.birth_on - p.lmp_on).days // 7))
            if p.lmp_on
            else 39,
            facility=rng.choice(facilities)
            if facilities and rng.random() < 0.9
            else None,
            # A birth of the last days before the anchor: not discharged in the future.
            discharge_on=min(child.birth_on + timedelta(days=3), anchor),
            recorded_by=by,
        )
        for p, (_, child, _, _, _) in zip(pregnancies, plans, strict=True)
    ]
    Outcome.objects.bulk_create(outcomes, batch_size=1000)
    births = [
        Birth(
            outcome=outcome,
            pregnancy=outcome.pregnancy,
            mother=woman,
            child=child,
            sex=child.sex,
            born_on=child.birth_on,
            birth_order=order,
            earlier_boys=boys,
            earlier_girls=girls,
            village=woman.village,
            facility=outcome.facility,
            weight_grams=rng.randint(2400, 4200),
            birth_certificate_number=f"R{rng.randint(10**8, 10**9 - 1)}",
        )
        for outcome, (woman, child, order, boys, girls) in zip(
            outcomes, plans, strict=True
        )
    ]
    Birth.objects.bulk_create(births, batch_size=1000)
    return len(births)
