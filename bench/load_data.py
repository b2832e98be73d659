"""A large county for the load bench, by bulk inserts (minutes, not hours).

300 villages in 15 townships, 60,000 women with real encrypted identity numbers, 5,000
open pregnancies with their visit history, ten years of birth counts per village for the
statistics pages, one village worker per village, a township officer per township and a
county officer; then the nightly rules fill the alert queue as they would in production.
Sizes can be shrunk with SRBGOV_BENCH_LOAD_WOMEN / _PREGNANCIES (a quick look only).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import date, timedelta

TOWNSHIPS = 15
VILLAGES_PER_TOWNSHIP = 20
WOMEN = int(os.environ.get("SRBGOV_BENCH_LOAD_WOMEN", "60000"))
PREGNANCIES = int(os.environ.get("SRBGOV_BENCH_LOAD_PREGNANCIES", "5000"))
VISITS_PER_PREGNANCY = 6
YEARS = 10
COUNTY_CODE = "520999"


@dataclass(frozen=True)
class World:
    county_officer: int
    township_officers: list[int]  # user pks, one per township
    village_workers: list[int]  # user pks, one per village
    pregnancies_by_village: dict[int, list[int]]  # village area pk → pregnancy pks
    alerts_by_township: dict[int, list[int]]  # township area pk → open alert pks
    village_of_worker: dict[int, int]
    township_of_officer: dict[int, int]


def build(today: date) -> World:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from srbgov.accounts.models import Role, User
    from srbgov.alerts.models import Alert
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.monitoring.models import BirthCount, VillageYearCount
    from srbgov.people import identity
    from srbgov.people.crypto import identity_cipher
    from srbgov.people.models import Woman
    from srbgov.pregnancies.models import Pregnancy, PregnancyStatus, Visit
    from srbgov.pregnancies.nightly import raise_alerts
    from srbgov.schedules import due_date

    rng = random.Random(12)
    county = Area.objects.create(
        code=f"{COUNTY_CODE}000000", name="大县", level=AreaLevel.COUNTY
    )
    towns = Area.objects.bulk_create(
        Area(
            code=f"{COUNTY_CODE}{101 + t:03d}000",
            name=f"第{t + 1}镇",
            level=AreaLevel.TOWNSHIP,
            parent=county,
        )
        for t in range(TOWNSHIPS)
    )
    towns = list(Area.objects.filter(level=AreaLevel.TOWNSHIP).order_by("code"))
    Area.objects.bulk_create(
        Area(
            code=f"{town.code[:9]}{201 + v:03d}",
            name=f"{town.name}{v + 1}村",
            level=AreaLevel.VILLAGE,
            parent=town,
        )
        for town in towns
        for v in range(VILLAGES_PER_TOWNSHIP)
    )
    villages = list(Area.objects.villages().order_by("code"))
    password = make_password("bench-load-password")
    users = [
        User(username="xian", role=Role.COUNTY_OFFICER, area=county, password=password)
    ]
    users += [
        User(
            username=f"zhen{i}",
            role=Role.TOWNSHIP_OFFICER,
            area=town,
            password=password,
            last_name=f"镇干部{i}",
        )
        for i, town in enumerate(towns)
    ]
    users += [
        User(
            username=f"cun{i}",
            role=Role.VILLAGE_WORKER,
            area=village,
            password=password,
            last_name=f"专干{i}",
        )
        for i, village in enumerate(villages)
    ]
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.all()}
    county_officer = by_name["xian"]

    cipher = identity_cipher()
    women = []
    for i in range(WOMEN):
        village = villages[i % len(villages)]
        born = date(1981, 1, 1) + timedelta(days=(i // 500) % 9000)
        number = identity.make_number(COUNTY_CODE, born, i % 500, "F")
        women.append(
            Woman(
                name=f"妇女{i}",
                id_number_encrypted=cipher.encrypt(number),
                id_number_hash=cipher.lookup_hash(number),
                id_number_masked=number[:6] + "********" + number[-4:],
                birth_on=born,
                village=village,
            )
        )
    Woman.objects.bulk_create(women, batch_size=5000)
    # One pregnancy each for the first PREGNANCIES women, spread over every village.
    chosen = Woman.objects.order_by("pk").values_list("pk", "village_id")[:PREGNANCIES]
    pregnancies = []
    for woman_id, village_id in chosen:
        lmp = today - timedelta(days=rng.randint(30, 270))
        registered = min(lmp + timedelta(days=rng.randint(20, 90)), today)
        pregnancies.append(
            Pregnancy(
                woman_id=woman_id,
                village_id=village_id,
                status=PregnancyStatus.PREGNANT,
                registered_on=registered,
                pregnancy_registered_on=registered,
                lmp_on=lmp,
                due_on=due_date(lmp),
                registered_week=(registered - lmp).days // 7,
                birth_order=rng.choice([1, 1, 2, 2, 3]),
                responsible_persons="甲、乙",
                registered_by=county_officer,
            )
        )
    Pregnancy.objects.bulk_create(pregnancies, batch_size=2000)
    visits = []
    for pk, registered in Pregnancy.objects.values_list("pk", "registered_on"):
        span = max((today - registered).days, 1)
        for _ in range(VISITS_PER_PREGNANCY):
            visits.append(
                Visit(
                    pregnancy_id=pk,
                    visited_on=registered + timedelta(days=rng.randint(0, span)),
                    visitors="甲、乙",
                    mode="home",
                    finding="pregnant",
                    recorded_by=county_officer,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=5000)
    _birth_counts(villages, today, rng, BirthCount, VillageYearCount)
    raise_alerts(today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    pregnancies_by_village: dict[int, list[int]] = {}
    for pk, village_id in Pregnancy.objects.values_list("pk", "village_id"):
        pregnancies_by_village.setdefault(village_id, []).append(pk)
    town_of_village = {v.pk: v.parent_id for v in villages}
    alerts_by_township: dict[int, list[int]] = {}
    for pk, area_id in Alert.objects.open().values_list("pk", "area_id"):
        town = town_of_village.get(area_id, area_id)
        alerts_by_township.setdefault(int(town or 0), []).append(pk)
    return World(
        county_officer=county_officer.pk,
        township_officers=[by_name[f"zhen{i}"].pk for i in range(len(towns))],
        village_workers=[by_name[f"cun{i}"].pk for i in range(len(villages))],
        pregnancies_by_village=pregnancies_by_village,
        alerts_by_township=alerts_by_township,
        village_of_worker={by_name[f"cun{i}"].pk: v.pk for i, v in enumerate(villages)},
        township_of_officer={by_name[f"zhen{i}"].pk: t.pk for i, t in enumerate(towns)},
    )


def _birth_counts(villages, today, rng, BirthCount, VillageYearCount) -> None:  # type: ignore[no-untyped-def]
    """Ten years of births (about 30 a village a year) as the aggregate tables hold them."""
    year_rows = []
    month_rows = []
    for village in villages:
        for year in range(today.year - YEARS, today.year):
            boys = rng.randint(10, 22)
            girls = rng.randint(10, 20)
            year_rows.append(
                VillageYearCount(village=village, year=year, boys=boys, girls=girls)
            )
            for sex, n in (("M", boys), ("F", girls)):
                for month in rng.sample(range(1, 13), k=min(n, 6)):
                    month_rows.append(
                        BirthCount(
                            village=village,
                            year=year,
                            order_bucket=rng.choice([1, 2, 3]),
                            pattern=rng.choice(["none", "girls", "boys", "mixed"]),
                            sex=sex,
                            n=max(1, n // 6),
                            **{f"m{month:02d}": max(1, n // 6)},
                        )
                    )
    VillageYearCount.objects.bulk_create(year_rows, batch_size=5000)
    BirthCount.objects.bulk_create(month_rows, batch_size=5000, ignore_conflicts=True)


def sessions_for(user_pks: list[int]) -> dict[int, str]:
    """A logged-in session per user, made directly (the load measures working, not
    the deliberately slow password hash of logging in)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from srbgov.accounts import mfa
    from srbgov.accounts.models import User

    keys = {}
    for user in User.objects.filter(pk__in=user_pks):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if mfa.is_required(user):
            # As if the second step had been passed (the county officer's pages would
            # otherwise answer with the enrolment redirect).
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="bench", defaults={"confirmed": True}
            )
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.create()
        keys[user.pk] = store.session_key or ""
    return keys
