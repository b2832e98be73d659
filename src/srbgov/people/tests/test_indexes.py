"""The indexes of people_woman (migrations 0003 and 0004, docs/import.md §6): every insert of an
import maintains them, so the table keeps only those a query uses, and every lookup
by village still has one."""

from __future__ import annotations

import unittest
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from srbgov.people.models import Woman
from srbgov.testing import BaseTestCase, make_woman


def _index_columns() -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, Woman._meta.db_table
        )
    return {
        tuple(info["columns"])
        for info in constraints.values()
        if info["index"] or info["unique"] or info["primary_key"]
    }


class WomanIndexTests(BaseTestCase):
    def test_the_table_keeps_the_primary_key_the_hash_and_village_name(self) -> None:
        self.assertEqual(
            _index_columns(),
            {("id",), ("id_number_hash",), ("village_id", "name")},
        )

    @unittest.skipUnless(connection.vendor == "postgresql", "Django's _like index")
    def test_no_pattern_index_beside_the_unique_hash(self) -> None:
        """A unique CharField gets a second, varchar_pattern_ops index on
        PostgreSQL that no lookup uses (migration 0004): the table has three."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s",
                [Woman._meta.db_table],
            )
            names = {row[0] for row in cursor.fetchall()}
        self.assertEqual(
            names,
            {
                "people_woman_pkey",
                "people_woman_unique_number_hash",
                "people_woman_by_village_name",
            },
        )

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's planner")
    def test_every_lookup_by_village_uses_the_village_name_index(self) -> None:
        for i in range(6):
            make_woman(
                by=self.zhen_a, village=self.village_a if i % 2 else self.village_b
            )
        queries: dict[str, QuerySet[Any]] = {
            "one village (list filter)": Woman.objects.filter(village=self.village_a),
            "villages (deleting an area)": Woman.objects.filter(
                village__in=[self.village_a, self.village_b]
            ),
            "a township's scope": Woman.objects.visible_to(self.zhen_a),
            "a village's scope": Woman.objects.visible_to(self.cun_a),
            "count per village": Woman.objects.filter(
                village__parent=self.town_a
            ).values("village"),
        }
        with connection.cursor() as cursor:
            # Without a usable index the planner seq-scans even so; with one it
            # must take it, whatever the table's size in this test.
            cursor.execute("SET LOCAL enable_seqscan = off")
            for label, query in queries.items():
                sql, params = query.query.sql_with_params()
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                with self.subTest(label):
                    self.assertIn("people_woman_by_village_name", plan)
