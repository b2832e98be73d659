"""`/healthz`: public, nothing personal, 503 when the database or the keys fail."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from srbgov.testing import BaseTestCase, make_woman


class HealthTests(BaseTestCase):
    def test_it_answers_ok_without_login(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"status": "ok", "database": "ok", "migrations": "ok", "keys": "ok"},
        )
        self.assertIn("no-store", response["Cache-Control"])

    def test_it_says_the_same_to_every_user_and_nothing_about_any_area(self) -> None:
        make_woman(by=self.cun_a, village=self.village_a, name="李秀英")
        bodies = set()
        for user in (None, self.cun_a, self.xian, self.other_xian):
            if user is None:
                self.client.logout()
            else:
                self.login(user)
            bodies.add(self.client.get("/healthz").content)
        self.assertEqual(len(bodies), 1)
        self.assertNotIn("李秀英".encode(), bodies.pop())

    def test_a_migration_missing_from_the_database_answers_503(self) -> None:
        recorder = MigrationRecorder(connection)
        last = recorder.migration_qs.filter(app="people").order_by("-name").first()
        assert last is not None
        last.delete()  # rolled back with the test's transaction
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["migrations"], "fail")
        self.assertEqual(response.json()["database"], "ok")

    def test_the_migrations_it_expects_are_those_on_disk(self) -> None:
        # The probe reads the files once per process; a stale or partial set would
        # let a missing migration pass.
        from django.db.migrations.loader import MigrationLoader

        from srbgov.ops.health import _migrations_on_disk

        self.assertEqual(
            _migrations_on_disk(), frozenset(MigrationLoader(None).graph.nodes)
        )
        self.assertIn(("people", "0001_initial"), _migrations_on_disk())

    @override_settings(TIPS_ENCRYPTION_KEY="c2hvcnQ=")
    def test_an_unusable_key_answers_503(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["keys"], "fail")

    def test_it_refuses_writes(self) -> None:
        self.assertEqual(self.client.post("/healthz").status_code, 405)
