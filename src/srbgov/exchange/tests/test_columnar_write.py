"""The women's import writes by column (docs/import.md §6): the COPY text built
column by column says what the rows say, the number lookup with one text
parameter finds what the ORM finds and takes the unique index, and a plan frozen
in the former row-by-row shape is not thawed."""

from __future__ import annotations

import json
import unittest
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.exchange import services
from srbgov.exchange.kinds import women
from srbgov.exchange.models import ImportJob, JobStatus
from srbgov.exchange.tests.helpers import (
    ExchangeTestCase,
    good_rows,
    number,
    upload,
    xlsx_bytes,
)
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Woman
from srbgov.testing import make_woman

UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _decode_field(field: str) -> str | None:
    """One field of COPY's text format back to its value, as PostgreSQL reads it
    ("COPY: File Formats"): `\\N` is NULL, a backslash escapes the next character."""
    if field == "\\N":
        return None
    out, chars = [], iter(field)
    for char in chars:
        out.append(UNESCAPE[next(chars)] if char == "\\" else char)
    return "".join(out)


def decode(text: bytes) -> list[list[str | None]]:
    assert text.endswith(b"\n") or not text
    return [
        [_decode_field(f) for f in line.split("\t")]
        for line in text.decode().split("\n")[:-1]
    ]


def expected(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


specials = st.sampled_from(["\\", "\t", "\n", "\r", "\\N", "一组", "a"])
texts = st.lists(st.one_of(st.text(), specials), max_size=4).map("".join)
cells = st.one_of(
    texts,
    st.none(),
    st.integers(),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)),
)


@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.tuples(*[cells] * w))))
@settings(max_examples=200, deadline=None)
def test_copy_text_says_what_the_rows_say(rows: list[tuple[object, ...]]) -> None:
    decoded = decode(women.copy_text(rows))
    assert decoded == [[expected(v) for v in row] for row in rows]


@given(st.lists(st.tuples(texts, texts), min_size=1))
@settings(max_examples=100, deadline=None)
def test_a_column_of_text_is_escaped_only_where_needed(
    rows: list[tuple[object, ...]],
) -> None:
    """The column-wide search must not miss one cell's special character, nor
    escape a column that has none."""
    text = women.copy_text(rows)
    assert decode(text) == [list(row) for row in rows]
    if not any(c in "".join(map(str, row)) for row in rows for c in "\\\t\n\r"):
        assert text == ("\n".join("\t".join(map(str, r)) for r in rows) + "\n").encode()


class LookupTests(ExchangeTestCase):
    def test_the_lookup_finds_what_the_orm_finds_across_chunks(self) -> None:
        cipher = identity_cipher()
        registered = [
            make_woman(by=self.zhen_a, village=self.village_a, id_number=number(i))
            for i in range(5)
        ]
        hashes = [cipher.lookup_hash(number(i)) for i in range(10)]
        with mock.patch.object(women, "ARRAY_CHUNK", 3):
            found = women.WomenKind()._existing(hashes)
        self.assertEqual(
            found,
            {w.id_number_hash: (w.pk, w.village_id) for w in registered},
        )

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's lookup")
    def test_a_hash_with_a_comma_is_refused_not_split(self) -> None:
        with self.assertRaises(ValueError):
            women.WomenKind()._existing(["ab", "c,d"])

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's planner")
    def test_the_text_parameter_lookup_takes_the_unique_hash_index(self) -> None:
        for i in range(3):
            make_woman(by=self.zhen_a, village=self.village_a, id_number=number(i))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {women.EXISTING_SQL}", ["a,b"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("Index Scan on people_woman_unique_number_hash", plan)


class FormerPlanTests(ExchangeTestCase):
    def test_a_plan_frozen_row_by_row_before_the_deployment_is_not_thawed(
        self,
    ) -> None:
        self.login(self.zhen_a)
        self.client.post(
            reverse("exchange:index"),
            {"kind": "women", "file": upload("x.xlsx", xlsx_bytes(good_rows(4)))},
        )
        job = ImportJob.objects.get()
        frozen = json.loads(services.unseal_plan(bytes(job.plan or b"")))
        self.assertEqual(frozen["v"], women.FROZEN_VERSION)
        # What version 1 kept: one list per row, the birth date as ISO text.
        rows = [list(r) for r in zip(*frozen["new"], strict=True)]
        former = {**frozen, "v": 1, "new": rows}
        ImportJob.objects.filter(pk=job.pk).update(
            plan=services.seal_plan(json.dumps(former).encode())
        )
        with mock.patch.object(
            services, "load_table", wraps=services.load_table
        ) as reads:
            self.client.post(reverse("exchange:job_import", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual(reads.call_count, 1, "the file is read and checked again")
        self.assertEqual(job.status, JobStatus.IMPORTED)
        self.assertEqual(Woman.objects.count(), 4)

    def test_the_columns_thaw_into_the_rows_the_preview_planned(self) -> None:
        self.login(self.zhen_a)
        rows = good_rows(3)
        rows[1][5] = "备注\t二"
        self.client.post(
            reverse("exchange:index"),
            {"kind": "women", "file": upload("x.xlsx", xlsx_bytes(rows))},
        )
        job = ImportJob.objects.get()
        plan = women.WomenKind().thaw(
            by=self.zhen_a,
            data=services.unseal_plan(bytes(job.plan or b"")),
            problems=[],
        )
        assert plan is not None
        self.assertEqual(
            [(r[1], r[2], r[5], r[9]) for r in plan.new],
            [
                (
                    row[0],
                    row[1],
                    (date(1990, 1, 1) + timedelta(days=i)).isoformat(),
                    row[5],
                )
                for i, row in enumerate(rows)
            ],
        )
        self.assertEqual(
            {r[6] for r in plan.new}, {self.village_a.pk}, "the village of 甲镇 一村"
        )
        tomorrow = timezone.localdate() + timedelta(days=1)
        with mock.patch.object(timezone, "localdate", return_value=tomorrow):
            self.assertIsNone(
                women.WomenKind().thaw(
                    by=self.zhen_a,
                    data=services.unseal_plan(bytes(job.plan or b"")),
                    problems=[],
                )
            )
