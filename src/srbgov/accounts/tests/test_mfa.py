"""Logins (issue 10 item 7): a second factor, one answer for every failed login."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from srbgov.accounts import mfa
from srbgov.accounts.forms import LOGIN_FAILED
from srbgov.accounts.models import User
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.testing import PASSWORD, BaseTestCase, totp_code


class SecondFactorLoginTests(BaseTestCase):
    def password_step(self, username: str = "xian", password: str = PASSWORD) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        self.assertRedirects(
            response, reverse("accounts:login_verify"), fetch_redirect_response=False
        )

    def test_the_password_alone_opens_nothing_for_an_account_with_a_device(
        self,
    ) -> None:
        self.password_step()
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 302)
        response = self.client.post(
            reverse("accounts:login_verify"), {"token": "000000"}
        )
        self.assertContains(response, "验证码不正确")
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 302)
        # django-otp makes her wait a second after a wrong code.
        with time_machine.travel(timezone.now() + timedelta(seconds=3)):
            response = self.client.post(
                reverse("accounts:login_verify"), {"token": totp_code(self.xian)}
            )
        self.assertRedirects(response, reverse("core:home"))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.LOGIN, username="xian", detail__mfa=True
            ).exists()
        )

    def test_a_code_is_accepted_once(self) -> None:
        code = totp_code(self.xian)
        self.password_step()
        self.client.post(reverse("accounts:login_verify"), {"token": code})
        self.client.post(reverse("accounts:logout"))
        self.password_step()
        response = self.client.post(reverse("accounts:login_verify"), {"token": code})
        self.assertContains(response, "验证码不正确")

    def test_wrong_codes_lock_the_account_like_wrong_passwords(self) -> None:
        self.password_step()
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            self.client.post(reverse("accounts:login_verify"), {"token": "123456"})
        response = self.client.post(
            reverse("accounts:login_verify"), {"token": "123456"}, follow=True
        )
        self.assertContains(response, "账号因多次登录失败已被锁定")
        self.xian.refresh_from_db()
        self.assertTrue(self.xian.is_locked)
        response = self.client.post(
            reverse("accounts:login"), {"username": "xian", "password": PASSWORD}
        )
        self.assertContains(response, "用户名或密码错误")

    def test_the_password_step_expires(self) -> None:
        self.password_step()
        later = timezone.now() + timedelta(seconds=settings.MFA_PENDING_SECONDS + 5)
        with time_machine.travel(later):
            response = self.client.post(
                reverse("accounts:login_verify"), {"token": totp_code(self.xian)}
            )
        self.assertRedirects(response, reverse("accounts:login"))
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 302)

    def test_a_recovery_code_logs_in_once_instead_of_the_phone(self) -> None:
        self.client.force_login(self.cun_a)
        self.client.get(reverse("accounts:mfa_enrol"))
        device = TOTPDevice.objects.get(user=self.cun_a, confirmed=False)
        response = self.client.post(
            reverse("accounts:mfa_enrol"), {"token": totp_code_of(device)}
        )
        codes = response.context["codes"]
        self.assertEqual(len(codes), mfa.RECOVERY_CODE_COUNT)
        self.client.post(reverse("accounts:logout"))
        self.password_step("cun_a")
        response = self.client.post(
            reverse("accounts:login_verify"), {"token": codes[0].upper()}
        )
        self.assertRedirects(response, reverse("core:home"))
        self.client.post(reverse("accounts:logout"))
        self.password_step("cun_a")
        response = self.client.post(
            reverse("accounts:login_verify"), {"token": codes[0]}
        )
        self.assertContains(response, "验证码不正确")
        self.assertEqual(
            StaticToken.objects.filter(device__user=self.cun_a).count(),
            mfa.RECOVERY_CODE_COUNT - 1,
        )


def totp_code_of(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


class EnrolmentTests(BaseTestCase):
    def test_a_county_officer_without_a_device_enrols_before_anything_else(
        self,
    ) -> None:
        TOTPDevice.objects.filter(user=self.xian).delete()
        response = self.client.post(
            reverse("accounts:login"), {"username": "xian", "password": PASSWORD}
        )
        self.assertRedirects(
            response, reverse("core:home"), fetch_redirect_response=False
        )
        for path in ("/", "/people/", "/monitoring/", "/accounts/password/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(
                response["Location"].startswith("/accounts/mfa/?next="), path
            )
        page = self.client.get(reverse("accounts:mfa_enrol"))
        self.assertContains(page, "<svg")
        secret = page.context["secret"]
        device = TOTPDevice.objects.get(user=self.xian, confirmed=False)
        self.assertEqual(mfa.secret_of(device), secret)
        response = self.client.post(reverse("accounts:mfa_enrol"), {"token": "000000"})
        self.assertContains(response, "验证码不正确")
        self.client.post(reverse("accounts:mfa_enrol"), {"token": totp_code_of(device)})
        self.assertEqual(self.client.get("/monitoring/").status_code, 200)
        entry = AuditEntry.objects.get(detail__change="mfa_enrolled")
        self.assertEqual(entry.detail["before"], {"totp": False})

    def test_a_village_worker_may_go_without_a_second_factor(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "cun_a", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("core:home"))

    def test_a_session_older_than_the_device_ends(self) -> None:
        # Logged in with the password only, then a device is enrolled elsewhere.
        self.client.post(
            reverse("accounts:login"), {"username": "cun_a", "password": PASSWORD}
        )
        TOTPDevice.objects.create(user=self.cun_a, name="x", confirmed=True)
        response = self.client.get(reverse("people:woman_list"))
        self.assertRedirects(
            response,
            reverse("accounts:login") + "?next=/people/",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 302)


@given(st.text(alphabet="0123456789０１２３４５６７８９ -", min_size=1, max_size=12))
def test_codes_typed_with_full_width_digits_spaces_or_dashes_normalise_to_ascii(
    typed: str,
) -> None:
    code = mfa._normalise(typed)
    assert code.isascii()
    assert code == "".join(
        str("0123456789０１２３４５６７８９".index(c) % 10)
        for c in typed
        if c not in " -"
    )


class LockoutAnswerTests(BaseTestCase):
    def attempt(self, username: str, password: str) -> tuple[bytes, float]:
        started = time.perf_counter()
        response = self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        elapsed = time.perf_counter() - started
        self.assertEqual(response.status_code, 200)
        body = re.sub(r'value="[^"]{64}"', "CSRF", response.content.decode())
        # The form echoes the typed name; the rest of the page must be the same.
        return body.replace(username, "NAME").encode(), elapsed

    def test_a_locked_account_and_an_unknown_name_get_the_same_answer_and_time(
        self,
    ) -> None:
        User.objects.filter(pk=self.cun_a.pk).update(
            locked_until=timezone.now() + timedelta(minutes=10)
        )
        self.attempt("no_such_user", PASSWORD)  # warm up
        unknown = [self.attempt("no_such_user", PASSWORD) for _ in range(3)]
        locked = [self.attempt("cun_a", PASSWORD) for _ in range(3)]
        wrong = self.attempt("cun_b", "wrong-password")
        self.assertEqual(unknown[0][0], locked[0][0])
        self.assertEqual(unknown[0][0], wrong[0])
        self.assertIn(str(LOGIN_FAILED), unknown[0][0].decode())
        fast_unknown = min(t for _, t in unknown)
        fast_locked = min(t for _, t in locked)
        # Both hash the password once; without that a locked account answers at once.
        self.assertGreater(fast_locked, fast_unknown / 3)
        self.assertGreater(fast_unknown, fast_locked / 3)
