"""Follow-up at county scale: 20,000 open pregnancies and 300,000 visits.

Times (median of several runs) the county officer's overdue list (count + first page,
what the worklist page does) and the nightly `raise_alerts` over every pregnancy
(each run starts from unchecked rows and an empty alert queue: the worst night).
Goals (issue 3): overdue list < 100 ms, raise_alerts < 30 s.

On PostgreSQL (DATABASE_URL from scripts/with_postgres.sh) it builds a throwaway test
database; then it runs itself again in a subprocess on a temporary SQLite file and
prints the same lines with `_sqlite` appended.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

PREGNANCIES = 20_000
VISITS_PER_PREGNANCY = 15
TOWNSHIPS = 10
VILLAGES_PER_TOWNSHIP = 20
RUNS_LIST = 7
RUNS_ALERTS = 3
SQLITE_FLAG = "SRBGOV_BENCH_SQLITE"


def _build(today: date) -> object:
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.people.models import Woman
    from srbgov.pregnancies.models import Pregnancy, PregnancyStatus, Visit
    from srbgov.schedules import due_date

    rng = random.Random(3)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    villages = []
    for t in range(TOWNSHIPS):
        town = Area.objects.create(
            code=f"520999{101 + t:03d}000",
            name=f"镇{t}",
            level=AreaLevel.TOWNSHIP,
            parent=county,
        )
        for v in range(VILLAGES_PER_TOWNSHIP):
            villages.append(
                Area(
                    code=f"520999{101 + t:03d}{201 + v:03d}",
                    name=f"村{t}-{v}",
                    level=AreaLevel.VILLAGE,
                    parent=town,
                )
            )
    Area.objects.bulk_create(villages)
    villages = list(Area.objects.villages())
    user = User.objects.create(username="bench", role=Role.COUNTY_OFFICER, area=county)
    women = [
        Woman(
            name=f"妇女{i}",
            id_number_encrypted="x",
            id_number_hash=f"bench-{i}",
            id_number_masked="520999********0000",
            birth_on=date(1995, 1, 1),
            village=villages[i % len(villages)],
        )
        for i in range(PREGNANCIES)
    ]
    Woman.objects.bulk_create(women, batch_size=2000)
    pregnancies = []
    for woman in Woman.objects.order_by("pk").only("pk", "village_id"):
        lmp = today - timedelta(days=rng.randint(30, 290))
        registered = lmp + timedelta(days=rng.randint(20, 100))
        registered = min(registered, today)
        pregnancies.append(
            Pregnancy(
                woman_id=woman.pk,
                village_id=woman.village_id,
                status=PregnancyStatus.PREGNANT,
                registered_on=registered,
                pregnancy_registered_on=registered,
                lmp_on=lmp,
                due_on=due_date(lmp),
                registered_week=(registered - lmp).days // 7,
                birth_order=1,
                responsible_persons="甲、乙",
                registered_by=user,
            )
        )
    Pregnancy.objects.bulk_create(pregnancies, batch_size=2000)
    visits = []
    rows = Pregnancy.objects.order_by("pk").values_list("pk", "lmp_on")
    for pk, lmp_on in rows.iterator(chunk_size=5000):
        lmp = lmp_on or today
        span = max((today - lmp).days, 1)
        for _ in range(VISITS_PER_PREGNANCY):
            visits.append(
                Visit(
                    pregnancy_id=pk,
                    visited_on=lmp + timedelta(days=rng.randint(0, span)),
                    visitors="甲、乙",
                    mode="home",
                    finding="pregnant",
                    recorded_by=user,
                )
            )
        if len(visits) >= 20_000:
            Visit.objects.bulk_create(visits, batch_size=5000)
            visits = []
    Visit.objects.bulk_create(visits, batch_size=5000)
    return county


def _measure(suffix: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.timing import median_ms, report

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    from django.core.paginator import Paginator
    from django.utils import timezone

    from srbgov.alerts.models import Alert
    from srbgov.pregnancies.models import Pregnancy
    from srbgov.pregnancies.nightly import raise_alerts
    from srbgov.pregnancies.queries import worklist

    today = timezone.localdate()
    county = _build(today)
    raise_alerts(today)  # fill the schedule state the list reads
    if connection.vendor == "postgresql":
        # A bulk load leaves the planner without statistics; in production autovacuum
        # gathers them. Without this the list's plan (and time) depends on whether
        # autovacuum happened to run during the bench.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def nightly() -> None:
        Alert.objects.all().delete()
        Pregnancy.objects.update(schedule_checked_on=None)
        raise_alerts(today)

    def overdue_list() -> None:
        rows = worklist(Pregnancy.objects.in_area(county), "overdue", today)  # type: ignore[arg-type]
        page = Paginator(rows, settings.PAGE_SIZE).get_page(1)
        list(page.object_list)
        assert page.paginator.count > 0

    report(
        f"overdue_list_county{suffix}",
        median_ms(overdue_list, runs=RUNS_LIST),
        "ms",
        RUNS_LIST,
    )
    report(
        f"raise_alerts_county{suffix}",
        median_ms(nightly, runs=RUNS_ALERTS, warmup=0),
        "ms",
        RUNS_ALERTS,
    )
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(
            settings.DATABASES["default"]["NAME"], verbosity=0
        )


def run() -> None:
    if os.environ.get(SQLITE_FLAG):
        _measure("_sqlite")
        return
    _measure("")
    with tempfile.TemporaryDirectory() as folder:
        env = dict(
            os.environ, DATABASE_URL=f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        )
        env[SQLITE_FLAG] = "1"
        root = Path(__file__).resolve().parent.parent
        subprocess.run(
            [sys.executable, "-m", "bench", "bench_followup"],
            cwd=root,
            env=env,
            check=True,
        )
