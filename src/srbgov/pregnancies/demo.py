"""Demo follow-up records: pregnancies in every state, so every list has something.

Deterministic (one seeded generator; dates are offsets from the day it is loaded, so
"overdue" and "past due" mean something whenever the demo is opened) and idempotent
(a second run finds its records and does nothing). Rows are bulk-inserted; outcomes
go through `services.record_outcome` so children, births, birth hooks and alerts are
exactly what a worker's entry would produce; `raise_alerts` then fills the schedule
state and the alert queue.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.people.models import Woman
from srbgov.pregnancies import services
from srbgov.pregnancies.models import (
    OutcomeKind,
    Pregnancy,
    PregnancyStatus,
    Visit,
)
from srbgov.pregnancies.nightly import raise_alerts
from srbgov.schedules import due_date

MARK = "示范数据"
WORKERS = ["王芳", "李娟", "张敏", "刘静", "陈丽", "杨艳"]
# (state, weight): what each demo pregnancy becomes.
STATES = [
    ("awaiting", 1),
    ("on_schedule", 3),
    ("overdue", 2),
    ("past_due", 1),
    ("disappeared", 1),
    ("live_birth", 3),
    ("twins", 1),
    ("stillbirth", 1),
    ("miscarriage", 1),
    ("termination", 1),
    ("late_termination", 1),
    ("moved_out", 1),
]
PER_VILLAGE = 6


def _visitors(rng: random.Random) -> str:
    return "、".join(rng.sample(WORKERS, 2))


def _plan_lmp(state: str, rng: random.Random, today: date) -> date | None:
    weeks = {
        "awaiting": None,
        "on_schedule": rng.randint(6, 34),
        "overdue": rng.randint(18, 36),
        "past_due": rng.randint(41, 43),
        "disappeared": rng.randint(46, 52),
    }.get(state, rng.randint(30, 43))
    return (
        None
        if weeks is None
        else today - timedelta(weeks=weeks, days=rng.randint(0, 6))
    )


def load(*, villages: list[Area], by: User, today: date | None = None) -> int:
    """Add the demo follow-up records once; returns how many pregnancies were added."""
    if Pregnancy.objects.filter(note=MARK).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(20261129)  # noqa: S311  (demo data, not security)
    states = [s for s, w in STATES for _ in range(w)]
    plans: list[tuple[Pregnancy, str]] = []
    for village in villages:
        women = list(Woman.objects.filter(village=village).order_by("pk")[:60])
        for woman in rng.sample(women, min(PER_VILLAGE, len(women))):
            state = rng.choice(states)
            lmp = _plan_lmp(state, rng, today)
            registered = (
                today - timedelta(days=rng.randint(40, 120))
                if lmp is None
                # Never after today: a pregnancy of 6 weeks cannot have been
                # registered at 18 (it would be registered in the future).
                else min(
                    lmp + timedelta(weeks=rng.choice([6, 8, 10, 12, 14, 18])),
                    today - timedelta(days=rng.randint(0, 6)),
                )
            )
            late = lmp is not None and (registered - lmp).days > services.ON_TIME_DAYS
            plans.append(
                (
                    Pregnancy(
                        woman=woman,
                        village=village,
                        status=PregnancyStatus.AWAITING
                        if lmp is None
                        else PregnancyStatus.PREGNANT,
                        registered_on=registered,
                        pregnancy_registered_on=None if lmp is None else registered,
                        lmp_on=lmp,
                        due_on=None if lmp is None else due_date(lmp),
                        registered_week=None
                        if lmp is None
                        else (registered - lmp).days // 7,
                        is_late_registration=late,
                        birth_order=woman.children.count() + 1,
                        certificate_number=f"SZ{village.code[6:]}{rng.randint(1000, 9999)}",
                        certificate_on=registered - timedelta(days=rng.randint(0, 30)),
                        responsible_persons=_visitors(rng),
                        note=MARK,
                        registered_by=by,
                    ),
                    state,
                )
            )
    Pregnancy.objects.bulk_create([p for p, _ in plans], batch_size=500)
    saved = {
        p.woman_id: p
        for p in Pregnancy.objects.filter(note=MARK).select_related("woman")
    }
    visits: list[Visit] = []
    for plan, state in plans:
        pregnancy = saved[plan.woman_id]
        plan.pk = pregnancy.pk
        step = 30 if state in ("on_schedule", "awaiting") else 75
        day = pregnancy.registered_on + timedelta(days=rng.randint(0, 10))
        last = today if state != "overdue" else today - timedelta(weeks=10)
        while day <= last:
            finding = (
                "not_found"
                if state == "disappeared" and day > last - timedelta(days=60)
                else "pregnant"
            )
            visits.append(
                Visit(
                    pregnancy=pregnancy,
                    visited_on=day,
                    visitors=_visitors(rng),
                    mode=rng.choice(["home", "home", "phone", "clinic"]),
                    finding=finding,
                    recorded_by=by,
                )
            )
            day += timedelta(days=rng.randint(step // 3, step))
    Visit.objects.bulk_create(visits, batch_size=1000)
    for plan, state in plans:
        _outcome(saved[plan.woman_id], state, rng, by, today)
    raise_alerts(today)
    _infant_deaths(by, rng, today)
    return len(plans)


def _outcome(
    pregnancy: Pregnancy, state: str, rng: random.Random, by: User, today: date
) -> None:
    if pregnancy.lmp_on is None:
        return
    lmp = pregnancy.lmp_on
    end = min(today - timedelta(days=rng.randint(1, 40)), lmp + timedelta(weeks=40))
    end = max(end, lmp + timedelta(weeks=28))
    if state in ("live_birth", "twins"):
        sexes = [
            "M" if rng.random() < 0.53 else "F"
            for _ in range(2 if state == "twins" else 1)
        ]
        children = [
            services.BirthData(
                sex=sex,
                weight_grams=rng.randint(2300, 4100),
                birth_certificate_number=""
                if rng.random() < 0.15
                else f"Q{rng.randint(10**8, 10**9 - 1)}",
            )
            for sex in sexes
        ]
        services.record_outcome(
            by=by,
            pregnancy=pregnancy,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=end,
            discharge_on=end + timedelta(days=3),
            children=children,
        )
    elif state == "stillbirth":
        services.record_outcome(
            by=by, pregnancy=pregnancy, kind=OutcomeKind.STILLBIRTH, occurred_on=end
        )
    elif state in ("miscarriage", "termination", "late_termination"):
        weeks = {"miscarriage": 9, "termination": 8, "late_termination": 16}[state]
        occurred = min(lmp + timedelta(weeks=weeks, days=rng.randint(0, 6)), today)
        services.record_outcome(
            by=by,
            pregnancy=pregnancy,
            kind=OutcomeKind.MISCARRIAGE
            if state == "miscarriage"
            else OutcomeKind.TERMINATION,
            occurred_on=occurred,
            termination_reason=""
            if state == "miscarriage"
            else rng.choice(["personal", "medical"]),
        )
    elif state == "moved_out":
        services.record_outcome(
            by=by,
            pregnancy=pregnancy,
            kind=OutcomeKind.MOVED_OUT,
            occurred_on=max(pregnancy.registered_on, today - timedelta(days=20)),
            receiving_place=rng.choice(["广东省东莞市长安镇", "浙江省义乌市稠城街道"]),
        )


def _infant_deaths(by: User, rng: random.Random, today: date) -> None:
    """Two infant deaths among the demo births: a girl reported late, a boy on time."""
    from srbgov.pregnancies.models import Birth

    births = (
        Birth.objects.filter(pregnancy__note=MARK)
        .select_related("child")
        .order_by("pk")
    )
    girl = births.filter(sex="F").first()
    boy = births.filter(sex="M").first()
    tz = timezone.get_current_timezone()
    for birth, delay in ((girl, 52), (boy, 6)):
        if birth is None:
            continue
        died_on = min(
            birth.born_on + timedelta(days=rng.randint(1, 20)),
            today - timedelta(days=3),
        )
        died_at = datetime.combine(died_on, time(6, 30), tzinfo=tz)
        services.record_infant_death(
            by=by,
            child=birth.child,
            died_at=died_at,
            cause="新生儿肺炎" if birth.sex == "F" else "早产并发症",
            reported_at=died_at + timedelta(hours=delay),
        )
