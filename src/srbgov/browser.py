"""Browser tests: Debian's chromium driven by Playwright against a live server.

Imported only by tests. Without chromium the tests skip, unless SRBGOV_REQUIRE_BROWSER is
set (CI sets it), in which case they fail: a green CI must have driven a real browser.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, ClassVar

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from srbgov.accounts.models import User
from srbgov.testing import PASSWORD, AuditSafeTransactionTestCase, Personas, totp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _OneAtATimeServer(WSGIServer):
    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any):
        # The live server thread has installed the shared connections itself.
        super().__init__(*args, **kwargs)


class _OneAtATimeThread(LiveServerThread):
    """SQLite in memory: the live server's threads share the test's one connection,
    and two requests at once fail ("cannot open savepoint - SQL statements in
    progress", seen when a page posts its offline queue while the next one loads).
    This server answers them one after another (and closes each connection)."""

    server_class = _OneAtATimeServer


@pytest.mark.browser
class BrowserTestCase(Personas, AuditSafeTransactionTestCase, StaticLiveServerTestCase):
    playwright: ClassVar[Any]
    browser: ClassVar[Any]
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls) -> None:
        executable = shutil.which("chromium")
        if executable is None:
            if os.environ.get("SRBGOV_REQUIRE_BROWSER"):
                raise RuntimeError(
                    "chromium is required for the browser tests (apt-get install chromium)"
                )
            pytest.skip("Debian's chromium is not installed")
        if connection.vendor == "sqlite":
            cls.server_thread_class = _OneAtATimeThread
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        self.make_personas()
        # A phone-sized window: the village worker's screen.
        self.context = self.browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN"
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)

    def tearDown(self) -> None:
        self.context.close()

    def url(self, path: str) -> str:
        return self.live_server_url + path

    def log_in(self, username: str, page: Any = None) -> Any:
        page = page or self.page
        page.goto(self.url("/accounts/login/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        # Wait for the next page itself: `wait_for_load_state` alone may return at
        # once, on the login page that is still loaded, and miss the second step.
        with page.expect_navigation():
            page.click("button[type=submit]")
        if page.url.startswith(self.url("/accounts/login/verify/")):
            # Personas of the roles that require a second factor have a TOTP device.
            page.fill("#id_token", totp_code(User.objects.get(username=username)))
            page.click("button[type=submit]")
        page.wait_for_url(self.url("/"))
        return page

    def new_page(self) -> Any:
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN"
        )
        self.addCleanup(context.close)
        return context.new_page()
