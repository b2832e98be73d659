"""The demo's second factor and the first administrators of a deployment."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from srbgov.accounts.demo import current_code, enrol_demo_users
from srbgov.accounts.models import Role, User
from srbgov.audit.models import AuditEntry
from srbgov.testing import PASSWORD, make_area


class DemoSecondFactorTests(TestCase):
    def test_demo_users_of_mfa_roles_log_in_with_the_printed_secret(self) -> None:
        county = make_area("520999000000", "示范县")
        village = make_area(
            "520999101201", "一村", make_area("520999101000", "甲镇", county)
        )
        for username, role, area in (
            ("xian", Role.COUNTY_OFFICER, county),
            ("cun_a", Role.VILLAGE_WORKER, village),
        ):
            user = User(username=username, role=role, area=area)
            user.set_password(PASSWORD)
            user.save()
        secrets = enrol_demo_users(["xian", "cun_a"])
        self.assertEqual([s.username for s in secrets], ["xian"])
        self.assertEqual(enrol_demo_users(["xian", "cun_a"]), secrets)  # idempotent
        self.assertIsNone(current_code("cun_a"))
        out = io.StringIO()
        call_command("demo_totp", "xian", stdout=out)
        code = out.getvalue().strip()
        self.assertRegex(code, r"^\d{6}$")
        self.client.post(
            reverse("accounts:login"), {"username": "xian", "password": PASSWORD}
        )
        response = self.client.post(reverse("accounts:login_verify"), {"token": code})
        self.assertRedirects(response, reverse("core:home"))
        with self.assertRaises(CommandError):
            call_command("demo_totp", "cun_a", stdout=io.StringIO())


class CreateAdministratorTests(TestCase):
    def test_the_first_administrator_is_created_from_the_shell_and_audited(
        self,
    ) -> None:
        county = make_area("520999000000", "示范县")
        out = io.StringIO()
        call_command(
            "create_administrator", "root_admin", county=county.code, stdout=out
        )
        password = out.getvalue().strip().rsplit("：", 1)[1]
        user = User.objects.get(username="root_admin")
        self.assertTrue(user.check_password(password))
        self.assertTrue(user.must_change_password)
        self.assertFalse(user.is_superuser or user.is_staff)
        entry = AuditEntry.objects.get(object_type="accounts.user")
        self.assertEqual(entry.username, "manage.py")
        self.assertEqual(entry.detail["after"]["role"], "admin")
        with self.assertRaises(CommandError):
            call_command("create_administrator", "x", county="520999101000")


class LoginRequiredTests(TestCase):
    def test_public_pages_open_without_an_account_and_staff_pages_do_not(self) -> None:
        make_area("520999000000", "示范县")
        for path in ("/accounts/login/", "/report/", "/report/poster/"):
            self.assertEqual(self.client.get(path).status_code, 200, path)
        response = self.client.post(
            reverse("set_language"), {"language": "en", "next": "/accounts/login/"}
        )
        self.assertRedirects(
            response, "/accounts/login/", fetch_redirect_response=False
        )
        for path in (
            "/",
            "/accounts/users/",
            "/tips/policy/",
            "/audit/",
            "/accounts/mfa/",
        ):
            response = self.client.get(path)
            self.assertRedirects(
                response,
                f"/accounts/login/?next={path}",
                fetch_redirect_response=False,
            )
