"""Request id, the JSON request line, the client address behind nginx, the page policy."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.test import override_settings
from django.urls import reverse

from srbgov.audit.models import AuditEntry
from srbgov.ops.logs import JsonFormatter
from srbgov.testing import BaseTestCase, make_woman
from srbgov.tips.models import Tip
from srbgov.tips.tests.test_public import CLIENT_ADDRESS, PublicTestCase

BEHIND_NGINX = override_settings(
    SRBGOV_TRUSTED_PROXY_HEADER="X-Forwarded-For", SRBGOV_TRUSTED_PROXY_HOPS=1
)


@contextmanager
def json_log() -> Iterator[io.StringIO]:
    """Everything logged meanwhile, through the production formatter."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    request_logger = logging.getLogger("srbgov.request")
    old_level, old_request_level = root.level, request_logger.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    request_logger.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        request_logger.setLevel(old_request_level)


def request_lines(out: io.StringIO) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "srbgov.request"]


class RequestLogTests(BaseTestCase):
    def test_each_request_writes_one_json_line_with_route_user_status_and_duration(
        self,
    ) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, name="李秀英")
        self.login(self.cun_a)
        with json_log() as out:
            response = self.client.get(reverse("people:woman_detail", args=[woman.pk]))
        self.assertEqual(response.status_code, 200)
        (line,) = request_lines(out)
        self.assertEqual(line["route"], "people:woman_detail")
        self.assertEqual(line["status"], 200)
        self.assertEqual(line["user_id"], self.cun_a.pk)
        self.assertEqual(line["method"], "GET")
        self.assertIsInstance(line["duration_ms"], float)
        self.assertEqual(line["request_id"], response["X-Request-ID"])
        # The route, not the path: no record id, and nothing about the person.
        text = out.getvalue()
        self.assertNotIn(f"/people/{woman.pk}/", text)
        self.assertNotIn("李秀英", text)

    def test_a_request_id_from_the_proxy_is_kept_and_junk_is_replaced(self) -> None:
        response = self.client.get(
            reverse("accounts:login"),
            HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
        )
        self.assertEqual(response["X-Request-ID"], "0123456789abcdef0123456789abcdef")
        response = self.client.get(
            reverse("accounts:login"), HTTP_X_REQUEST_ID='x" injected=1'
        )
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_an_unknown_page_logs_no_route_and_no_user_query(self) -> None:
        with json_log() as out:
            self.client.get("/no-such-page/")
        (line,) = request_lines(out)
        self.assertIsNone(line.get("route"))
        self.assertIsNone(line.get("user_id"))


class ClientAddressTests(BaseTestCase):
    def audited_address(self, forwarded: str) -> str | None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        self.login(self.cun_a)
        before = AuditEntry.objects.count()
        self.client.get(
            reverse("people:woman_detail", args=[woman.pk]),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        entry = AuditEntry.objects.order_by("-pk").first()
        assert entry is not None and AuditEntry.objects.count() > before
        return entry.ip_address

    def test_without_a_configured_proxy_the_audit_log_keeps_the_socket_address(
        self,
    ) -> None:
        self.assertEqual(self.audited_address("198.51.100.4"), "127.0.0.1")

    @BEHIND_NGINX
    def test_behind_nginx_the_audit_log_names_the_client_not_the_proxy(self) -> None:
        self.assertEqual(self.audited_address("198.51.100.4"), "198.51.100.4")

    @BEHIND_NGINX
    def test_an_address_the_client_wrote_itself_is_not_believed(self) -> None:
        # The client sent "X-Forwarded-For: 10.0.0.1"; nginx appended what it saw.
        self.assertEqual(
            self.audited_address("10.0.0.1, 198.51.100.4"),
            "198.51.100.4",
        )


@BEHIND_NGINX
class TipPagesBehindNginxTests(PublicTestCase):
    def test_a_tip_filed_through_nginx_stores_and_logs_no_client_address(self) -> None:
        with json_log() as out:
            response = self.report(HTTP_X_FORWARDED_FOR=CLIENT_ADDRESS)
            self.client.get(
                reverse("report:start"), HTTP_X_FORWARDED_FOR=CLIENT_ADDRESS
            )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Tip.objects.exists())
        self.assertNotIn(CLIENT_ADDRESS, out.getvalue())
        self.assertEqual(len(request_lines(out)), 2)
        self.assertFalse(AuditEntry.objects.exclude(ip_address=None).exists())

    def test_a_logged_in_staff_member_filing_a_tip_is_not_named_in_the_log(
        self,
    ) -> None:
        self.client.force_login(self.cun_a)
        with json_log() as out:
            self.client.get(reverse("core:home"))
            response = self.report()
        self.assertEqual(response.status_code, 200)
        home, tip = request_lines(out)
        self.assertEqual(home["user_id"], self.cun_a.pk)
        self.assertEqual(tip["route"], "report:new")
        self.assertNotIn("user_id", tip)


class HeaderTests(BaseTestCase):
    def test_staff_pages_allow_no_inline_or_foreign_script(self) -> None:
        self.login(self.zhen_a)
        for name in ("core:home", "people:woman_list", "alerts:alert_list"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200, name)
            policy = response["Content-Security-Policy"]
            directives = dict(
                ([*part.split(" ", 1), ""])[:2] for part in policy.split("; ")
            )
            self.assertEqual(directives["script-src"], "'self'")
            self.assertEqual(directives["default-src"], "'self'")
            self.assertEqual(directives["object-src"], "'none'")
            self.assertEqual(directives["frame-ancestors"], "'none'")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_the_public_tip_pages_get_the_same_policy(self) -> None:
        response = self.client.get(reverse("report:start"))
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])

    @override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    )
    def test_with_https_plain_requests_redirect_and_secure_ones_get_hsts(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))
        response = self.client.get(
            reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])
        # The local health probe stays on plain HTTP.
        self.assertEqual(self.client.get("/healthz").status_code, 200)
