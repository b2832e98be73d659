"""The county scorecard: every village of a county of 300 villages (15 townships × 20)
against the year's default indicators (docs/assessment.md).

Prints `scorecard_county_year`: building the village scorecard of the whole county for a
year (what the county officer's page and export compute), with 12,000 pregnancies
registered in the year, 36,000 visits, 300 “两非” leads, campaigns and five years of
village birth counts. Goal ≤ 200 ms: each indicator is a GROUP BY over all villages, so the
cost is a handful of queries whatever the number of villages. Also prints the number of
queries (`scorecard_county_year_queries`).

PostgreSQL only (DATABASE_URL from scripts/with_postgres.sh): it builds a throwaway test
database.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

TOWNSHIPS = 15
VILLAGES_PER_TOWNSHIP = 20
PREGNANCIES = 12_000
VISITS_PER_PREGNANCY = 3
RUNS = 7
YEAR = 2025


def _build() -> object:
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.monitoring.models import VillageYearCount
    from srbgov.oversight.models import Campaign
    from srbgov.people.models import Woman
    from srbgov.pregnancies.models import Pregnancy, PregnancyStatus, Visit
    from srbgov.schedules import due_date
    from srbgov.tips.models import Category, Tip

    rng = random.Random(14)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    towns, villages = [], []
    for t in range(TOWNSHIPS):
        town = Area.objects.create(
            code=f"520999{101 + t:03d}000",
            name=f"镇{t}",
            level=AreaLevel.TOWNSHIP,
            parent=county,
        )
        towns.append(town)
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
    Woman.objects.bulk_create(
        [
            Woman(
                name=f"妇女{i}",
                id_number_encrypted="x",
                id_number_hash=f"bench-{i}",
                id_number_masked="520999********0000",
                birth_on=date(1995, 1, 1),
                village=villages[i % len(villages)],
            )
            for i in range(PREGNANCIES)
        ],
        batch_size=2000,
    )
    pregnancies = []
    for woman in Woman.objects.order_by("pk").only("pk", "village_id"):
        registered = date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 364))
        lmp = registered - timedelta(days=rng.randint(30, 150))
        pregnancies.append(
            Pregnancy(
                woman_id=woman.pk,
                village_id=woman.village_id,
                status=PregnancyStatus.ENDED,
                registered_on=registered,
                pregnancy_registered_on=registered,
                lmp_on=lmp,
                due_on=due_date(lmp),
                registered_week=(registered - lmp).days // 7,
                is_late_registration=(registered - lmp).days > 120,
                overdue_visits=rng.choice([0, 0, 0, 1]),
                birth_order=2,
                responsible_persons="甲、乙",
                registered_by=user,
            )
        )
    Pregnancy.objects.bulk_create(pregnancies, batch_size=2000)
    visits = [
        Visit(
            pregnancy_id=pk,
            visited_on=registered + timedelta(days=7 * (k + 1)),
            visitors="甲、乙",
            mode="home",
            finding="pregnant",
            recorded_by=user,
        )
        for pk, registered in Pregnancy.objects.values_list(
            "pk", "pregnancy_registered_on"
        )
        for k in range(
            rng.randint(0, VISITS_PER_PREGNANCY * 2 - 1) % (VISITS_PER_PREGNANCY + 1)
        )
    ]
    Visit.objects.bulk_create(visits, batch_size=5000)
    Tip.objects.bulk_create(
        [
            Tip(
                county=county,
                category=Category.SEX_IDENTIFICATION,
                place_area=rng.choice(villages),
                description="线索",
                receipt_hash=f"{i:064d}",
                received_on=date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 364)),
            )
            for i in range(300)
        ]
    )
    Campaign.objects.bulk_create(
        [
            Campaign(
                area=town,
                name=f"专项整治{n}",
                deploy_starts_on=date(YEAR, 2 + 3 * n, 1),
                deploy_ends_on=date(YEAR, 2 + 3 * n, 10),
                implement_starts_on=date(YEAR, 2 + 3 * n, 11),
                implement_ends_on=date(YEAR, 3 + 3 * n, 20),
                summary_starts_on=date(YEAR, 3 + 3 * n, 21),
                summary_ends_on=date(YEAR, 3 + 3 * n, 28),
                report_due_on=date(YEAR, 4 + 3 * n, 5),
                created_by=user,
            )
            for town in towns
            for n in range(rng.randint(1, 3))
        ]
    )
    VillageYearCount.objects.bulk_create(
        [
            VillageYearCount(
                village=v, year=y, boys=rng.randint(5, 30), girls=rng.randint(5, 28)
            )
            for v in villages
            for y in range(YEAR - 4, YEAR + 1)
        ]
    )
    return county


def run() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.timing import median_ms, report

    if connection.vendor != "postgresql":
        print("scorecard_county_year: skipped (PostgreSQL only)")
        return
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from srbgov.assessment.indicators import Period
    from srbgov.assessment.models import Level
    from srbgov.assessment.scorecard import build_scorecard

    county = _build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def scorecard() -> None:
        card = build_scorecard(area=county, level=Level.VILLAGE, period=Period.of(YEAR))  # type: ignore[arg-type]
        assert len(card.rows) == TOWNSHIPS * VILLAGES_PER_TOWNSHIP

    report("scorecard_county_year", median_ms(scorecard, runs=RUNS), "ms", RUNS)
    with CaptureQueriesContext(connection) as queries:
        scorecard()
    print(f"scorecard_county_year_queries: {len(queries)}", flush=True)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    for q in slowest:
        print(f"  {float(q['time']) * 1000:.0f} ms  {q['sql'][:160]}", flush=True)
    connection.creation.destroy_test_db(
        settings.DATABASES["default"]["NAME"], verbosity=0
    )
