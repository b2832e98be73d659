"""SRB statistics at province scale: 20,000 villages, 10 million births over 10 years.

PostgreSQL only (`make bench`; on SQLite it says so and stops). The births table is
filled by one INSERT … SELECT over generate_series, not through the ORM: in this
throwaway database the foreign keys and secondary indexes of pregnancies_birth are
dropped first (the rows point at one dummy outcome, pregnancy and mother) and only the
model's (village, born_on) index is rebuilt afterwards. Then, median of several runs:

- birth_counts_rebuild: `rebuild_birth_counts()` (count + yearly tables from births),
  after birth_counts_rebuild_baseline, the previous version in the same run (the same
  build-and-swap of the previous table shape, one row per village, month and cell,
  into tables of its own; SRBGOV_BENCH_SRB_BASELINE_RUNS, default 1); the load
  average is logged around them, and the rows of both shapes;
- srb_all_villages: every village's SRB, Wilson interval and empirical-Bayes estimate
  (shrunk towards its township) for one year, read from the yearly count table as
  four arrays, with the time of each step logged; srb_all_villages_baseline reads the
  same rows as a values_list of tuples; srb_all_villages_one_thread is the same as
  srb_all_villages with the incomplete beta in one thread (as before it was sliced
  per core);
- srb_overview_page: server time of the overview page (Django test client) for the
  county officer of one county (400 villages), 5-year window;
- srb_groupby_postgres / srb_groupby_duckdb: the same per-village counts for one year by
  a plain GROUP BY over the births table, in PostgreSQL and in DuckDB (loaded once from
  a CSV export of the table; duckdb is a bench-only requirement;
  SRBGOV_BENCH_SRB_DUCKDB=0 skips it);
- srb_birth_hook: one birth added to both count tables (what every recorded birth costs).

Size: SRBGOV_BENCH_SRB_BIRTHS (default 10,000,000) and SRBGOV_BENCH_SRB_VILLAGES
(default 20,000; counties of 20 townships × 20 villages).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

BIRTHS = int(os.environ.get("SRBGOV_BENCH_SRB_BIRTHS", "10000000"))
VILLAGES = int(os.environ.get("SRBGOV_BENCH_SRB_VILLAGES", "20000"))
PER_TOWNSHIP = 20
PER_COUNTY = 20 * PER_TOWNSHIP
YEAR = 2025
RUNS_REBUILD = int(os.environ.get("SRBGOV_BENCH_SRB_REBUILD_RUNS", "3"))
RUNS_BASELINE = int(os.environ.get("SRBGOV_BENCH_SRB_BASELINE_RUNS", "1"))
RUNS = 7
# Keep the bench database between runs and reuse its births when their number matches
# (generating 10 M births takes minutes): only useful with a DATABASE_URL whose server
# outlives the run, not with scripts/with_postgres.sh (docs/statistics.md).
KEEP_DB = os.environ.get("SRBGOV_BENCH_SRB_KEEP_DB", "0") == "1"

GROUP_BY = """
    SELECT village_id,
           SUM(CASE WHEN sex = 'M' THEN 1 ELSE 0 END) AS boys,
           SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) AS girls
    FROM {table}
    WHERE born_on >= DATE '{year}-01-01' AND born_on < DATE '{next}-01-01'
    GROUP BY village_id
"""


def _log(message: str) -> None:
    print(f"# {message}", flush=True)


def _load() -> str:
    """The load averages (1, 5, 15 min): figures on the shared machine mean little
    without them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _areas() -> tuple[list[int], int]:
    """Counties, townships, villages; returns (county ids, first village id)."""
    from srbgov.areas.models import Area, AreaLevel

    counties = []
    for c in range(max(1, VILLAGES // PER_COUNTY)):
        code = f"52{c // 20 + 1:02d}{c % 20 + 21:02d}000000"
        counties.append(Area(code=code, name=f"县{c}", level=AreaLevel.COUNTY))
    Area.objects.bulk_create(counties)
    counties = list(Area.objects.filter(level=AreaLevel.COUNTY).order_by("pk"))
    towns = [
        Area(
            code=f"{county.code[:6]}{101 + t:03d}000",
            name=f"{county.name}镇{t}",
            level=AreaLevel.TOWNSHIP,
            parent=county,
        )
        for county in counties
        for t in range(20)
    ]
    Area.objects.bulk_create(towns, batch_size=5000)
    towns = list(Area.objects.filter(level=AreaLevel.TOWNSHIP).order_by("pk"))
    villages = [
        Area(
            code=f"{town.code[:9]}{201 + v:03d}",
            name=f"{town.name}村{v}",
            level=AreaLevel.VILLAGE,
            parent=town,
        )
        for town in towns
        for v in range(PER_TOWNSHIP)
    ][:VILLAGES]
    Area.objects.bulk_create(villages, batch_size=5000)
    ids = list(
        Area.objects.filter(level=AreaLevel.VILLAGE).values_list("pk", flat=True)
    )
    assert max(ids) - min(ids) + 1 == len(ids), "village ids must be contiguous"
    return [c.pk for c in counties], min(ids)


def _anchor_rows(county_id: int, village_id: int) -> tuple[object, int]:
    """One user, woman, pregnancy and outcome the synthetic births point at."""
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area
    from srbgov.people.models import Woman
    from srbgov.pregnancies.models import Outcome, Pregnancy

    county = Area.objects.get(pk=county_id)
    user = User.objects.create(
        username="bench_xian", role=Role.COUNTY_OFFICER, area=county
    )
    woman = Woman.objects.create(
        name="妇女",
        id_number_encrypted="x",
        id_number_hash="bench",
        id_number_masked="520999********0000",
        birth_on=date(1990, 1, 1),
        village_id=village_id,
    )
    pregnancy = Pregnancy.objects.create(
        woman=woman,
        village_id=village_id,
        status="ended",
        registered_on=date(2016, 1, 1),
        lmp_on=date(2015, 5, 1),
        due_on=date(2016, 2, 5),
        birth_order=1,
        responsible_persons="甲、乙",
        registered_by=user,
    )
    outcome = Outcome.objects.create(
        pregnancy=pregnancy,
        kind="live_birth",
        occurred_on=date(2016, 2, 1),
        gestational_weeks=39,
        recorded_by=user,
    )
    return user, outcome.pk


def _fill_births(first_village: int, outcome_id: int) -> None:
    from django.db import connection

    from srbgov.pregnancies.models import Birth

    table = Birth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conname FROM pg_constraint
               WHERE conrelid = %s::regclass AND contype IN ('f', 'u')""",
            [table],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            """SELECT indexname FROM pg_indexes WHERE tablename = %s
               AND indexname NOT LIKE '%%pkey'""",
            [table],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"ALTER TABLE {table} SET UNLOGGED")
        start = time.perf_counter()
        # Birth order 1/2/3+ about 45/40/15 %; earlier children drawn to match;
        # 51.5 % boys (SRB ~106); days spread over 2016-2025.
        cursor.execute(
            f"""
            INSERT INTO {table} (outcome_id, pregnancy_id, mother_id, child_id, sex,
                born_on, birth_order, earlier_boys, earlier_girls, village_id,
                facility_id, weight_grams, birth_certificate_number, recorded_at)
            SELECT o.id, o.pregnancy_id, p.woman_id, g,
                   CASE WHEN random() < 0.5153 THEN 'M' ELSE 'F' END,
                   DATE '2016-01-01' + (random() * 3652)::int,
                   r.ord, r.eb, r.ord - 1 - r.eb,
                   {first_village} + (g % {VILLAGES}),
                   NULL, NULL, '', now()
            FROM generate_series(1, {BIRTHS}) AS g
            CROSS JOIN LATERAL (
                SELECT x.ord, (random() * (x.ord - 1))::int AS eb
                FROM (SELECT CASE WHEN random() < 0.45 THEN 1
                                  WHEN random() < 0.73 THEN 2 ELSE 3 END
                             + (g * 0) AS ord) AS x
            ) AS r,
                 pregnancies_outcome o
                 JOIN pregnancies_pregnancy p ON p.id = o.pregnancy_id
            WHERE o.id = {outcome_id}
            """
        )
        _log(f"inserted {BIRTHS:,} births in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        cursor.execute(
            f"CREATE INDEX pregnancies_birth_by_area ON {table} (village_id, born_on)"
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
        _log(f"index + analyze in {time.perf_counter() - start:.0f} s")


def _all_villages(year: int, *, profile: dict[str, float] | None = None) -> int:
    """Every village's SRB, interval and shrunken estimate for one year: one read of
    the yearly count table as four integer arrays (one row: PostgreSQL's array_agg,
    so neither the ORM nor the driver builds a tuple per village), then the
    vectorised statistics. `profile` collects the seconds of each step."""
    import numpy as np
    from django.contrib.postgres.aggregates import ArrayAgg

    from srbgov.monitoring.models import VillageYearCount
    from srbgov.stats import shrink_groups, srb_estimates

    clock = time.perf_counter()
    marks: list[tuple[str, float]] = []
    found = VillageYearCount.objects.filter(year=year).aggregate(
        v=ArrayAgg("village_id"),
        t=ArrayAgg("village__parent_id"),
        b=ArrayAgg("boys"),
        g=ArrayAgg("girls"),
    )
    marks.append(("read", time.perf_counter()))
    table = np.array([found["v"], found["t"], found["b"], found["g"]], dtype=np.int64)
    marks.append(("arrays", time.perf_counter()))
    b, g = table[2], table[3]
    raw = srb_estimates(b, g)
    marks.append(("srb_estimates", time.perf_counter()))
    shrunk = shrink_groups(b, g, table[1])
    marks.append(("shrink_groups", time.perf_counter()))
    assert raw.srb.size == shrunk.srb.size == table.shape[1]
    if profile is not None:
        for name, at in marks:
            profile[name] = profile.get(name, 0.0) + at - clock
            clock = at
    return int(table.shape[1])


def _one_thread(measure: Callable[[], float]) -> float:
    """`measure()` with the incomplete beta in the calling thread only, as before it
    was computed a slice per core (`srbgov.stats._dist._sliced`): the same values."""
    from srbgov.stats import _dist

    cores = _dist._cores
    _dist._cores = lambda: 1
    try:
        return measure()
    finally:
        _dist._cores = cores


def _quantiles(year: int) -> str:
    """The two bounds of every village's shrunken interval by scipy's quantile (the
    previous path) and by the fast one, alternating, on the bench's posteriors."""
    import numpy as np

    from bench.timing import median_ms
    from srbgov.monitoring.models import VillageYearCount
    from srbgov.stats import shrink_groups
    from srbgov.stats._dist import beta_ppf_array, beta_ppf_fast_array

    rows = VillageYearCount.objects.filter(year=year).values_list(
        "village__parent_id", "boys", "girls"
    )
    table = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
    shrunk = shrink_groups(table[:, 1], table[:, 2], table[:, 0])
    strength = np.array([shrunk.priors[t].strength for t in table[:, 0].tolist()])
    mean = np.array([shrunk.priors[t].mean for t in table[:, 0].tolist()])
    a = mean * strength + table[:, 1]
    b = (1.0 - mean) * strength + table[:, 2]
    times: dict[str, list[float]] = {"scipy": [], "fast": []}
    for _ in range(RUNS):
        for name, quantile in (
            ("scipy", beta_ppf_array),
            ("fast", beta_ppf_fast_array),
        ):
            times[name].append(
                median_ms(lambda f=quantile: (f(0.025, a, b), f(0.975, a, b)), runs=1)
            )
    worst = float(
        np.max(np.abs(beta_ppf_fast_array(0.025, a, b) - beta_ppf_array(0.025, a, b)))
    )
    return (
        ", ".join(f"{k} {sorted(v)[len(v) // 2]:.1f}" for k, v in times.items())
        + f" (largest difference {worst:.1e})"
    )


def _all_villages_previous(year: int) -> int:
    """The previous read, for the baseline line: a values_list of 20,000 tuples."""
    import numpy as np

    from srbgov.monitoring.models import VillageYearCount
    from srbgov.stats import shrink_groups, srb_estimates

    rows = VillageYearCount.objects.filter(year=year).values_list(
        "village_id", "village__parent_id", "boys", "girls"
    )
    table = np.array(list(rows), dtype=np.int64).reshape(-1, 4)
    b, g = table[:, 2], table[:, 3]
    raw = srb_estimates(b, g)
    shrunk = shrink_groups(b, g, table[:, 1])
    assert raw.srb.size == shrunk.srb.size == table.shape[0]
    return int(table.shape[0])


# The count table of the previous version, one row per village, month and cell, as
# migration monitoring/0003 left it: the baseline rebuilds it beside the live tables.
_PREVIOUS_TABLES = """
DROP TABLE IF EXISTS bench_prev_birthcount, bench_prev_years;
CREATE TABLE bench_prev_birthcount (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    month date NOT NULL,
    order_bucket smallint NOT NULL CHECK (order_bucket >= 0)
        CHECK (order_bucket IN (1, 2, 3)),
    pattern varchar(6) NOT NULL CHECK (pattern IN ('none', 'girls', 'boys', 'mixed')),
    sex varchar(1) NOT NULL CHECK (sex IN ('M', 'F')),
    n integer NOT NULL CHECK (n >= 0),
    facility_id bigint NULL,
    village_id bigint NOT NULL
);
CREATE UNIQUE INDEX bench_prev_birthcount_key ON bench_prev_birthcount
    (village_id, month, order_bucket, pattern, sex, COALESCE(facility_id, 0));
CREATE TABLE bench_prev_years (LIKE monitoring_villageyearcount INCLUDING ALL);
"""


def _rebuild_previous() -> None:
    """The rebuild of the previous version (baseline line, same run): the same
    build-and-swap (`monitoring.counts._swap_in`: parallel CREATE TABLE … AS, CHECKs
    and indexes restored from the catalogue) of a table with one row per village,
    month and cell (7.6 M rows at 10 M births), the yearly table from it."""
    from django.db import connection, transaction

    from srbgov.monitoring.counts import _CELL_CODE, _PATTERN_OF_CODE, _swap_in
    from srbgov.pregnancies.models import Birth

    monthly = f"""
        (SELECT b.village_id,
                CAST(date_trunc('month', CAST(b.born_on AS timestamp)) AS date) AS month,
                {_CELL_CODE} AS code,
                COALESCE(b.facility_id, 0) AS facility, COUNT(*) AS n
         FROM {Birth._meta.db_table} b
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) AS grouped
    """
    yearly = """
        (SELECT village_id, CAST(date_part('year', month) AS integer) AS year,
                SUM(n) FILTER (WHERE sex = 'M') AS boys,
                SUM(n) FILTER (WHERE sex = 'F') AS girls
         FROM bench_prev_birthcount GROUP BY 1, 2 ORDER BY 1, 2) AS grouped
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_prev_birthcount')")
        if cursor.fetchone()[0] is None:
            cursor.execute(_PREVIOUS_TABLES)
        cursor.execute(
            "LOCK TABLE bench_prev_birthcount, bench_prev_years IN EXCLUSIVE MODE"
        )
        cursor.execute("SET LOCAL work_mem = '1GB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL enable_hashagg = off")
        cursor.execute("SET LOCAL jit = off")
        _swap_in(
            cursor,
            "bench_prev_birthcount",
            (
                monthly,
                {
                    "id": "row_number() OVER ()",
                    "village_id": "village_id",
                    "month": "month",
                    "order_bucket": "code >> 3",
                    "pattern": _PATTERN_OF_CODE,
                    "sex": "CASE code & 1 WHEN 1 THEN 'M' ELSE 'F' END",
                    "facility_id": "NULLIF(facility, 0)",
                    "n": "n",
                },
            ),
        )
        cursor.execute("SET LOCAL enable_hashagg = on")
        _swap_in(
            cursor,
            "bench_prev_years",
            (
                yearly,
                {
                    "id": "row_number() OVER ()",
                    "village_id": "village_id",
                    "year": "year",
                    "boys": "COALESCE(boys, 0)",
                    "girls": "COALESCE(girls, 0)",
                },
            ),
        )
        cursor.execute("ANALYZE bench_prev_birthcount, bench_prev_years")
        cursor.execute("SELECT COALESCE(SUM(boys + girls), 0) FROM bench_prev_years")


def _duckdb_table(tmp: Path) -> object:
    import duckdb  # bench-only dependency (requirements.txt)
    from django.db import connection

    path = tmp / "births.csv"
    with connection.cursor() as cursor, path.open("wb") as out:
        raw = cursor.cursor
        with raw.copy(
            "COPY (SELECT village_id, born_on, sex FROM pregnancies_birth) "
            "TO STDOUT WITH (FORMAT csv)"
        ) as copy:
            for chunk in copy:
                out.write(chunk)
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE births AS SELECT * FROM read_csv(?, header=false, "
        "columns={'village_id': 'INTEGER', 'born_on': 'DATE', 'sex': 'VARCHAR'})",
        [str(path)],
    )
    path.unlink()
    return db


def run() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.timing import median_ms, report

    if connection.vendor != "postgresql":
        _log("bench_srb needs PostgreSQL (make bench); skipped on SQLite")
        return
    server_db = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=KEEP_DB, serialize=False
    )

    from srbgov.accounts.models import User
    from srbgov.monitoring.counts import count_birth, rebuild_birth_counts
    from srbgov.monitoring.models import BirthCount
    from srbgov.pregnancies.models import Birth

    user: object
    if KEEP_DB and Birth.objects.count() == BIRTHS:
        _log(f"reusing the kept database's {BIRTHS:,} births")
        user = User.objects.get(username="bench_xian")
    else:
        if KEEP_DB:
            # A kept database of another size: start from an empty one.
            connection.creation.destroy_test_db(server_db, verbosity=0)
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        _log(f"building {VILLAGES:,} villages, {BIRTHS:,} births (2016-2025)")
        counties, first_village = _areas()
        user, outcome_id = _anchor_rows(counties[0], first_village)
        _fill_births(first_village, outcome_id)

    _log(f"machine load before the rebuilds: {_load()}")
    if RUNS_BASELINE:  # 0: no baseline (quicker, when only the readers change)
        report(
            "birth_counts_rebuild_baseline",
            median_ms(_rebuild_previous, runs=RUNS_BASELINE, warmup=0),
            "ms",
            RUNS_BASELINE,
        )
    report(
        "birth_counts_rebuild",
        median_ms(rebuild_birth_counts, runs=RUNS_REBUILD, warmup=0),
        "ms",
        RUNS_REBUILD,
    )
    _log(f"machine load after the rebuilds: {_load()}")
    _log(f"{BirthCount.objects.count():,} count rows (one a village, year and cell)")
    if RUNS_BASELINE:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM bench_prev_birthcount")
            _log(f"{cursor.fetchone()[0]:,} rows of the previous shape (a month each)")
    report(
        "srb_all_villages_baseline",
        median_ms(lambda: _all_villages_previous(YEAR), runs=RUNS),
        "ms",
        RUNS,
    )
    profile: dict[str, float] = {}
    report(
        "srb_all_villages",
        median_ms(lambda: _all_villages(YEAR, profile=profile), runs=RUNS, warmup=0),
        "ms",
        RUNS,
    )
    _log(
        "srb_all_villages per step (mean ms): "
        + ", ".join(f"{k} {1000 * v / RUNS:.1f}" for k, v in profile.items())
    )
    report(
        "srb_all_villages_one_thread",
        _one_thread(lambda: median_ms(lambda: _all_villages(YEAR), runs=RUNS)),
        "ms",
        RUNS,
    )

    _log(f"srb_all_villages quantiles (median ms, same posteriors): {_quantiles(YEAR)}")

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from srbgov.testing import VerifiedClient

    # The county officer must have passed the second factor (MFA roles).
    TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = VerifiedClient()
    client.force_login(user)

    def overview() -> None:
        response = client.get(
            "/monitoring/",
            {"period": "window5", "year": str(YEAR)},
            HTTP_HOST="127.0.0.1",
        )
        assert response.status_code == 200, response.status_code

    report("srb_overview_page", median_ms(overview, runs=RUNS), "ms", RUNS)

    sql = GROUP_BY.format(table="pregnancies_birth", year=YEAR, next=YEAR + 1)
    pg_rows: list[tuple[int, int, int]] = []

    def pg_group_by() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            pg_rows[:] = cursor.fetchall()

    report("srb_groupby_postgres", median_ms(pg_group_by, runs=RUNS), "ms", RUNS)
    try:
        if os.environ.get("SRBGOV_BENCH_SRB_DUCKDB", "1") == "0":
            raise ImportError("skipped (SRBGOV_BENCH_SRB_DUCKDB=0)")
        with tempfile.TemporaryDirectory() as folder:
            db = _duckdb_table(Path(folder))
            duck_sql = GROUP_BY.format(table="births", year=YEAR, next=YEAR + 1)
            duck_rows: list[tuple[int, int, int]] = []

            def duck_group_by() -> None:
                duck_rows[:] = db.execute(duck_sql).fetchall()  # type: ignore[attr-defined]

            report(
                "srb_groupby_duckdb", median_ms(duck_group_by, runs=RUNS), "ms", RUNS
            )
            assert sorted(duck_rows) == sorted(
                (int(v), int(b), int(g)) for v, b, g in pg_rows
            ), "DuckDB and PostgreSQL disagree"
    except ImportError as missing:
        _log(f"srb_groupby_duckdb not measured: {missing}")

    sample = Birth.objects.order_by("pk").first()
    assert sample is not None

    def hook() -> None:
        count_birth(sample)

    report("srb_birth_hook", median_ms(hook, runs=RUNS), "ms", RUNS)
    if KEEP_DB:
        # The hook runs above added births to the counts: the next run rebuilds them.
        return
    connection.creation.destroy_test_db(
        settings.DATABASES["default"]["NAME"], verbosity=0
    )
