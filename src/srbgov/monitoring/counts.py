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

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import F, Model

from srbgov.monitoring.models import (
    MONTH_FIELDS,
    BirthCount,
    VillageYearCount,
    earlier_pattern,
    month_field,
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


def _bump(
    model: type[Model], key: dict[str, Any], fields: tuple[str, ...], delta: int
) -> None:
    """fields += delta on the row of `key`, creating it at `delta` if missing.

    UPDATE … SET f = f + delta takes the row lock, so concurrent births never lose an
    increment; two first births of a new key race on INSERT, and the loser (unique
    violation, inside its savepoint) falls back to the UPDATE. All `fields` change in
    one statement (a month and the year's total: the CHECK that ties them holds).
    """
    manager = model._default_manager
    bump = {field: F(field) + delta for field in fields}
    if delta < 0:
        if not manager.filter(**key, **{f"{fields[0]}__gte": -delta}).update(**bump):
            raise ValueError(f"cannot uncount a birth that was never counted: {key}")
        return
    if manager.filter(**key).update(**bump):
        return
    try:
        with transaction.atomic():
            manager.create(**key, **dict.fromkeys(fields, delta))
    except IntegrityError:
        if not manager.filter(**key).update(**bump):
            raise


def count_birth(birth: Birth, *, delta: int = 1) -> None:
    """Add one live birth to the count table (its month and year total) and the yearly table (the hook)."""
    village, _month, bucket, pattern, sex, facility = birth_key(birth)
    _bump(
        BirthCount,
        {
            "village_id": village,
            "year": birth.born_on.year,
            "order_bucket": bucket,
            "pattern": pattern,
            "sex": sex,
            "facility_id": facility,
        },
        (month_field(birth.born_on.month), "n"),
        delta,
    )
    _bump(
        VillageYearCount,
        {"village_id": village, "year": birth.born_on.year},
        ("boys" if sex == "M" else "girls",),
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
    """The count table as {monthly key: n}, months without births left out (tests
    and --dry-run): the same keys as the births' own (`birth_key`)."""
    rows = BirthCount.objects.filter(n__gt=0).values_list(
        "village_id",
        "year",
        "order_bucket",
        "pattern",
        "sex",
        "facility_id",
        "n",
        *MONTH_FIELDS,
    )
    found: dict[BirthKey, int] = {}
    for v, y, o, p, s, f, total, *months in rows:
        if sum(months) != total:
            raise RuntimeError(f"months do not add up to the year: {v} {y}")
        for month, n in enumerate(months, start=1):
            if n:
                found[(v, date(y, month, 1).isoformat(), o, p, s, f)] = n
    return found


def _select_year_counts_sql() -> str:
    """The count table's rows from the births (SQLite's rebuild): one row per village,
    year and cell, a column per month."""
    from srbgov.pregnancies.models import Birth

    months = ", ".join(
        f"SUM(CASE WHEN CAST(strftime('%m', b.born_on) AS integer) = {m} "
        f"THEN 1 ELSE 0 END)"
        for m in range(1, 13)
    )
    return f"""
        SELECT b.village_id, {_year_sql("b.born_on")} AS year,
               CASE WHEN b.birth_order >= 3 THEN 3 WHEN b.birth_order = 2 THEN 2
                    ELSE 1 END AS order_bucket,
               CASE WHEN b.earlier_boys > 0 AND b.earlier_girls > 0 THEN 'mixed'
                    WHEN b.earlier_girls > 0 THEN 'girls'
                    WHEN b.earlier_boys > 0 THEN 'boys' ELSE 'none' END AS pattern,
               b.sex, b.facility_id, {months}, COUNT(*) AS n
        FROM {Birth._meta.db_table} b
        GROUP BY 1, 2, 3, 4, 5, 6
    """  # noqa: S608  (table names from the models, no input)


# Pattern and sex as small integers whose order is the order of their text ('boys' <
# 'girls' < 'mixed' < 'none', 'F' < 'M'), facility NULL as 0: the sort that groups the
# births then emits the rows in the order of the unique index, whose build finds them
# already sorted. One integer per birth (bucket * 8 + pattern * 2 + sex) sorts faster
# than three columns, two of them text compared by collation.
_CELL_CODE = """(CASE WHEN b.birth_order >= 3 THEN 24 WHEN b.birth_order = 2 THEN 16
                       ELSE 8 END
                  + CASE WHEN b.earlier_boys > 0 AND b.earlier_girls > 0 THEN 4
                         WHEN b.earlier_girls > 0 THEN 2
                         WHEN b.earlier_boys > 0 THEN 0 ELSE 6 END
                  + CASE WHEN b.sex = 'M' THEN 1 ELSE 0 END)"""
_PATTERN_OF_CODE = """CASE (code >> 1) & 3 WHEN 0 THEN 'boys' WHEN 1 THEN 'girls'
                           WHEN 2 THEN 'mixed' ELSE 'none' END"""


# Bits per month in the packed count of `_counts_columns(packed=True)`: 12 × 5 = 60
# bits of a bigint. A month of one row with 32 births or more would carry into the
# next month; the CHECK that `n` is the sum of the months then fails (a carry turns
# 32 into 1: the sum can only shrink), and the rebuild counts again month by month.
_MONTH_BITS = 5


def _counts_columns(*, packed: bool) -> tuple[str, dict[str, str]]:
    """The count rows of every birth as (FROM clause, column -> expression): one group
    per village, year, cell and facility, ids numbered in key order (no sequence
    call per row; PostgreSQL). The months are counted in the same pass: `packed`,
    as one sum of 1 << 5 (month - 1) per birth, unpacked per row afterwards (one
    date_part per birth: 23.7 s against 30.7 s at 10 M births,
    docs/statistics.md); otherwise by twelve COUNT(*) FILTER, exact at any count."""
    from srbgov.pregnancies.models import Birth

    month = "CAST(date_part('month', b.born_on) AS integer)"
    if packed:
        months = f"SUM(CAST(1 AS bigint) << ({_MONTH_BITS} * ({month} - 1))) AS packed"
        columns = {
            name: f"(CAST(packed AS bigint) >> {_MONTH_BITS * i}) & "
            f"{(1 << _MONTH_BITS) - 1}"
            for i, name in enumerate(MONTH_FIELDS)
        }
    else:
        months = ", ".join(
            f"COUNT(*) FILTER (WHERE {month} = {m}) AS m{m:02d}" for m in range(1, 13)
        )
        columns = {name: name for name in MONTH_FIELDS}
    source = f"""
        (SELECT b.village_id, CAST(date_part('year', b.born_on) AS integer) AS year,
                {_CELL_CODE} AS code,
                COALESCE(b.facility_id, 0) AS facility, {months}, COUNT(*) AS n
         FROM {Birth._meta.db_table} b
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) AS grouped
    """  # noqa: S608  (table names from the models, no input)
    return source, {
        "id": "row_number() OVER ()",
        "village_id": "village_id",
        "year": "year",
        "order_bucket": "code >> 3",
        "pattern": _PATTERN_OF_CODE,
        "sex": "CASE code & 1 WHEN 1 THEN 'M' ELSE 'F' END",
        "facility_id": "NULLIF(facility, 0)",
        **columns,
        "n": "n",
    }


def _years_columns(counts: str) -> tuple[str, dict[str, str]]:
    """Boys and girls by village and year from the fresh count table `counts`. Not
    from the births: their rows come in no village order, so a hash aggregate into
    200,000 groups misses the cache on nearly every row (26 s at 10 M births against
    1–2 s over the 2 M count rows, which come sorted by village and year)."""
    source = f"""
        (SELECT village_id, year,
                SUM(n) FILTER (WHERE sex = 'M') AS boys,
                SUM(n) FILTER (WHERE sex = 'F') AS girls
         FROM {counts} GROUP BY 1, 2 ORDER BY 1, 2) AS grouped
    """  # noqa: S608
    return source, {
        "id": "row_number() OVER ()",
        "village_id": "village_id",
        "year": "year",
        "boys": "COALESCE(boys, 0)",
        "girls": "COALESCE(girls, 0)",
    }


_INDEX_DEF = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)(\S+)( .*)$")


@dataclass(frozen=True)
class _Shape:
    """What a fresh copy of a table needs: its columns and everything on them."""

    columns: list[tuple[str, str, bool, str | None]]  # name, type, NOT NULL, default
    checks: list[tuple[str, str]]  # CHECK constraints: (name, definition)
    constraints: list[tuple[str, str]]  # primary key and UNIQUE: (name, definition)
    indexes: list[tuple[str, str]]  # other indexes: (name, CREATE INDEX …)
    identity: str  # the id column's attidentity: 'd', 'a' or '' (none)
    sequence: str | None  # its sequence, schema-qualified


def _shape(cursor: Any, table: str) -> _Shape:
    cursor.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid)
           FROM pg_attribute a
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum""",
        [table],
    )
    columns = cursor.fetchall()
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'c' ORDER BY conname""",
        [table],
    )
    checks = cursor.fetchall()
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('p', 'u')
           ORDER BY contype, conname""",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND i.schemaname = current_schema()
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                             WHERE c.conrelid = %s::regclass
                               AND c.conname = i.indexname)
           ORDER BY i.indexname""",
        [table, table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """SELECT attidentity, pg_get_serial_sequence(%s, 'id') FROM pg_attribute
           WHERE attrelid = %s::regclass AND attname = 'id'""",
        [table, table],
    )
    identity, sequence = cursor.fetchone()
    return _Shape(columns, checks, constraints, indexes, identity or "", sequence)


def _swap_in(cursor: Any, table: str, rows: tuple[str, dict[str, str]]) -> int:
    """Build a fresh copy of `table` from `rows` (a FROM clause and an expression per
    column) and put it in the old one's place; returns the number of rows.

    PostgreSQL only, inside the rebuild's transaction; `table` is locked EXCLUSIVE
    (readers go on reading it, writers wait). The copy is made by CREATE TABLE … AS
    SELECT, which PostgreSQL 15 runs in parallel (an INSERT … SELECT it runs in one
    process: 67 s at 10 M births against 35–48 s, docs/statistics.md), every column cast
    to the old table's type and in its order; then, in one ALTER TABLE (one pass over
    the rows), its NOT NULLs, defaults and CHECK constraints under their old names
    (CHECK names are per table); then its primary key, unique constraints and
    indexes, built once over sorted rows instead of maintained row by row. It is
    written logged: unlogged and then SET LOGGED (a second full copy) was slower.
    Only the swap at the end (DROP, RENAME) takes the lock that readers wait for,
    and only until commit; a failure anywhere rolls back to the old table untouched.
    Privileges granted on the old table are not carried over (docs/statistics.md).
    """
    shape = _shape(cursor, table)
    source, expressions = rows
    if sorted(expressions) != sorted(name for name, *_ in shape.columns):
        raise RuntimeError(f"columns of {table} changed: {shape.columns}")
    fresh = f"{table}_rebuild"
    cursor.execute(f"DROP TABLE IF EXISTS {fresh}")
    select = ", ".join(
        f'CAST({expressions[name]} AS {kind}) AS "{name}"'
        for name, kind, _notnull, _default in shape.columns
    )
    cursor.execute(f"CREATE TABLE {fresh} AS SELECT {select} FROM {source}")  # noqa: S608
    written = int(cursor.rowcount)
    alter = [
        f'ALTER COLUMN "{name}" SET NOT NULL'
        for name, _kind, notnull, _default in shape.columns
        if notnull
    ]
    alter += [
        f'ALTER COLUMN "{name}" SET DEFAULT {default}'
        for name, _kind, _notnull, default in shape.columns
        if default is not None and not (name == "id" and shape.identity)
    ]
    alter += [
        f'ADD CONSTRAINT "{name}" {definition}' for name, definition in shape.checks
    ]
    if alter:
        cursor.execute(f"ALTER TABLE {fresh} " + ", ".join(alter))
    renames: list[str] = []
    for i, (name, definition) in enumerate(shape.constraints):
        temporary = f"{fresh}_c{i}"
        cursor.execute(f'ALTER TABLE {fresh} ADD CONSTRAINT "{temporary}" {definition}')
        renames.append(
            f'ALTER TABLE {table} RENAME CONSTRAINT "{temporary}" TO "{name}"'
        )
    for i, (name, definition) in enumerate(shape.indexes):
        temporary = f"{fresh}_i{i}"
        match = _INDEX_DEF.match(definition)
        if match is None:
            raise RuntimeError(f"unexpected index definition: {definition}")
        cursor.execute(f'{match[1]}"{temporary}"{match[3]}{fresh}{match[5]}')
        renames.append(f'ALTER INDEX "{temporary}" RENAME TO "{name}"')
    if shape.identity:
        kind = "ALWAYS" if shape.identity == "a" else "BY DEFAULT"
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {fresh}")  # noqa: S608
        (start,) = cursor.fetchone()
        cursor.execute(
            f"ALTER TABLE {fresh} ALTER COLUMN id "
            f"ADD GENERATED {kind} AS IDENTITY (START WITH {int(start)})"
        )
    fresh_sequence = None
    if shape.sequence:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [fresh])
        (fresh_sequence,) = cursor.fetchone()
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {fresh} RENAME TO {table}")
    for statement in renames:
        cursor.execute(statement)
    if shape.sequence and fresh_sequence:
        cursor.execute(
            f"ALTER SEQUENCE {fresh_sequence} RENAME TO "
            f"{shape.sequence.rsplit('.', 1)[-1]}"
        )
    return written


def rebuild_birth_counts(*, dry_run: bool = False) -> RebuildReport:
    """Recompute both count tables from the births table (idempotent).

    PostgreSQL (docs/statistics.md, "Count tables"): both tables are locked EXCLUSIVE
    first. Readers keep reading the old rows; a birth transaction that already counted
    its birth holds row locks, so the lock waits for it to commit and the rebuild's
    snapshot includes it; births recorded meanwhile wait and then count themselves on
    top of the rebuilt rows (a waiting statement looks the table up again by name
    after the swap). Each table is built fresh by one parallel CREATE TABLE … AS
    SELECT … GROUP BY and swapped in (`_swap_in`), the yearly one from the fresh
    count table, all in one transaction: nobody sees a half table.
    SQLite (serialises writers anyway): DELETE and INSERT … SELECT in a transaction.
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
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {counts}, {years} IN EXCLUSIVE MODE")
            # One sort over every birth: let it stay in memory (only this maintenance
            # transaction). At 10 M births the sort holds ~800 MB; a hash aggregate
            # over 7.6 M groups was twice as slow, and a parallel one only doubled
            # the work (the groups barely shrink).
            cursor.execute("SET LOCAL work_mem = '1GB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL enable_hashagg = off")
            # JIT compiles the big aggregate for seconds and saves nothing here.
            cursor.execute("SET LOCAL jit = off")
            try:
                with transaction.atomic():
                    rows_after = _swap_in(cursor, counts, _counts_columns(packed=True))
            except (IntegrityError, DataError):
                # A month of one row had 32 births or more (see _MONTH_BITS): the
                # savepoint dropped the fresh table; count month by month.
                rows_after = _swap_in(cursor, counts, _counts_columns(packed=False))
            cursor.execute("SET LOCAL enable_hashagg = on")
            year_rows = _swap_in(cursor, years, _years_columns(counts))
            cursor.execute(f"ANALYZE {counts}, {years}")
            # The births, from the 200,000 yearly rows, not a count over millions.
            cursor.execute(f"SELECT COALESCE(SUM(boys + girls), 0) FROM {years}")  # noqa: S608
            (births,) = cursor.fetchone()
        else:
            cursor.execute(f"DELETE FROM {counts}")  # noqa: S608
            cursor.execute(f"DELETE FROM {years}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {counts} (village_id, year, order_bucket, pattern, "
                f"sex, facility_id, {', '.join(MONTH_FIELDS)}, n) "
                + _select_year_counts_sql()
            )
            cursor.execute(
                f"""INSERT INTO {years} (village_id, year, boys, girls)
                SELECT village_id, year,
                       SUM(CASE WHEN sex = 'M' THEN n ELSE 0 END),
                       SUM(CASE WHEN sex = 'F' THEN n ELSE 0 END)
                FROM {counts} GROUP BY 1, 2"""  # noqa: S608
            )
            rows_after = BirthCount.objects.count()
            year_rows = VillageYearCount.objects.count()
            births = Birth.objects.count()
    return RebuildReport(
        births=int(births),
        rows_before=rows_before,
        rows_after=rows_after,
        year_rows_after=year_rows,
        keys_changed=None,
        dry_run=False,
    )
