"""`create_first_admin`: a new installation gets its county and one administrator."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area
from srbgov.audit.models import AuditEntry


class FirstAdminTests(TestCase):
    def run_command(self, *, code: str = "520999000000", password: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            secret = Path(folder) / "password"
            secret.write_text(password + "\n")
            call_command(
                "create_first_admin",
                county_code=code,
                county_name="示范县",
                username="admin",
                password_file=secret,
                stdout=io.StringIO(),
            )

    def test_it_creates_the_county_and_an_administrator_who_can_log_in(self) -> None:
        self.run_command(password="a-long-county-passphrase-42")
        admin = User.objects.get(username="admin")
        self.assertEqual(admin.role, Role.ADMIN)
        self.assertEqual(admin.area, Area.objects.get(code="520999000000"))
        self.assertTrue(
            self.client.login(username="admin", password="a-long-county-passphrase-42")
        )
        self.assertEqual(AuditEntry.objects.filter(user=admin).count(), 2)

    def test_it_refuses_a_second_administrator_and_a_weak_password(self) -> None:
        with self.assertRaisesMessage(CommandError, "密码"):
            self.run_command(password="12345")
        self.assertFalse(User.objects.exists())
        self.assertFalse(Area.objects.exists())  # nothing half-written
        self.run_command(password="a-long-county-passphrase-42")
        with self.assertRaisesMessage(CommandError, "已有系统管理员"):
            self.run_command(password="another-long-passphrase-43")

    def test_it_refuses_a_code_that_is_not_a_county(self) -> None:
        with self.assertRaisesMessage(CommandError, "县级区划代码"):
            self.run_command(
                code="520999101000", password="a-long-county-passphrase-42"
            )
