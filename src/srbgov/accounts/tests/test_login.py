from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.testing import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def attempt(self, password: str, username: str = "cun_a") -> HttpResponseBase:
        response = self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        return response

    def test_a_worker_logs_in_and_lands_on_the_home_page(self) -> None:
        response = self.attempt(PASSWORD)
        self.assertRedirects(response, reverse("core:home"))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.LOGIN, username="cun_a"
            ).exists()
        )

    def test_pages_need_a_login(self) -> None:
        response = self.client.get(reverse("people:woman_list"))
        self.assertRedirects(response, reverse("accounts:login") + "?next=/people/")

    def test_the_account_locks_after_repeated_failures_even_for_the_right_password(
        self,
    ) -> None:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            self.assertContains(self.attempt("wrong-password"), "用户名或密码错误")
        self.assertContains(self.attempt(PASSWORD), "账号因多次登录失败已被锁定")
        self.assertEqual(
            AuditEntry.objects.filter(
                action=AuditAction.LOGIN_FAILED, username="cun_a"
            ).count(),
            5,
        )
        later = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
        with time_machine.travel(later):
            self.assertRedirects(self.attempt(PASSWORD), reverse("core:home"))

    def test_a_success_resets_the_failure_count(self) -> None:
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            self.attempt("wrong-password")
        self.attempt(PASSWORD)
        self.cun_a.refresh_from_db()
        self.assertEqual(self.cun_a.failed_login_count, 0)

    def test_the_session_expires_after_idle_time(self) -> None:
        self.attempt(PASSWORD)
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 200)
        later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
        with time_machine.travel(later):
            response = self.client.get(reverse("people:woman_list"))
        self.assertEqual(response.status_code, 302)

    def test_logout_ends_the_session(self) -> None:
        self.login(self.cun_a)
        self.client.post(reverse("accounts:logout"))
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 302)


class NavigationTests(BaseTestCase):
    def nav(self, user: object) -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        return [
            str(item["label"])
            for item in self.client.get(reverse("core:home")).context["nav_items"]
        ]

    def test_the_navigation_shows_only_what_the_role_may_do(self) -> None:
        self.assertEqual(
            self.nav(self.cun_a),
            [
                "首页",
                "孕情跟踪",
                "育龄妇女",
                "数据导入",
                "性别比监测",
                "关爱女孩",
                "宣传培训",
                "实施方案",
                "村级月报",
                "考核",
            ],
        )
        self.assertEqual(self.nav(self.auditor), ["首页", "审计日志"])
        self.assertEqual(self.nav(self.admin), ["首页", "行政区划", "用户管理"])
        self.assertEqual(self.nav(self.police_a), ["首页", "案件查处"])

    def test_the_home_page_speaks_english_when_asked(self) -> None:
        self.client.force_login(self.cun_a)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertContains(self.client.get(reverse("core:home")), "Women")

    def test_an_account_without_a_role_sees_nothing(self) -> None:
        from srbgov.accounts.models import User

        nobody = User.objects.create_user("nobody", password=PASSWORD)
        self.client.force_login(nobody)
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 404)


def test_passwords_are_stored_with_the_deployment_hasher() -> None:
    """The suite hashes with MD5 for speed (conftest.py); the deployment must not. The
    settings module leaves PASSWORD_HASHERS to Django, whose first hasher is PBKDF2."""
    from django.conf import global_settings

    import srbgov.settings as deployment

    hashers = getattr(deployment, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "MD5" not in " ".join(hashers)
