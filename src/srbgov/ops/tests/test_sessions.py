"""Sessions are rewritten at most once per refresh interval, not on every request, and
a session the database cannot save answers the outage page (docs/operations.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from srbgov.ops.sessions import needs_refresh
from srbgov.testing import BaseTestCase


class SessionWrites:
    """Counts the statements that write the session table during a request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: Any,
    ) -> Any:
        if "django_session" in sql and not sql.lstrip().upper().startswith("SELECT"):
            self.count += 1
        return execute(sql, params, many, context)


def refuse_session_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    if sql.lstrip().upper().startswith("UPDATE") and "django_session" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


class SessionRefreshTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.cun_a)
        self.page = reverse("people:woman_list")
        self.client.get(self.page)  # the first request stamps the session

    def expiry(self) -> Any:
        key = self.client.session.session_key
        return Session.objects.get(session_key=key).expire_date

    def writes_for_one_page(self) -> int:
        writes = SessionWrites()
        with connection.execute_wrapper(writes):
            self.assertEqual(self.client.get(self.page).status_code, 200)
        return writes.count

    def test_a_page_within_the_interval_writes_no_session(self) -> None:
        before = self.expiry()
        self.assertEqual(self.writes_for_one_page(), 0)
        self.assertEqual(self.expiry(), before)

    def test_a_page_after_the_interval_extends_the_session(self) -> None:
        before = self.expiry()
        with time_machine.travel(timezone.now() + timedelta(seconds=61)):
            self.assertEqual(self.writes_for_one_page(), 1)
        self.assertGreater(self.expiry(), before + timedelta(seconds=60))

    @override_settings(SRBGOV_SESSION_REFRESH_SECONDS=0)
    def test_interval_zero_writes_on_every_request_as_before(self) -> None:
        self.assertEqual(self.writes_for_one_page(), 1)
        self.assertEqual(self.writes_for_one_page(), 1)

    def test_a_user_active_within_the_idle_time_stays_logged_in(self) -> None:
        # 20 minutes of a request every 10 minutes outlive the 30-minute idle limit
        # only if the refresh moves the expiry along.
        start = timezone.now()
        for minutes in (10, 20, 30, 40):
            with time_machine.travel(start + timedelta(minutes=minutes)):
                self.assertEqual(self.client.get(self.page).status_code, 200)

    def test_logging_out_leaves_no_session_behind(self) -> None:
        self.client.post(reverse("accounts:logout"))
        self.assertFalse(Session.objects.exists())

    def test_an_anonymous_visitor_gets_no_session_row(self) -> None:
        Client().get(reverse("accounts:login"))
        self.assertEqual(Session.objects.count(), 1)  # cun_a's own

    @override_settings(SRBGOV_SESSION_REFRESH_SECONDS=0)
    def test_a_session_the_database_cannot_save_answers_503(self) -> None:
        self.client.raise_request_exception = False
        with connection.execute_wrapper(refuse_session_writes):
            response = self.client.get(self.page)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("系统暂时无法使用", response.content.decode())


@given(
    last=st.none() | st.integers(0, 2**40),
    now=st.integers(0, 2**40),
    interval=st.integers(1, 10**6),
)
def test_a_session_is_never_left_more_than_one_interval_behind(
    last: int | None, now: int, interval: int
) -> None:
    if not needs_refresh(last=last, now=now, interval=interval):
        assert last is not None
        assert 0 <= now - last < interval


@given(now=st.integers(0, 2**40))
def test_interval_zero_always_refreshes(now: int) -> None:
    assert needs_refresh(last=now, now=now, interval=0)
