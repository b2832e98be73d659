from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any, ClassVar

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from srbgov.monitoring import queries
from srbgov.monitoring.counts import (
    count_birth,
    current_counts,
    rebuild_birth_counts,
    uncount_birth,
)
from srbgov.monitoring.models import BirthCount, VillageYearCount
from srbgov.monitoring.tests.builders import ended_outcome, make_birth
from srbgov.people.models import Woman
from srbgov.pregnancies import services as pregnancy_services
from srbgov.pregnancies.models import Outcome
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.models import Facility
from srbgov.testing import BaseTestCase, Personas, make_woman


class BirthHookTests(BaseTestCase):
    def test_it_counts_a_recorded_birth_in_the_same_transaction(self) -> None:
        today = timezone.localdate()
        woman = make_woman(by=self.cun_a, village=self.village_a)
        pregnancy = make_pregnancy(
            by=self.cun_a, woman=woman, lmp_on=today - timedelta(weeks=39)
        )
        before = queries.village_counts(self.village_a, queries.year_period(today.year))
        assert before == {}
        pregnancy_services.record_outcome(
            by=self.cun_a,
            pregnancy=pregnancy,
            kind="live_birth",
            occurred_on=today,
            children=[
                pregnancy_services.BirthData(sex="M"),
                pregnancy_services.BirthData(sex="F"),
            ],
        )
        # Visible at once, in the year table and in the monthly cells.
        period = queries.year_period(today.year)
        assert queries.village_counts(self.village_a, period) == {
            self.village_a.pk: (1, 1)
        }
        cells = queries.cell_counts(self.village_a, period)
        # Twins: the first is a first birth, the second a second birth after a boy
        # or a girl (whichever was entered first).
        assert sum(b + g for b, g in cells.values()) == 2
        assert rebuild_birth_counts(dry_run=True).keys_changed == 0

    def test_a_failed_outcome_leaves_no_count(self) -> None:
        today = timezone.localdate()
        woman = make_woman(by=self.cun_a, village=self.village_a)
        pregnancy = make_pregnancy(
            by=self.cun_a, woman=woman, lmp_on=today - timedelta(weeks=39)
        )
        with self.assertRaises(Exception):  # noqa: B017  (any validation error)
            pregnancy_services.record_outcome(
                by=self.cun_a,
                pregnancy=pregnancy,
                kind="live_birth",
                occurred_on=today,
                children=[pregnancy_services.BirthData(sex="X")],
            )
        assert not BirthCount.objects.exists()

    def test_uncount_reverses_count_and_refuses_what_was_never_counted(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        outcome = ended_outcome(by=self.cun_a, woman=woman, on=date(2025, 3, 9))
        birth = make_birth(
            outcome=outcome, village=self.village_a, sex="F", born_on=date(2025, 3, 9)
        )
        count_birth(birth)
        uncount_birth(birth)
        assert current_counts() == {}
        assert VillageYearCount.objects.get().girls == 0
        with self.assertRaises(ValueError):
            uncount_birth(birth)


class RebuildCommandTests(BaseTestCase):
    def test_it_rebuilds_idempotently_and_dry_run_writes_nothing(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        outcome = ended_outcome(by=self.cun_a, woman=woman, on=date(2024, 5, 2))
        for i, sex in enumerate("MFM"):
            make_birth(
                outcome=outcome,
                village=self.village_a,
                sex=sex,
                born_on=date(2024, 5, 2),
                order=i + 1,
                earlier_girls=1 if i else 0,
            )
        out = io.StringIO()
        call_command("rebuild_birth_counts", "--dry-run", stdout=out)
        assert "3 keys differ" in out.getvalue()
        assert not BirthCount.objects.exists()
        call_command("rebuild_birth_counts", stdout=io.StringIO())
        first = current_counts()
        call_command("rebuild_birth_counts", stdout=io.StringIO())
        assert current_counts() == first
        assert sum(first.values()) == 3
        year = VillageYearCount.objects.get(village=self.village_a, year=2024)
        assert (year.boys, year.girls) == (2, 1)
        out = io.StringIO()
        call_command("rebuild_birth_counts", "--dry-run", stdout=out)
        assert "0 keys differ" in out.getvalue()


births_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # village
        st.dates(date(2019, 1, 1), date(2026, 10, 31)),
        st.integers(1, 5),  # birth order
        st.integers(0, 2),  # earlier boys
        st.integers(0, 2),  # earlier girls
        st.sampled_from("MF"),
        st.booleans(),  # delivered at the facility, or unknown
    ),
    min_size=1,
    max_size=12,
)


class BirthsWorld(Personas, HypothesisTestCase):
    """One ended pregnancy to hang generated births on, and a facility."""

    outcome: ClassVar[Outcome]
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()
        woman = make_woman(by=cls.cun_a, village=cls.village_a)
        cls.outcome = ended_outcome(by=cls.cun_a, woman=woman, on=date(2020, 1, 1))
        cls.facility = Facility.objects.create(
            name="县人民医院", kind="hospital", area=cls.county
        )


class IncrementalEqualsRebuildTests(BirthsWorld):
    @settings(max_examples=25, deadline=None)
    @given(births=births_strategy)
    def test_incremental_counts_equal_a_rebuild(
        self, births: list[tuple[int, date, int, int, int, str, bool]]
    ) -> None:
        villages = [self.village_a, self.village_b, self.village_c]
        for v, born_on, order, boys, girls, sex, at_facility in births:
            birth = make_birth(
                outcome=self.outcome,
                village=villages[v],
                sex=sex,
                born_on=born_on,
                order=order,
                earlier_boys=boys,
                earlier_girls=girls,
                facility_id=self.facility.pk if at_facility else None,
            )
            count_birth(birth)
        incremental = current_counts()
        years = {
            (y.village_id, y.year): (y.boys, y.girls)
            for y in VillageYearCount.objects.all()
        }
        assert sum(incremental.values()) == len(births)
        rebuild_birth_counts()
        assert current_counts() == incremental
        assert {
            (y.village_id, y.year): (y.boys, y.girls)
            for y in VillageYearCount.objects.all()
        } == years
        assert Woman.objects.count() == 1


def independent_counts() -> tuple[
    dict[tuple[object, ...], int], dict[tuple[int, int], tuple[int, int]]
]:
    """The two tables computed in Python from the birth rows, without the rebuild's
    SQL: {monthly key: n} and {(village, year): (boys, girls)}."""
    from srbgov.pregnancies.models import Birth

    monthly: dict[tuple[object, ...], int] = {}
    yearly: dict[tuple[int, int], tuple[int, int]] = {}
    for b in Birth.objects.all():
        pattern = (
            "mixed"
            if b.earlier_boys and b.earlier_girls
            else "girls"
            if b.earlier_girls
            else "boys"
            if b.earlier_boys
            else "none"
        )
        key = (
            b.village_id,
            date(b.born_on.year, b.born_on.month, 1).isoformat(),
            min(max(b.birth_order, 1), 3),
            pattern,
            b.sex,
            b.facility_id,
        )
        monthly[key] = monthly.get(key, 0) + 1
        boys, girls = yearly.get((b.village_id, b.born_on.year), (0, 0))
        yearly[(b.village_id, b.born_on.year)] = (
            (boys + 1, girls) if b.sex == "M" else (boys, girls + 1)
        )
    return monthly, yearly


def table_years() -> dict[tuple[int, int], tuple[int, int]]:
    return {
        (y.village_id, y.year): (y.boys, y.girls)
        for y in VillageYearCount.objects.all()
    }


class RebuildEqualsAnIndependentCountTests(BirthsWorld):
    """The rebuild (set-based SQL on PostgreSQL, its own SQL on SQLite) against a count
    in Python over the births, also after births are edited and deleted behind the
    tables' back (what an import or a correction outside the hook leaves)."""

    @settings(max_examples=20, deadline=None)
    @given(
        births=births_strategy,
        edits=st.lists(
            st.tuples(
                st.integers(0, 11),  # which birth
                st.sampled_from(["sex", "month", "order", "facility", "delete"]),
            ),
            max_size=6,
        ),
    )
    def test_rebuild_equals_a_python_count_after_edits_and_deletes(
        self,
        births: list[tuple[int, date, int, int, int, str, bool]],
        edits: list[tuple[int, str]],
    ) -> None:
        from srbgov.pregnancies.models import Birth

        villages = [self.village_a, self.village_b, self.village_c]
        made = [
            make_birth(
                outcome=self.outcome,
                village=villages[v],
                sex=sex,
                born_on=born_on,
                order=order,
                earlier_boys=boys,
                earlier_girls=girls,
                facility_id=self.facility.pk if at_facility else None,
            )
            for v, born_on, order, boys, girls, sex, at_facility in births
        ]
        rebuild_birth_counts()
        monthly, yearly = independent_counts()
        assert current_counts() == monthly
        assert table_years() == yearly
        for index, change in edits:
            birth = made[index % len(made)]
            rows = Birth.objects.filter(pk=birth.pk)
            if change == "delete":
                rows.delete()
            elif change == "sex":
                rows.update(sex="F" if birth.sex == "M" else "M")
            elif change == "month":
                rows.update(born_on=birth.born_on.replace(day=1) - timedelta(days=1))
            elif change == "order":
                rows.update(birth_order=birth.birth_order % 3 + 1, earlier_boys=0)
            else:
                rows.update(facility_id=None if birth.facility_id else self.facility.pk)
        rebuild_birth_counts()
        monthly, yearly = independent_counts()
        assert current_counts() == monthly
        assert table_years() == yearly
        assert sum(monthly.values()) == Birth.objects.count()
        assert rebuild_birth_counts(dry_run=True).keys_changed == 0


class RebuildKeepsTheSchemaTests(BaseTestCase):
    """On PostgreSQL the rebuild builds fresh count tables and swaps them in: afterwards
    every key, index and sequence has its old name and definition, the tables are
    logged, a second birth of the same key still updates one row and a birth of a new
    key gets a new id."""

    def test_indexes_constraints_and_logging_survive_a_rebuild(self) -> None:
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: SQLite rebuilds with DELETE + INSERT")
        tables = (BirthCount._meta.db_table, VillageYearCount._meta.db_table)

        def schema() -> tuple[list[tuple[str, str]], list[str], list[tuple[Any, ...]]]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE tablename = ANY(%s::text[]) ORDER BY 1",
                    [list(tables)],
                )
                indexes = cursor.fetchall()
                # The fresh tables are made by CREATE TABLE … AS: every column's type,
                # order, NOT NULL and default, and every CHECK must come back.
                # The position among the live columns, not attnum: a column
                # dropped by a migration leaves a gap in attnum that the fresh
                # copy does not have (the same order).
                cursor.execute(
                    "SELECT c.relname, "
                    "row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum), "
                    "a.attname, "
                    "format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                    "a.attidentity, a.attcollation "
                    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    "WHERE c.relname = ANY(%s::text[]) AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY 1, 2",
                    [list(tables)],
                )
                columns = cursor.fetchall()
                # A CHECK is recreated from its text, which PostgreSQL prints
                # differently once re-read (the same test: `checks` below).
                cursor.execute(
                    "SELECT c.relname, k.conname, k.contype, CASE WHEN k.contype = 'c' "
                    "THEN NULL ELSE pg_get_constraintdef(k.oid) END, k.convalidated "
                    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                    "WHERE c.relname = ANY(%s::text[]) ORDER BY 1, 2",
                    [list(tables)],
                )
                columns += cursor.fetchall()
                cursor.execute(
                    "SELECT relname || ':' || relpersistence::text || ':' || "
                    "COALESCE(pg_get_serial_sequence(relname::text, 'id'), '') "
                    "FROM pg_class "
                    "WHERE relname::text = ANY(%s::text[]) ORDER BY 1",
                    [list(tables)],
                )
                return indexes, [r[0] for r in cursor.fetchall()], columns

        def checks() -> list[tuple[str, str]]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
                    "JOIN pg_class c ON c.oid = k.conrelid "
                    "WHERE c.relname = ANY(%s::text[]) AND k.contype = 'c' ORDER BY 1",
                    [list(tables)],
                )
                found: list[tuple[str, str]] = cursor.fetchall()
                return found

        before = schema()
        woman = make_woman(by=self.cun_a, village=self.village_a)
        outcome = ended_outcome(by=self.cun_a, woman=woman, on=date(2025, 3, 1))
        birth = make_birth(
            outcome=outcome, village=self.village_a, sex="M", born_on=date(2025, 3, 1)
        )
        rebuild_birth_counts()
        after = schema()
        assert after == before
        first_checks = checks()
        assert all(":p:" in p and p.endswith("_id_seq") for p in after[1])
        assert len(after[0]) >= 4  # primary keys, unique constraints and indexes
        assert sum(1 for row in after[2] if row[2:3] == ("c",)) >= 7  # the CHECKs
        count_birth(birth)  # the hook's UPDATE finds the rebuilt row
        assert BirthCount.objects.get().n == 2
        assert VillageYearCount.objects.get().boys == 2
        later = make_birth(
            outcome=outcome, village=self.village_a, sex="F", born_on=date(2025, 4, 1)
        )
        count_birth(later)  # a new key: an INSERT with an id from the identity
        first = BirthCount.objects.order_by("pk").first()
        assert first is not None
        fresh = BirthCount.objects.get(year=2025, sex="F")
        assert fresh.pk > first.pk
        assert (fresh.m04, fresh.n) == (1, 1)
        rebuild_birth_counts()  # and again: the fresh table's name is free again
        assert schema() == before
        assert checks() == first_checks  # re-read once, then stable
        with self.assertRaises(IntegrityError), transaction.atomic():
            BirthCount.objects.filter(pk=first.pk).update(pattern="other")
        with self.assertRaises(IntegrityError), transaction.atomic():
            VillageYearCount.objects.update(girls=-1)


def _python_readers(
    area: Any, first: date, last: date, facility_names: dict[int | None, str]
) -> tuple[
    dict[int, tuple[int, int]],
    dict[tuple[int, str], tuple[int, int]],
    list[tuple[str, tuple[int, int]]],
]:
    """What `village_counts`, `cell_counts` and `facility_counts` must return for the
    months first…last, counted in Python over the birth rows of the area's villages."""
    from srbgov.pregnancies.models import Birth

    villages: dict[int, list[int]] = {}
    cells: dict[tuple[int, str], list[int]] = {}
    facilities: dict[str, list[int]] = {}
    for b in Birth.objects.select_related("village"):
        if (
            not area.contains(b.village)
            or not first <= b.born_on.replace(day=1) <= last
        ):
            continue
        pattern = (
            "mixed"
            if b.earlier_boys and b.earlier_girls
            else "girls"
            if b.earlier_girls
            else "boys"
            if b.earlier_boys
            else "none"
        )
        side = 0 if b.sex == "M" else 1
        villages.setdefault(b.village_id, [0, 0])[side] += 1
        cells.setdefault((min(max(b.birth_order, 1), 3), pattern), [0, 0])[side] += 1
        facilities.setdefault(facility_names[b.facility_id], [0, 0])[side] += 1
    return (
        {k: (v[0], v[1]) for k, v in villages.items()},
        {k: (v[0], v[1]) for k, v in cells.items()},
        sorted((k, (v[0], v[1])) for k, v in facilities.items()),
    )


class ReadersEqualAPythonCountTests(BirthsWorld):
    """The count table holds a year per row and a column per month: every reader must
    give, for any span of whole months (a year, a quarter, a window, across years), the
    births of exactly those months, as counted over the births themselves; also after
    the hook has counted and uncounted births (rows at zero in some months)."""

    @settings(max_examples=30, deadline=None)
    @given(
        births=births_strategy,
        # The period starts near one of the births (which birth, months after it:
        # the cut through a row's year must fall between births) and lasts 1–41
        # months.
        span=st.tuples(st.integers(0, 11), st.integers(-2, 3), st.integers(0, 40)),
        uncount=st.integers(0, 11),
        by_rebuild=st.booleans(),
        where=st.sampled_from(["county", "town_a", "village_c"]),
    )
    def test_every_reader_counts_exactly_the_months_of_the_period(
        self,
        births: list[tuple[int, date, int, int, int, str, bool]],
        span: tuple[int, int, int],
        uncount: int,
        by_rebuild: bool,
        where: str,
    ) -> None:
        from srbgov.pregnancies.models import Birth

        villages = [self.village_a, self.village_b, self.village_c]
        made = []
        for v, born_on, order, boys, girls, sex, at_facility in births:
            birth = make_birth(
                outcome=self.outcome,
                village=villages[v],
                sex=sex,
                born_on=born_on,
                order=order,
                earlier_boys=boys,
                earlier_girls=girls,
                facility_id=self.facility.pk if at_facility else None,
            )
            made.append(birth)
            count_birth(birth)
        # One birth uncounted by the hook and deleted: its month's column goes back
        # to zero in a row that stays.
        gone = made[uncount % len(made)]
        uncount_birth(gone)
        Birth.objects.filter(pk=gone.pk).delete()
        if by_rebuild:
            rebuild_birth_counts()
        anchor, offset, length = span
        near = made[anchor % len(made)].born_on
        start = near.year * 12 + near.month - 1 + offset
        first = date(start // 12, start % 12 + 1, 1)
        end = start + length
        last = date(end // 12, end % 12 + 1, 1)
        period = queries.Period("window", first, last, "")
        area = getattr(self, where)
        names = {None: "", self.facility.pk: self.facility.name}
        want_villages, want_cells, want_facilities = _python_readers(
            area, first, last, names
        )
        assert queries.village_counts(area, period) == want_villages
        assert queries.cell_counts(area, period) == want_cells
        # Sorted here: the reader orders by name, and the databases put the unknown
        # facility (NULL) at different ends.
        assert sorted(queries.facility_counts(area, period)) == want_facilities
        for order in (1, 2, 3):
            for pattern in ("none", "girls", "boys", "mixed"):
                want: dict[int, tuple[int, int]] = {}
                for birth in Birth.objects.filter(
                    birth_order__gte=order if order < 3 else 3,
                    birth_order__lte=order if order < 3 else 99,
                ):
                    if not area.contains(birth.village) or not (
                        first <= birth.born_on.replace(day=1) <= last
                    ):
                        continue
                    mixed = birth.earlier_boys and birth.earlier_girls
                    found = (
                        "mixed"
                        if mixed
                        else "girls"
                        if birth.earlier_girls
                        else "boys"
                        if birth.earlier_boys
                        else "none"
                    )
                    if found != pattern:
                        continue
                    b, g = want.get(birth.village_id, (0, 0))
                    want[birth.village_id] = (
                        (b + 1, g) if birth.sex == "M" else (b, g + 1)
                    )
                got = queries.village_counts(area, period, order=order, pattern=pattern)
                assert got == want, (order, pattern)


class RebuildOfACrowdedMonthTests(BaseTestCase):
    """On PostgreSQL the rebuild first counts the months packed five bits each into
    one integer; a month of one row with 32 births or more overflows its bits, the
    CHECK that the year is the sum of its months catches it, and the rebuild counts
    month by month instead. Either way the counts are the births'."""

    def test_a_month_of_32_births_in_one_cell_is_counted_exactly(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        outcome = ended_outcome(by=self.cun_a, woman=woman, on=date(2024, 6, 1))
        for day in range(33):
            make_birth(
                outcome=outcome,
                village=self.village_a,
                sex="F",
                born_on=date(2024, 6, 1) + timedelta(days=day % 28),
            )
        make_birth(
            outcome=outcome, village=self.village_a, sex="F", born_on=date(2024, 7, 2)
        )
        report = rebuild_birth_counts()
        monthly, yearly = independent_counts()
        assert current_counts() == monthly
        assert table_years() == yearly
        row = BirthCount.objects.get()
        assert (row.m06, row.m07, row.n, report.births) == (33, 1, 34, 34)
