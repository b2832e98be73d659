"""Issue 10 item 7, as the county officer does it in a browser: enrol a TOTP device,
log out, and find that the password alone no longer opens the system."""

from __future__ import annotations

import base64
import hmac
import struct
import time
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts.mfa import secret_of
from srbgov.browser import BrowserTestCase
from srbgov.testing import PASSWORD


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for a base32 secret: RFC 6238 (HMAC-SHA1, 30 s
    steps, 6 digits), written out here rather than taken from django-otp."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class TotpEnrolmentInBrowserTests(BrowserTestCase):
    def submit_password(self, page: Any, username: str) -> None:
        page.goto(self.url("/accounts/login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")

    def test_a_county_officer_enrols_and_then_cannot_log_in_without_the_code(
        self,
    ) -> None:
        # A county officer who has not enrolled yet.
        TOTPDevice.objects.filter(user=self.xian).delete()
        page = self.new_page()
        self.submit_password(page, "xian")
        # Before anything else: the enrolment page, whatever she opens.
        assert "/accounts/mfa/" in page.url
        page.goto(self.url("/monitoring/"))
        assert "/accounts/mfa/" in page.url
        assert page.locator(".qr svg").count() == 1
        secret = page.locator("#totp-secret").inner_text()
        page.fill("#id_token", code_from_secret(secret))
        page.click("button[type=submit]")
        assert page.locator("#recovery-codes li").count() == 10
        page.click("a.button:has-text('继续')")
        page.goto(self.url("/monitoring/"))
        assert page.url == self.url("/monitoring/")
        device = TOTPDevice.objects.get(user=self.xian, confirmed=True)
        assert secret_of(device) == secret

        page.click("button:has-text('退出')")
        page.wait_for_url(self.url("/accounts/login/"))

        # The password alone: the code is asked, and nothing opens without it.
        self.submit_password(page, "xian")
        assert page.url == self.url("/accounts/login/verify/")
        page.goto(self.url("/monitoring/"))
        assert page.url.startswith(self.url("/accounts/login/"))
        self.submit_password(page, "xian")
        right = code_from_secret(secret)
        page.fill("#id_token", "000000" if right != "000000" else "111111")
        page.click("button[type=submit]")
        assert page.locator("text=验证码不正确").count() == 1
        page.goto(self.url("/"))
        assert page.url.startswith(self.url("/accounts/login/"))

        # With the code from her app she is in.
        # Her code of a minute ago may not be used twice, and django-otp makes her wait
        # after the wrong one: both as a person would find them a little later.
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        self.submit_password(page, "xian")
        page.fill("#id_token", code_from_secret(secret))
        page.click("button[type=submit]")
        page.wait_for_url(self.url("/"))
        page.goto(self.url("/monitoring/"))
        assert page.url == self.url("/monitoring/")
