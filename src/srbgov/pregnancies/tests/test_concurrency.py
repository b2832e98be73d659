"""Two workers recording against one pregnancy at once lose nothing (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from srbgov.pregnancies import services
from srbgov.pregnancies.models import Pregnancy, Visit
from srbgov.pregnancies.schedule import visit_rows
from srbgov.testing import AuditSafeTransactionTestCase, Personas, make_woman


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)
class ConcurrentVisitsTests(Personas, AuditSafeTransactionTestCase):
    def test_two_users_recording_visits_at_once_lose_nothing(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("row locks need PostgreSQL")
        self.make_personas()
        today = timezone.localdate()
        woman = make_woman(by=self.cun_a, village=self.village_a)
        pregnancy = services.register_pregnancy(
            by=self.cun_a,
            woman=woman,
            lmp_on=today - timedelta(weeks=20),
            responsible_persons="王芳、李娟",
            registered_on=today - timedelta(weeks=12),
        )
        per_user = 6
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def worker(user_index: int) -> None:
            user = (self.cun_a, self.zhen_a)[user_index]
            try:
                barrier.wait()
                for i in range(per_user):
                    services.record_visit(
                        by=user,
                        pregnancy=pregnancy,
                        visited_on=today - timedelta(days=2 * i + user_index),
                        visitors="王芳、李娟",
                        mode="home",
                        finding="not_found" if i == 0 else "pregnant",
                    )
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert Visit.objects.filter(pregnancy=pregnancy).count() == 2 * per_user
        stored = Pregnancy.objects.get(pk=pregnancy.pk)
        rows = visit_rows([pregnancy.pk])[pregnancy.pk]
        assert stored.last_visit_on == max(v.visited_on for v in rows) == today
        # The denormalised state saw every visit: both "not found" findings counted.
        assert stored.absent_findings == 2
