"""The patterns across the provider registers (docs/registers.md §3) over one county:

- exam_termination_patterns_county: the nightly county pass of both exam patterns —
  the latest ≥14-week exam elsewhere in the 30 days before each termination of the
  last 31 days (`exam_termination_findings(ended_since=…)`; older pairs were raised
  when their later entry was written) and every facility's and operator's follow-up
  rate judged against the county (`exam_follow_rates`) — over 200,000 exams (three
  in four at 14 weeks or more) and 20,000 terminations over two years, 300
  facilities, 900 operators. Goal ≤ 500 ms.
- exam_termination_patterns_county_full_history: the baseline beside it, the same
  with every termination of the two years paired (`raise_register_patterns --full`).

The registers are generated in SQL (generate_series), not through the services: the
figure is the read, not the loading. PostgreSQL only (scripts/with_postgres.sh); on
another database the module prints nothing.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

RUNS = 7
EXAMS = 200_000
TERMINATIONS = 20_000


def load() -> date:
    """Create the test database and fill both registers; returns the bench's today."""
    from django.db import connection

    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.providers.models import (
        Facility,
        Practitioner,
        TerminationRecord,
        UltrasoundExam,
    )

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    county = Area.objects.create(code="520999000000", name="县", level=AreaLevel.COUNTY)
    towns = [
        Area.objects.create(
            code=f"520999{101 + i:03d}000",
            name=f"镇{i}",
            level=AreaLevel.TOWNSHIP,
            parent=county,
        )
        for i in range(10)
    ]
    by = User.objects.create(username="b", role=Role.COUNTY_OFFICER, area=county)
    Facility.objects.bulk_create(
        Facility(name=f"机构{i}", kind="clinic", area=towns[i % 10]) for i in range(300)
    )
    Practitioner.objects.bulk_create(
        Practitioner(facility=f, name=f"人{i}", kind="ultrasound")
        for f in Facility.objects.all()
        for i in range(3)
    )
    first_facility = Facility.objects.order_by("pk").values_list("pk", flat=True)[0]
    first_operator = Practitioner.objects.order_by("pk").values_list("pk", flat=True)[0]
    exams = UltrasoundExam._meta.db_table
    terminations = TerminationRecord._meta.db_table
    today = "2026-11-01"
    with connection.cursor() as cursor:
        # 100,000 women, two exams each, spread over two years; the operator is one
        # of her facility's three.
        cursor.execute(
            f"""
            INSERT INTO {exams} (woman_name, id_number_encrypted, id_number_hash,
                id_number_masked, facility_id, examined_on, device_serial, operator_id,
                operator_name, gestational_weeks, purpose, indication, source,
                recorded_by_id, recorded_at)
            SELECT '某', 'v1:x', md5((i %% 100000)::text), '520999********0000',
                %s + (i %% 300), DATE %s - (i %% 730), 'S', %s + (i %% 300) * 3 + i %% 3,
                '某', 6 + (i * 7) %% 30, 'routine', '', 'clerk', %s, now()
            FROM generate_series(1, %s) AS i
            """,
            [first_facility, today, first_operator, by.pk, EXAMS],
        )
        # 20,000 terminations of examined women, at the next facility, one to forty
        # days after one of her exams.
        cursor.execute(
            f"""
            INSERT INTO {terminations} (woman_name, id_number_encrypted,
                id_number_hash, id_number_masked, facility_id, terminated_on,
                gestational_weeks, method, operator_id, medical_reason, recorded_by_id,
                recorded_at)
            SELECT '某', 'v1:x', md5((i * 5 %% 100000)::text), '520999********0000',
                %s + ((i * 5 + 1) %% 300), DATE %s - ((i * 5) %% 730) + 1 + i %% 40,
                16, 'induction', %s + ((i * 5 + 1) %% 300) * 3, 'x', %s, now()
            FROM generate_series(1, %s) AS i
            """,
            [first_facility, today, first_operator, by.pk, TERMINATIONS],
        )
        cursor.execute(f"ANALYZE {exams}")
        cursor.execute(f"ANALYZE {terminations}")
    return date.fromisoformat(today)


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    import django

    django.setup()

    from bench.timing import median_ms, report
    from srbgov.providers.services.patterns import (
        NIGHTLY_DAYS,
        county_pass,
        exam_follow_rates,
        exam_termination_findings,
    )

    on = load()
    since = on - timedelta(days=NIGHTLY_DAYS)

    def both_patterns() -> None:
        # As the nightly job runs them (raise_register_patterns), without the writes.
        with county_pass():
            exam_termination_findings(ended_since=since)
            exam_follow_rates(on=on)

    def full_history() -> None:
        with county_pass():
            exam_termination_findings()
            exam_follow_rates(on=on)

    recent = len(exam_termination_findings(ended_since=since))
    pairs = len(exam_termination_findings())
    flagged = sum(r.verdict.flagged for r in exam_follow_rates(on=on))
    report(
        "exam_termination_patterns_county",
        median_ms(both_patterns, runs=RUNS),
        "ms",
        RUNS,
    )
    report(
        "exam_termination_patterns_county_full_history",
        median_ms(full_history, runs=RUNS),
        "ms",
        RUNS,
    )
    print(
        f"  ({recent} pairs in the last {NIGHTLY_DAYS} days, {pairs} in all, "
        f"{flagged} units flagged)"
    )
