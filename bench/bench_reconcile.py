"""Reconciliation of one township's month (issue 13 item 3).

Prints `reconcile_township_month: <ms> ms (<n> runs)`: `reconcile_month` for a
township of 20 villages with 2,000 facility deliveries in the month (the register,
whatever its source) against its registry: 1,880 births found by the identity hash
(20 of them with the sex differing), 60 with a mistyped number and a name typed by
ear (同音字) for the Fellegi–Sunter pass, 60 facility-only (漏报) and 60
registry-only; plus 200 terminations, most closed by their entry. What is timed is
what the page and the sheet wait for: the three queries per side, the hash pass, the
candidate pairs of what is left, EM and the one-to-one assignment. Goal: < 2 s.

The rows are bulk-inserted (the load is not what is measured). Runs on PostgreSQL
(DATABASE_URL from scripts/with_postgres.sh) or, without it, a temporary SQLite file.
"""

from __future__ import annotations

import os
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

DELIVERIES = 2_000
MISTYPED = 60
FACILITY_ONLY = 60
REGISTRY_ONLY = 60
SEX_DIFFERS = 20
TERMINATIONS = 200
VILLAGES = 20
RUNS = 5
YEAR, MONTH = 2026, 5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["丽", "芳", "娟", "敏", "静", "红", "梅", "霞", "燕", "玲", "慧", "倩"]
# Same sound, other character: what a clerk types from hearing a name.
HOMOPHONE = {"丽": "莉", "芳": "方", "娟": "鹃", "敏": "闽", "静": "靜", "红": "虹"}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2])))


def _build() -> object:
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.people.models import Child, Woman
    from srbgov.pregnancies.models import (
        Birth,
        Outcome,
        OutcomeKind,
        Pregnancy,
        PregnancyStatus,
    )
    from srbgov.providers.models import (
        DeliveryChild,
        Facility,
        FacilityDelivery,
        FacilityKind,
        Practitioner,
        TerminationRecord,
    )

    rng = random.Random(13)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    town = Area.objects.create(
        code="520999101000", name="镇", level=AreaLevel.TOWNSHIP, parent=county
    )
    Area.objects.bulk_create(
        Area(
            code=f"520999101{201 + v:03d}",
            name=f"村{v}",
            level=AreaLevel.VILLAGE,
            parent=town,
        )
        for v in range(VILLAGES)
    )
    villages = list(Area.objects.villages().order_by("code"))
    user = User.objects.create(username="bench", role=Role.COUNTY_OFFICER, area=county)
    facility = Facility.objects.create(
        name="镇卫生院", kind=FacilityKind.HEALTH_CENTER, area=town
    )
    operator = Practitioner.objects.create(
        facility=facility, name="医生", kind="termination"
    )
    first = date(YEAR, MONTH, 1)
    registered = DELIVERIES - FACILITY_ONLY + REGISTRY_ONLY
    births_total = registered + TERMINATIONS
    women = [
        Woman(
            name=_name(rng),
            id_number_encrypted="x",
            id_number_hash=f"h{i}",
            id_number_masked="520999************",
            birth_on=date(1985 + i % 15, 1 + i % 12, 1 + i % 28),
            village=villages[i % VILLAGES],
        )
        for i in range(births_total)
    ]
    Woman.objects.bulk_create(women, batch_size=2000)
    women = list(Woman.objects.order_by("pk"))
    days = [first + timedelta(days=rng.randrange(31)) for _ in women]
    Pregnancy.objects.bulk_create(
        (
            Pregnancy(
                woman=w,
                village_id=w.village_id,
                status=PregnancyStatus.ENDED,
                registered_on=days[i] - timedelta(days=220),
                lmp_on=days[i] - timedelta(days=275),
                due_on=days[i] + timedelta(days=5),
                birth_order=1,
                responsible_persons="甲、乙",
                registered_by=user,
            )
            for i, w in enumerate(women)
        ),
        batch_size=2000,
    )
    pregnancies = list(Pregnancy.objects.order_by("pk"))
    Outcome.objects.bulk_create(
        (
            Outcome(
                pregnancy=p,
                kind=OutcomeKind.LIVE_BIRTH
                if i < registered
                else OutcomeKind.TERMINATION,
                occurred_on=days[i],
                gestational_weeks=39 if i < registered else 10,
                recorded_by=user,
            )
            for i, p in enumerate(pregnancies)
        ),
        batch_size=2000,
    )
    outcomes = list(Outcome.objects.order_by("pk"))
    sexes = [rng.choice("MF") for _ in range(registered)]
    Child.objects.bulk_create(
        (
            Child(mother=women[i], birth_on=days[i], sex=sexes[i], birth_order=1)
            for i in range(registered)
        ),
        batch_size=2000,
    )
    children = list(Child.objects.order_by("pk"))
    Birth.objects.bulk_create(
        (
            Birth(
                outcome=outcomes[i],
                pregnancy=pregnancies[i],
                mother=women[i],
                child=children[i],
                sex=sexes[i],
                born_on=days[i],
                birth_order=1,
                village_id=women[i].village_id,
            )
            for i in range(registered)
        ),
        batch_size=2000,
    )
    # The facility's register: registry births 0 … 1,939 (the last 60 of the registry
    # are delivered elsewhere), then 60 mothers no village registered.
    deliveries = []
    facts = []
    for i in range(DELIVERIES):
        if i < DELIVERIES - FACILITY_ONLY:
            w = women[i]
            name, number, sex, on = w.name, w.id_number_hash, sexes[i], days[i]
            if i < MISTYPED:
                name = "".join(HOMOPHONE.get(c, c) for c in name)
                number = f"typo{i}"
            elif i < MISTYPED + SEX_DIFFERS:
                sex = "M" if sex == "F" else "F"
            birth_on, village = w.birth_on, w.village_id
        else:
            name, number = _name(rng), f"new{i}"
            sex, on = rng.choice("MF"), first + timedelta(days=rng.randrange(31))
            birth_on, village = date(1996, 6, 6), villages[i % VILLAGES].pk
        deliveries.append(
            FacilityDelivery(
                facility=facility,
                delivered_on=on,
                mother_birth_on=birth_on,
                village_id=village,
                woman_name=name,
                id_number_encrypted="x",
                id_number_hash=number,
                id_number_masked="520999************",
                recorded_by=user,
            )
        )
        facts.append(sex)
    FacilityDelivery.objects.bulk_create(deliveries, batch_size=2000)
    DeliveryChild.objects.bulk_create(
        (
            DeliveryChild(delivery=d, sex=facts[i])
            for i, d in enumerate(FacilityDelivery.objects.order_by("pk"))
        ),
        batch_size=2000,
    )
    TerminationRecord.objects.bulk_create(
        (
            TerminationRecord(
                facility=facility,
                woman=women[i],
                woman_name=women[i].name,
                id_number_encrypted="x",
                id_number_hash=women[i].id_number_hash,
                id_number_masked="520999************",
                terminated_on=days[i],
                gestational_weeks=10,
                method="aspiration",
                operator=operator,
                medical_reason="本人意愿",
                outcome_id=outcomes[i].pk,
                recorded_by=user,
            )
            for i in range(registered, births_total)
        ),
        batch_size=2000,
    )
    return town


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.timing import median_ms, report
    from srbgov.reconciliation.queries import reconcile_month

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    town = _build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    month = reconcile_month(township=town, year=YEAR, month=MONTH)  # type: ignore[arg-type]
    b = month.births
    print(
        f"# reconcile: matched {len(b.matched)}, pending {len(b.pending)}, "
        f"facility-only {len(b.facility_only)}, registry-only {len(b.registry_only)}, "
        f"pairs scored {b.pairs_scored}, EM iterations {b.em_iterations}, "
        f"terminations matched {len(month.terminations.matched)}",
        flush=True,
    )
    ms = median_ms(
        lambda: reconcile_month(township=town, year=YEAR, month=MONTH),  # type: ignore[arg-type]
        runs=RUNS,
    )
    report("reconcile_township_month", ms, "ms", RUNS)
