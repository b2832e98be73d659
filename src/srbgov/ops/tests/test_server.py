"""The production server as deployed: gunicorn with deploy/gunicorn.conf.py, DEBUG off,
HTTPS on behind a (simulated) nginx, WhiteNoise, JSON logs, against PostgreSQL; and a
database restart in the middle, which must give a 503 page and heal without a restart.

PostgreSQL only: the suite's SQLite database lives in memory, out of a server's reach.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import subprocess
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

import pytest
from django.conf import global_settings
from django.db import connection
from django.test import override_settings

from srbgov.ops.tests.helpers import PROJECT_DIR, PYTHON, free_port, server_env
from srbgov.testing import PASSWORD, AuditSafeTransactionTestCase, Personas

CLIENT = "198.51.100.23"
PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT}


class Relay:
    """A TCP relay in front of PostgreSQL. `outage()` drops every open connection and
    refuses new ones, which is what the application sees while PostgreSQL restarts."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.is_up = True
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.is_up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def outage(self) -> None:
        self.is_up = False
        with self.lock:
            for end in self.open:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.open.clear()

    def restore(self) -> None:
        self.is_up = True

    def close(self) -> None:
        self.outage()
        self.listener.close()


class Browser:
    """Just enough of a browser behind nginx: cookies and the proxy's headers."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a server process needs PostgreSQL"
)
class ProductionServerTests(Personas, AuditSafeTransactionTestCase):
    static_root: ClassVar[Path]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.static_root = Path(tempfile.mkdtemp(prefix="srbgov-static-"))

    def start_server(self, relay: Relay) -> tuple[subprocess.Popen[str], int, Path]:
        db = connection.settings_dict
        port = free_port()
        env = server_env(
            DATABASE_URL=(
                f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{relay.port}"
                f"/{db['NAME']}"
            ),
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
            SRBGOV_HTTPS="1",
            SRBGOV_TRUSTED_PROXY_HEADER="X-Forwarded-For",
            STATIC_ROOT=str(self.static_root),
            SRBGOV_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
        )
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
            env=env,
            cwd=PROJECT_DIR,
            check=True,
            timeout=300,
        )
        log = Path(tempfile.mkstemp(prefix="srbgov-gunicorn-", suffix=".log")[1])
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            env=env,
            cwd=PROJECT_DIR,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            text=True,
        )
        self.addCleanup(server.wait, 30)
        self.addCleanup(server.terminate)
        deadline = time.monotonic() + 120
        while True:
            try:
                Browser(port).request("GET", "/healthz")
                return server, port, log
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.3)

    def test_it_serves_pages_static_files_and_headers_and_survives_a_database_restart(
        self,
    ) -> None:
        # The server runs the deployment's settings, which verify with Django's own
        # hashers, not the suite's MD5 (conftest.py): hash these personas its way.
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            self.make_personas()
        db = connection.settings_dict
        relay = Relay(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
        self.addCleanup(relay.close)
        server, port, log = self.start_server(relay)
        browser = Browser(port)

        # The local health probe: plain HTTP, exempt from the HTTPS redirect.
        response, body = browser.request("GET", "/healthz")
        self.assertEqual(response.status, 200, body)
        self.assertEqual(json.loads(body)["status"], "ok")

        # Plain HTTP to a page goes to HTTPS.
        response, _ = browser.request("GET", "/accounts/login/")
        self.assertEqual(response.status, 301)
        self.assertEqual(
            response.headers["Location"], f"https://127.0.0.1:{port}/accounts/login/"
        )

        # Through "nginx": the page, with every security header, DEBUG off.
        response, page = browser.request("GET", "/accounts/login/", headers=PROXIED)
        self.assertEqual(response.status, 200, page)
        headers = response.headers
        self.assertEqual(
            headers["Strict-Transport-Security"],
            "max-age=31536000; includeSubDomains; preload",
        )
        self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertEqual(headers["Referrer-Policy"], "same-origin")
        self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")
        csrf_cookie = next(
            h for h in headers.get_all("Set-Cookie") or [] if h.startswith("csrftoken")
        )
        self.assertIn("Secure", csrf_cookie)
        _, missing = browser.request("GET", "/no-such-page/", headers=PROXIED)
        self.assertNotIn("Traceback", missing)
        self.assertNotIn("URLconf", missing)  # Django's DEBUG 404 page

        # The stylesheet under its content-hashed name, cached for good, by WhiteNoise.
        match = re.search(r'href="(/static/srbgov/site\.[0-9a-f]{12}\.css)"', page)
        assert match is not None, page
        response, css = browser.request("GET", match.group(1), headers=PROXIED)
        self.assertEqual(response.status, 200)
        self.assertIn("immutable", response.headers["Cache-Control"])
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("{", css)

        # Log in as the village worker and open her home page.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        response, _ = browser.request(
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": token.group(1),
                "username": "cun_a",
                "password": PASSWORD,
            },
            headers=PROXIED,
        )
        self.assertEqual(response.status, 302)
        response, home = browser.request("GET", "/", headers=PROXIED)
        self.assertEqual(response.status, 200)
        self.assertIn("一村", home)

        # PostgreSQL goes away: a clear Chinese 503, not a traceback.
        relay.outage()
        response, outage_page = browser.request("GET", "/", headers=PROXIED)
        self.assertEqual(response.status, 503)
        self.assertIn("系统暂时无法使用", outage_page)
        self.assertNotIn("Traceback", outage_page)
        self.assertEqual(response.headers["Retry-After"], "30")
        # A probe sends no cookie (with one, the session look-up fails first: 503 page).
        response, body = Browser(port).request("GET", "/healthz")
        self.assertEqual(response.status, 503)
        self.assertEqual(json.loads(body)["database"], "fail")

        # It comes back: the same server process answers again, same session.
        relay.restore()
        response, home = browser.request("GET", "/", headers=PROXIED)
        self.assertEqual(response.status, 200)
        self.assertIn("一村", home)
        response, _ = browser.request("GET", "/healthz")
        self.assertEqual(response.status, 200)
        self.assertIsNone(server.poll())

        # The log: JSON lines only, the route for each request, no client address.
        server.terminate()
        server.wait(30)
        lines = [json.loads(line) for line in log.read_text().splitlines() if line]
        routes = {
            line.get("route") for line in lines if line["logger"] == "srbgov.request"
        }
        self.assertTrue({"healthz", "accounts:login", "core:home"} <= routes)
        statuses = {
            line["status"] for line in lines if line.get("route") == "core:home"
        }
        # The home page answered, and during the outage it answered 503, never 500.
        self.assertIn(200, statuses)
        self.assertLessEqual(statuses, {200, 503})
        self.assertNotIn(CLIENT, log.read_text())
