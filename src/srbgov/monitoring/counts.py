"""Keeping the birth count tables equal to `pregnancies.Birth` (docs/design.md §7, docs/conventions.md §2).

`count_birth` is registered in `pregnancies.hooks.BIRTH_RECORDED` (see apps.py): the
birth service calls it once per live birth inside the birth's transaction, so a new
birth is in the statistics the moment it is committed, and a failed outcome leaves no
count behind. `rebuild_birth_counts` recomputes both tables from the births table in one
statement each (for births written in bulk, e.g. an import or the demo, and as the
nightly check); incremental counts and a rebuild are equal (property-tested).

Corrections: the pregnancies app today neither deletes a `Birth` (PROTECT everywhere)
nor changes the fields counted here (only the birth certificate number can be added
later). A future correction service calls `uncount_birth(old)` and `count_birth(new)`
in its transaction; `rebuild_birth_counts` repairs anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model

from srbgov.monitoring.models import (
    BirthCount,
    VillageYearCount,
    earlier_pattern,
    order_bucket,
)

if TYPE_CHECKING:
    from srbgov.pregnancies.models import Birth

BirthKey = tuple[
    int, str, int, str, str, int | None
]  # village, month, order, pattern, sex, facility


def birth_key(birth: Birth) -> BirthKey:
    return (
        birth.village_id,
        birth.born_on.replace(day=1).isoformat(),
        order_bucket(birth.birth_order),
        earlier_pattern(birth.earlier_boys, birth.earlier_girls),
        birth.sex,
        birth.facility_id,
    )


def _bump(model: type[Model], key: dict[str, Any], field: str, delta: int) -> None:
    """n += delta on the row of `key`, creating it at `delta` if missing.

    UPDATE … SET n = n + delta takes the row lock, so concurrent births never lose an
    increment; two first births of a new key race on INSERT, and the loser (unique
    violation, inside its savepoint) falls back to the UPDATE.
    """
    manager = model._default_manager
    bump = {field: F(field) + delta}
    if delta < 0:
        if not manager.filter(**key, **{f"{field}__gte": -delta}).update(**bump):
            raise ValueError(f"cannot uncount a birth that was never counted: {key}")
        return
    if manager.filter(**key).update(**bump):
        return
    try:
        with transaction.atomic():
            manager.create(**key, **{field: delta})
    except IntegrityError:
        if not manager.filter(**key).update(**bump):
            raise


def count_birth(birth: Birth, *, delta: int = 1) -> None:
    """Add one live birth to the monthly and yearly count tables (the hook)."""
    village, _month, bucket, pattern, sex, facility = birth_key(birth)
    _bump(
        BirthCount,
        {
            "village_id": village,
            "month": birth.born_on.replace(day=1),
            "order_bucket": bucket,
            "pattern": pattern,
            "sex": sex,
            "facility_id": facility,
        },
        "n",
        delta,
    )
    _bump(
        VillageYearCount,
        {"village_id": village, "year": birth.born_on.year},
        "boys" if sex == "M" else "girls",
        delta,
    )


def uncount_birth(birth: Birth) -> None:
    """Take a birth out of the counts (for a correction: uncount old, count new)."""
    count_birth(birth, delta=-1)


@dataclass(frozen=True)
class RebuildReport:
    births: int
    rows_before: int
    rows_after: int
    year_rows_after: int
    keys_changed: int | None  # computed for --dry-run only
    dry_run: bool


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(date_trunc('month', b.born_on) AS date)"
    return "date(b.born_on, 'start of month')"


def _year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


def _select_counts_sql() -> str:
    from srbgov.pregnancies.models import Birth

    return f"""
        SELECT b.village_id, {_month_sql()} AS month,
               CASE WHEN b.birth_order >= 3 THEN 3 WHEN b.birth_order = 2 THEN 2
                    ELSE 1 END AS order_bucket,
               CASE WHEN b.earlier_boys > 0 AND b.earlier_girls > 0 THEN 'mixed'
                    WHEN b.earlier_girls > 0 THEN 'girls'
                    WHEN b.earlier_boys > 0 THEN 'boys' ELSE 'none' END AS pattern,
               b.sex, b.facility_id, COUNT(*) AS n
        FROM {Birth._meta.db_table} b
        GROUP BY 1, 2, 3, 4, 5, 6
    """  # noqa: S608  (table names from the models, no input)


def _expected() -> dict[BirthKey, int]:
    with connection.cursor() as cursor:
        cursor.execute(_select_counts_sql())
        return {
            (v, str(m)[:10], int(o), p, s, f): int(n)
            for v, m, o, p, s, f, n in cursor.fetchall()
        }


def current_counts() -> dict[BirthKey, int]:
    """The monthly table as {key: n}, zero rows left out (tests and --dry-run)."""
    rows = BirthCount.objects.filter(n__gt=0).values_list(
        "village_id", "month", "order_bucket", "pattern", "sex", "facility_id", "n"
    )
    return {(v, m.isoformat(), o, p, s, f): n for v, m, o, p, s, f, n in rows}


def _drop_indexes(cursor: Any, table: str) -> list[str]:
    """Drop the unique constraints and secondary indexes of an (empty, locked) count
    table; returns the statements that recreate them.

    PostgreSQL only. Building an index once over millions of rows is several times
    faster than maintaining it row by row during the INSERT (194 s at 10 M births
    with the indexes in place; docs/statistics.md has the figure without). The
    primary key is dropped too (its index cost as much as the rows); the id column
    keeps its default, so new rows still get ids. Everything runs in the rebuild's
    transaction, so a failure leaves the old table and its indexes as they were.
    """
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('p', 'u')
           ORDER BY contype""",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND i.schemaname = current_schema()
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                             WHERE c.conrelid = %s::regclass
                               AND c.conname = i.indexname)""",
        [table, table],
    )
    indexes = cursor.fetchall()
    recreate: list[str] = []
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        recreate.append(definition)
    return recreate


def rebuild_birth_counts(*, dry_run: bool = False) -> RebuildReport:
    """Recompute both count tables from the births table (idempotent).

    On PostgreSQL the two tables are locked EXCLUSIVE first (then emptied with
    TRUNCATE, which is much faster than DELETE at millions of rows): a birth transaction that
    already counted its birth holds row locks, so the lock waits for it to commit and
    the rebuild's snapshot includes it; births recorded meanwhile wait and count
    themselves on top of the rebuilt rows. SQLite serialises writers anyway.
    """
    from srbgov.pregnancies.models import Birth

    rows_before = BirthCount.objects.count()
    if dry_run:
        expected = _expected()
        current = current_counts()
        changed = sum(
            1
            for k in expected.keys() | current.keys()
            if expected.get(k) != current.get(k)
        )
        return RebuildReport(
            births=sum(expected.values()),
            rows_before=rows_before,
            rows_after=len(expected),
            year_rows_after=VillageYearCount.objects.count(),
            keys_changed=changed,
            dry_run=True,
        )
    counts = BirthCount._meta.db_table
    years = VillageYearCount._meta.db_table
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"LOCK TABLE {counts}, {years} IN EXCLUSIVE MODE")
            # One aggregate over every birth: let the hash table stay in memory;
            # the indexes are built once at the end, in memory too.
            # At 10 M births the monthly table has 7.6 M rows: with 256 MB the hash
            # aggregate spilled to disk. 1 GB (twice that for hashing, PostgreSQL's
            # hash_mem_multiplier) holds it; only this maintenance transaction.
            cursor.execute("SET LOCAL work_mem = '1GB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # JIT compiles the big aggregate for seconds and saves nothing here.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"TRUNCATE {counts}, {years}")
            rebuild = [_drop_indexes(cursor, table) for table in (counts, years)]
            # Unlogged while filling: no WAL record per row; SET LOGGED below
            # writes the finished table to the WAL in one pass. The tables are
            # empty here, so switching costs nothing.
            cursor.execute(f"ALTER TABLE {counts} SET UNLOGGED")
            cursor.execute(f"ALTER TABLE {years} SET UNLOGGED")
        else:
            cursor.execute(f"DELETE FROM {counts}")  # noqa: S608
            cursor.execute(f"DELETE FROM {years}")  # noqa: S608
            rebuild = []
        cursor.execute(
            f"INSERT INTO {counts} "
            "(village_id, month, order_bucket, pattern, sex, facility_id, n) "
            + _select_counts_sql()
        )
        cursor.execute(
            f"""INSERT INTO {years} (village_id, year, boys, girls)
            SELECT village_id, {_year_sql("month")},
                   SUM(CASE WHEN sex = 'M' THEN n ELSE 0 END),
                   SUM(CASE WHEN sex = 'F' THEN n ELSE 0 END)
            FROM {counts} GROUP BY 1, 2"""  # noqa: S608
        )
        if postgres:
            cursor.execute(f"ALTER TABLE {counts} SET LOGGED")
            cursor.execute(f"ALTER TABLE {years} SET LOGGED")
        for statements in rebuild:
            for statement in statements:
                cursor.execute(statement)
        if postgres:
            cursor.execute(f"ANALYZE {counts}, {years}")
        rows_after = BirthCount.objects.count()
        year_rows = VillageYearCount.objects.count()
    return RebuildReport(
        births=Birth.objects.count(),
        rows_before=rows_before,
        rows_after=rows_after,
        year_rows_after=year_rows,
        keys_changed=None,
        dry_run=False,
    )
