"""The outage page: an unreachable database answers 503 in Chinese, never a traceback."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase

from srbgov.ops.views import server_error


def handled(error: Exception) -> HttpResponse:
    """What Django's 500 handler answers while `error` is being handled."""
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/pregnancies/"))


class ErrorPageTests(SimpleTestCase):
    def test_a_lost_database_answers_503_with_a_retry_hint(self) -> None:
        for error in (
            OperationalError("connection to server at 127.0.0.1 failed"),
            InterfaceError("connection already closed"),
        ):
            response = handled(error)
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Retry-After"], "30")
            page = response.content.decode()
            self.assertIn("系统暂时无法使用", page)
            self.assertNotIn("127.0.0.1", page)
            self.assertNotIn("Traceback", page)

    def test_any_other_error_answers_500_without_details(self) -> None:
        response = handled(ValueError("secret detail"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("系统出错", response.content.decode())
        self.assertNotIn("secret detail", response.content.decode())
