"""Provider oversight: the reads a county officer waits for.

- registry_gaps_county: the gaps page over a county of 300 facilities, 900
  practitioners, 300 B超 devices and 1,200 pledges (four queries whatever the size);
- terminations_by_week_facility: the facility page's week histogram over 20,000
  register entries, 2,000 of them at the facility (one grouped, indexed query);
- campaign_coverage_county: facilities inspected / all for a campaign with 600
  inspections.

Runs on the database of DATABASE_URL if it is PostgreSQL (scripts/with_postgres.sh),
else on a temporary SQLite file.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

RUNS = 20


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        folder = tempfile.mkdtemp()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.timing import median_ms, report
    from srbgov.accounts.models import Role, User
    from srbgov.areas.models import Area, AreaLevel
    from srbgov.oversight.models import Campaign, Inspection
    from srbgov.oversight.queries import coverage
    from srbgov.providers.models import (
        DeviceOperator,
        Facility,
        Pledge,
        Practitioner,
        TerminationRecord,
        UltrasoundDevice,
    )
    from srbgov.providers.queries import registry_gaps, terminations_by_week

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
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
    facilities = list(Facility.objects.all())
    Practitioner.objects.bulk_create(
        Practitioner(
            facility=f,
            name=f"人{i}",
            kind=["ultrasound", "termination", "pharmacist"][i % 3],
        )
        for f in facilities
        for i in range(3)
    )
    UltrasoundDevice.objects.bulk_create(
        UltrasoundDevice(facility=f, model_name="M", serial_number=f"S{f.pk}")
        for f in facilities
    )
    people = list(Practitioner.objects.filter(kind="ultrasound"))
    devices = {d.facility_id: d for d in UltrasoundDevice.objects.all()}
    DeviceOperator.objects.bulk_create(
        DeviceOperator(device=devices[p.facility_id], practitioner=p)
        for p in people[::2]
    )
    today = date(2026, 11, 1)
    Pledge.objects.bulk_create(
        Pledge(
            facility=p.facility,
            practitioner=p,
            signer_name=p.name,
            signed_on=today - timedelta(days=100),
            expires_on=today + timedelta(days=265 if p.pk % 4 else 30),
            recorded_by=by,
        )
        for p in Practitioner.objects.select_related("facility")[:1200]
    )
    operators = {
        p.facility_id: p for p in Practitioner.objects.filter(kind="termination")
    }
    TerminationRecord.objects.bulk_create(
        (
            TerminationRecord(
                facility=facilities[i % 10],
                woman_name="某",
                id_number_encrypted="v1:x",
                id_number_hash=f"{i:064d}",
                id_number_masked="520999********0000",
                terminated_on=today - timedelta(days=i % 700),
                gestational_weeks=6 + i % 20,
                method="medical",
                operator=operators[facilities[i % 10].pk],
                medical_reason="x",
                recorded_by=by,
            )
            for i in range(20_000)
        ),
        batch_size=2000,
    )
    campaign = Campaign.objects.create(
        area=county,
        name="c",
        deploy_starts_on=today,
        deploy_ends_on=today,
        implement_starts_on=today,
        implement_ends_on=today,
        summary_starts_on=today,
        summary_ends_on=today,
        report_due_on=today,
        created_by=by,
    )
    Inspection.objects.bulk_create(
        Inspection(
            campaign=campaign,
            facility=facilities[i % 200],
            inspected_on=today,
            inspectors=["a", "b"],
            recorded_by=by,
        )
        for i in range(600)
    )
    all_facilities = Facility.objects.in_area(county)
    n = len(registry_gaps(all_facilities, today=today))
    assert n > 0
    report(
        "registry_gaps_county",
        median_ms(lambda: registry_gaps(all_facilities, today=today), runs=RUNS),
        "ms",
        RUNS,
    )
    report(
        "terminations_by_week_facility",
        median_ms(lambda: terminations_by_week(facilities[0]), runs=RUNS),
        "ms",
        RUNS,
    )
    report(
        "campaign_coverage_county",
        median_ms(lambda: coverage(campaign, county), runs=RUNS),
        "ms",
        RUNS,
    )
