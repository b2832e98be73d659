"""The facility clerk's facility, now a providers row instead of a User column."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse

from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import Facility, FacilityClerk
from srbgov.providers.services import assign_facility_clerk
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import PASSWORD, BaseTestCase, covers_scope, make_user

ROOT = Path(__file__).resolve().parents[4]


class FacilityClerkTests(BaseTestCase):
    facility: ClassVar[Facility]
    other: ClassVar[Facility]
    far: ClassVar[Facility]
    clerk: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        cls.other = make_facility(by=cls.health_a, area=cls.town_a, name="甲镇诊所")
        cls.far = make_facility(by=cls.xian, area=cls.town_b, name="乙镇卫生院")
        cls.clerk = make_user("clerk_a", Role.FACILITY_CLERK, cls.town_a)

    def test_it_links_a_clerk_and_audits_before_and_after(self) -> None:
        assign_facility_clerk(
            by=self.health_a, clerk=self.clerk, facility=self.facility
        )
        assign_facility_clerk(by=self.health_a, clerk=self.clerk, facility=self.other)
        self.assertEqual(
            FacilityClerk.objects.get(user=self.clerk).facility, self.other
        )
        entries = AuditEntry.objects.filter(
            object_type="providers.facilityclerk"
        ).order_by("pk")
        self.assertEqual(
            [(e.action, e.detail["facility"]) for e in entries],
            [
                (AuditAction.CREATE, {"before": None, "after": self.facility.pk}),
                (
                    AuditAction.UPDATE,
                    {"before": self.facility.pk, "after": self.other.pk},
                ),
            ],
        )

    def test_it_refuses_other_roles_and_facilities_outside_the_clerks_area(
        self,
    ) -> None:
        with self.assertRaises(ValidationError):
            assign_facility_clerk(
                by=self.admin, clerk=self.health_a, facility=self.facility
            )
        with self.assertRaises(ValidationError):
            assign_facility_clerk(by=self.health_a, clerk=self.clerk, facility=self.far)
        # The county keeps both townships, but 乙镇's facility is outside 甲镇's clerk.
        with self.assertRaises(ValidationError):
            assign_facility_clerk(by=self.xian, clerk=self.clerk, facility=self.far)
        self.assertFalse(FacilityClerk.objects.exists())

    def test_it_opens_the_linked_facility_only(self) -> None:
        self.client.login(username="clerk_a", password=PASSWORD)
        url = reverse("providers:facility_detail", args=[self.facility.pk])
        # Not yet linked: the clerk has no facility, so nothing exists for them.
        self.assertEqual(self.client.get(url).status_code, 404)
        assign_facility_clerk(
            by=self.health_a, clerk=self.clerk, facility=self.facility
        )
        self.assertEqual(self.client.get(url).status_code, 200)
        other = reverse("providers:facility_detail", args=[self.other.pk])
        self.assertEqual(self.client.get(other).status_code, 404)

    def test_the_keeper_links_a_clerk_on_the_facility_page(self) -> None:
        self.client.login(username="health_a", password=PASSWORD)
        url = reverse("providers:facility_clerk", args=[self.facility.pk])
        page = self.client.get(url)
        self.assertContains(page, "clerk_a")
        response = self.client.post(url, {"clerk": self.clerk.pk})
        self.assertRedirects(
            response, reverse("providers:facility_detail", args=[self.facility.pk])
        )
        self.assertEqual(
            FacilityClerk.objects.get(user=self.clerk).facility, self.facility
        )
        # An account of another role is not offered and not accepted.
        response = self.client.post(url, {"clerk": self.police_a.pk})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(FacilityClerk.objects.filter(user=self.police_a).exists())

    @covers_scope("providers:facility_clerk")
    def test_other_townships_counties_and_roles_get_404(self) -> None:
        url = reverse("providers:facility_clerk", args=[self.facility.pk])
        for username in (
            "zhen_b",
            "other_xian",
            "clerk_a",
            "cun_a",
            "police_a",
            "admin",
        ):
            # force_login counts as both factors (testing.VerifiedClient).
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self.client.get(url).status_code, 404, username)
            self.assertEqual(
                self.client.post(url, {"clerk": self.clerk.pk}).status_code,
                404,
                username,
            )
        self.assertFalse(FacilityClerk.objects.exists())

    def test_a_link_left_behind_opens_nothing_after_a_role_change(self) -> None:
        assign_facility_clerk(
            by=self.health_a, clerk=self.clerk, facility=self.facility
        )
        self.clerk.role = Role.POLICE
        self.clerk.save()
        self.client.login(username="clerk_a", password=PASSWORD)
        url = reverse("providers:facility_detail", args=[self.facility.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


# Run in a child process on its own SQLite file: migrating the test database backwards
# would empty tables other tests rely on.
MIGRATION_SCRIPT = """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

call_command("migrate", "providers", "0003_default_termination_drugs", verbosity=0)
call_command("migrate", "accounts", "0002_user_facility", verbosity=0)
# The models as they were at those migrations: later ones add columns to the user.
state = MigrationLoader(connection).project_state(
    [("accounts", "0002_user_facility"), ("providers", "0003_default_termination_drugs")]
)
User = state.apps.get_model("accounts", "User")
Area = state.apps.get_model("areas", "Area")
Facility = state.apps.get_model("providers", "Facility")
county = Area.objects.create(code="520999000000", name="县", level="county")
town = Area.objects.create(code="520999101000", name="镇", level="township", parent=county)
facility = Facility.objects.create(name="卫生院", kind="health_center", area=town)
clerk = User.objects.create(username="jigou", role="facility_clerk", area=town)
User.objects.create(username="zhen", role="township_officer", area=town)
with connection.cursor() as cursor:
    cursor.execute("UPDATE accounts_user SET facility_id = %s WHERE id = %s", [facility.pk, clerk.pk])
call_command("migrate", "accounts", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT user_id, facility_id FROM providers_facilityclerk")
    print("forward", cursor.fetchall() == [(clerk.pk, facility.pk)])
call_command("migrate", "providers", "0003_default_termination_drugs", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT username, facility_id FROM accounts_user ORDER BY username")
    print("backward", cursor.fetchall() == [("jigou", facility.pk), ("zhen", None)])
"""


def test_the_migration_moves_each_clerks_facility_and_back(tmp_path: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        with scratch_postgres_database(url) as scratch:
            check_migration(scratch)
    else:
        check_migration(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")


@contextmanager
def scratch_postgres_database(url: str) -> Iterator[str]:
    """A database of its own on the suite's (throwaway) server, dropped afterwards."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"srbgov_migration_{os.getpid()}"
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def check_migration(database_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SRBGOV_FIELD_KEY": "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=",
        "SRBGOV_TIPS_KEY": "dGVzdC10aXBzLWtleS0zMi1ieXRlcy1sb25nLi4uLi4=",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", MIGRATION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "forward True" in done.stdout, done.stdout
    assert "backward True" in done.stdout, done.stdout
