"""Load: a working day's role mix against the production server on PostgreSQL.

Builds the large county (bench/load_data.py: 300 villages, 60,000 women, 5,000 open
pregnancies), starts gunicorn with the production configuration (deploy/gunicorn.conf.py)
on a loopback port, and drives it with SRBGOV_BENCH_USERS (default 16) concurrent users,
each a closed loop (no think time) until SRBGOV_BENCH_REQUESTS requests (default 6,000)
or SRBGOV_BENCH_SECONDS (default 60) have passed, whichever is first.

A/B in the same run, on the same database and the same load: each variant in VARIANTS
(SRBGOV_BENCH_VARIANTS picks some, comma-separated) is one server configuration; they
run one after the other, twice in alternation (A B A B) so that a change in the
machine's other load falls on both. `load_ab_*` lines give each variant's figures; the
`load_mixed_*` lines are those of the last variant, the production configuration. The
mix, per user:

- village workers (60 % of users): their pregnancy list, a pregnancy, the women's
  list, and recording a visit (about one request in seven);
- township officers (25 %): the alert queue, an alert, the overdue list;
- the county (15 %): the SRB overview and the funnel plot.

Prints `load_mixed_rps`, `load_mixed_p95`, `load_mixed_errors` and
`load_lost_writes` (visits the server confirmed minus visits found afterwards: 0).

The floor, in the same run, with the same users and the production configuration:
`load_floor_static_*` drives a static file (WhiteNoise answers it before Django's
middleware: the cost of gunicorn, the loopback and this load generator alone) and
`load_floor_healthz_*` drives `/healthz` (the whole middleware stack with a session,
four small queries and no template). No page can be faster than these on the same
machine; `load_harness_cpu` is the share of a core the load generator itself used.

The fault drill (not part of `make bench`):
    bash scripts/with_postgres.sh .venv/bin/python -m bench.bench_load drill
restarts PostgreSQL in the middle of the load and prints what the users got.
See docs/operations.md, "Load and faults".
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("SRBGOV_BENCH_USERS", "16"))
REQUESTS = int(os.environ.get("SRBGOV_BENCH_REQUESTS", "6000"))
SECONDS = float(os.environ.get("SRBGOV_BENCH_SECONDS", "60"))
# name → environment for the server (read by deploy/gunicorn.conf.py and settings.py).
# "before": what main had (a session write per request, 3 sync workers); "after": the
# production configuration as shipped. See docs/operations.md, "Load and faults".
VARIANTS: dict[str, dict[str, str]] = {
    "before": {
        "SRBGOV_SESSION_REFRESH_SECONDS": "0",
        "WEB_CONCURRENCY": "3",
        "SRBGOV_THREADS": "1",
    },
    # The session change with main's gunicorn defaults (2 × cores + 1 workers, 2
    # threads each), to tell the two changes apart.
    "threads": {"WEB_CONCURRENCY": "5", "SRBGOV_THREADS": "2"},
    "after": {},
}
CHOSEN = [
    name
    for name in os.environ.get("SRBGOV_BENCH_VARIANTS", ",".join(VARIANTS)).split(",")
    if name
]
SECRET_KEY = "bench-load-secret-key-not-for-production-0123456789"  # noqa: S105
HOST = "127.0.0.1"
MARK = "bench-load"
# name → path, each driven by every user (see the module docstring).
FLOORS = {"static": "/static/srbgov/site.css", "healthz": "/healthz"}
# The server's day (settings.TIME_ZONE), set by _setup: the machine's clock may be
# in another zone, and a visit dated before the pregnancy's registration is refused.
TODAY = ""
# collectstatic's output for the server, set by _setup (as `make serve` and deployment
# do: hashed names and WhiteNoise's own file serving).
STATIC_ROOT = ""


@dataclass
class Persona:
    role: str
    session: str
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))
    area: int = 0
    pregnancies: list[int] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    visits_confirmed: set[str] = field(default_factory=set)  # note tokens answered 302
    failures: list[tuple[float, int, str]] = field(default_factory=list)
    cpu_seconds: float = 0.0  # this process's (the load generator's) CPU while driving
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _request(
    port: int, persona: Persona, method: str, path: str, body: str = ""
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {
        "Cookie": f"sessionid={persona.session}; csrftoken={persona.csrf}",
        "Host": HOST,
    }
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _next_request(persona: Persona, rng: random.Random) -> tuple[str, str, str, int]:
    """(method, path, body, expected status) for this persona's next step."""
    r = rng.random()
    if persona.role == "village":
        pk = rng.choice(persona.pregnancies)
        if r < 0.35:
            return "GET", "/pregnancies/", "", 200
        if r < 0.65:
            return "GET", f"/pregnancies/{pk}/", "", 200
        if r < 0.85:
            return "GET", "/people/", "", 200
        from urllib.parse import urlencode

        body = urlencode(
            {
                "csrfmiddlewaretoken": persona.csrf,
                "visited_on": TODAY,
                "visitors": "王芳、李娟",
                "mode": "home",
                "finding": "pregnant",
                "note": f"{MARK}-{secrets.token_hex(4)}",
            }
        )
        return "POST", f"/pregnancies/{pk}/visit/", body, 302
    if persona.role == "township":
        if r < 0.4 or not persona.alerts:
            return "GET", "/alerts/", "", 200
        if r < 0.6:
            return "GET", f"/alerts/{rng.choice(persona.alerts)}/", "", 200
        return "GET", "/pregnancies/work/overdue/", "", 200
    if r < 0.5:
        return "GET", "/monitoring/", "", 200
    return "GET", "/monitoring/funnel/", "", 200


NextRequest = Callable[[Persona, random.Random], tuple[str, str, str, int]]


def _user_loop(
    port: int,
    persona: Persona,
    tally: Tally,
    budget: list[int],
    deadline: float,
    seed: int,
    next_request: NextRequest,
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        with tally.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        method, path, body, expected = next_request(persona, rng)
        start = time.perf_counter()
        try:
            status, content = _request(port, persona, method, path, body)
        except (OSError, http.client.HTTPException):
            status, content = 0, b""
        elapsed = (time.perf_counter() - start) * 1000
        with tally.lock:
            tally.latencies.append(elapsed)
            tally.statuses[status] += 1
            if status != expected:
                tally.errors += 1
                tally.failures.append(
                    (time.monotonic(), status, content[:300].decode(errors="replace"))
                )
            elif method == "POST":
                tally.visits_confirmed.add(body.rsplit("note=", 1)[1])


def drive(
    port: int,
    personas: list[Persona],
    *,
    requests: int,
    seconds: float,
    next_request: NextRequest = _next_request,
) -> tuple[Tally, float]:
    tally = Tally()
    budget = [requests]
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_user_loop,
            args=(port, p, tally, budget, deadline, i, next_request),
            daemon=True,
        )
        for i, p in enumerate(personas)
    ]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.cpu_seconds = time.process_time() - cpu
    return tally, time.perf_counter() - start


def _personas(world: Any, n: int) -> list[Persona]:
    from bench.load_data import sessions_for

    n_village = max(1, round(n * 0.60))
    n_town = max(1, round(n * 0.25))
    n_county = max(1, n - n_village - n_town)
    rng = random.Random(5)
    workers = rng.sample(world.village_workers, n_village)
    officers = [
        world.township_officers[i % len(world.township_officers)] for i in range(n_town)
    ]
    county = [world.county_officer] * n_county
    sessions = sessions_for(workers + officers + [world.county_officer])
    personas = []
    for pk in workers:
        village = world.village_of_worker[pk]
        personas.append(
            Persona(
                "village",
                sessions[pk],
                area=village,
                pregnancies=world.pregnancies_by_village[village],
            )
        )
    for pk in officers:
        town = world.township_of_officer[pk]
        personas.append(
            Persona(
                "township",
                sessions[pk],
                area=town,
                alerts=world.alerts_by_township.get(town, []),
            )
        )
    personas += [Persona("county", sessions[pk]) for pk in county]
    return personas


def _server_env(
    database_url: str, port: int, overrides: dict[str, str]
) -> dict[str, str]:
    env = dict(os.environ)
    if STATIC_ROOT:
        env["STATIC_ROOT"] = STATIC_ROOT
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="srbgov.settings",
        SRBGOV_BIND=f"{HOST}:{port}",
    )
    env.update(overrides)
    return env


def start_server(
    database_url: str,
    port: int,
    log: Path | None = None,
    overrides: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """gunicorn as deployed (deploy/gunicorn.conf.py); its log (a JSON line per request,
    tracebacks) goes to `log` when given, so the bench's output stays readable."""
    errors = log.open("ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        env=_server_env(database_url, port, overrides or {}),
        stderr=errors,
    )
    for _ in range(300):
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _setup() -> tuple[Any, str]:
    os.environ["SECRET_KEY"] = SECRET_KEY
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.load_data import build

    if connection.vendor != "postgresql":
        raise SystemExit("bench_load needs PostgreSQL (scripts/with_postgres.sh)")
    global TODAY, STATIC_ROOT
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    STATIC_ROOT = tempfile.mkdtemp(prefix="srbgov-bench-static-")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, "STATIC_ROOT": STATIC_ROOT},
        check=True,
    )
    started = time.perf_counter()
    TODAY = timezone.localdate().isoformat()
    world = build(timezone.localdate())
    print(f"load_build: {time.perf_counter() - started:.1f} s (1 runs)", flush=True)
    return world, _database_url()


def _visits_found() -> set[str]:
    from srbgov.pregnancies.models import Visit

    return set(
        Visit.objects.filter(note__startswith=MARK).values_list("note", flat=True)
    )


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[18]


@dataclass
class Figures:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    confirmed: set[str] = field(default_factory=set)
    first_failure: str = ""
    cpu_seconds: float = 0.0

    def add(self, tally: Tally, elapsed: float) -> None:
        self.requests += sum(tally.statuses.values())
        self.seconds += elapsed
        self.cpu_seconds += tally.cpu_seconds
        self.latencies += tally.latencies
        self.errors += tally.errors
        self.confirmed |= tally.visits_confirmed
        if tally.failures and not self.first_failure:
            status, body = tally.failures[0][1], tally.failures[0][2]
            self.first_failure = f"{status} {body[:120]!r}"

    @property
    def harness_cpu(self) -> float:
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _variant_round(
    url: str,
    personas: list[Persona],
    name: str,
    log: Path,
    next_request: NextRequest = _next_request,
) -> tuple[Tally, float]:
    port = _free_port()
    server = start_server(url, port, log=log, overrides=VARIANTS[name])
    try:
        warm, _ = drive(
            port,
            personas,
            requests=min(300, REQUESTS),
            seconds=10,
            next_request=next_request,
        )
        tally, elapsed = drive(
            port,
            personas,
            requests=REQUESTS,
            seconds=SECONDS,
            next_request=next_request,
        )
        # The warm-up's visits are writes too: confirmed ones must be found.
        tally.visits_confirmed |= warm.visits_confirmed
        return tally, elapsed
    finally:
        stop_server(server)


def _fixed(path: str) -> NextRequest:
    return lambda persona, rng: ("GET", path, "", 200)


def run() -> None:
    world, url = _setup()
    personas = _personas(world, USERS)
    n = len(personas)
    before = _visits_found()
    figures = {name: Figures() for name in CHOSEN}
    log = Path(tempfile.mkdtemp(prefix="srbgov-bench-load-")) / "gunicorn.log"
    floors = {name: Figures() for name in FLOORS}
    rounds = 2 if len(CHOSEN) > 1 else 1
    for _ in range(rounds):
        for name in CHOSEN:
            tally, elapsed = _variant_round(url, personas, name, log)
            figures[name].add(tally, elapsed)
        for name, path in FLOORS.items():
            tally, elapsed = _variant_round(url, personas, "after", log, _fixed(path))
            floors[name].add(tally, elapsed)
    found = _visits_found() - before
    confirmed: set[str] = set().union(*(f.confirmed for f in figures.values()))
    lost = confirmed - found
    for name in CHOSEN:
        f = figures[name]
        print(
            f"load_ab_{name}: {f.rps:.1f} req/s, p95 {_p95(f.latencies):.1f} ms, "
            f"{f.errors} errors ({n} users, {f.requests} requests)"
        )
    for name, f in floors.items():
        print(f"load_floor_{name}_rps: {f.rps:.1f} req/s ({n} users)")
        print(
            f"load_floor_{name}_p95: {_p95(f.latencies):.1f} ms "
            f"({n} users, {f.errors} errors)"
        )
    for name, f in {**figures, **floors}.items():
        print(f"load_harness_cpu_{name}: {100 * f.harness_cpu:.0f} % of a core")
    last = figures[CHOSEN[-1]]
    print(f"load_mixed_rps: {last.rps:.1f} req/s ({n} users)")
    print(f"load_mixed_p95: {_p95(last.latencies):.1f} ms ({n} users)")
    print(f"load_mixed_errors: {last.errors} ({n} users)")
    print(
        f"load_lost_writes: {len(lost)} ({len(confirmed)} visits "
        f"confirmed, {len(found)} found)"
    )
    # Written but not confirmed (the answer was lost or late): allowed, reported.
    print(f"load_unconfirmed_writes: {len(found - confirmed)}")
    for name in CHOSEN:
        if figures[name].first_failure:
            print(f"load_first_failure_{name}: {figures[name].first_failure}")
    print(f"load_server_log: {log}")
    _teardown()


def _teardown() -> None:
    from django.conf import settings
    from django.db import connection

    connection.creation.destroy_test_db(
        settings.DATABASES["default"]["NAME"], verbosity=0
    )


def drill() -> None:
    """PostgreSQL restarted under load: what users get, and whether it recovers by
    itself (no application restart)."""
    from django.db import connection

    world, url = _setup()
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data_dir = cursor.fetchone()[0]
    connection.close()
    port = _free_port()
    personas = _personas(world, USERS)
    server_log = Path(data_dir).parent / "gunicorn.log"
    server = start_server(url, port, log=server_log)
    restart_at: list[float] = []

    def restart() -> None:
        time.sleep(5)
        restart_at.append(time.monotonic())
        pg_ctl = "/usr/lib/postgresql/15/bin/pg_ctl"
        log = Path(data_dir).parent / "restart.log"
        command = [
            pg_ctl,
            "-D",
            data_dir,
            "-l",
            str(log),
            "-m",
            "fast",
            "-w",
            "restart",
        ]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the new postmaster would inherit them and the wait never end.
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        restart_at.append(time.monotonic())

    try:
        drive(port, personas, requests=200, seconds=10)
        restarter = threading.Thread(target=restart)
        restarter.start()
        tally, elapsed = drive(port, personas, requests=10**6, seconds=20)
        restarter.join()
    finally:
        stop_server(server)
    kinds = Counter(
        (
            status,
            "503 page"
            if "503" in body or "暂时" in body
            else ("traceback" if "Traceback" in body else "other"),
        )
        for _, status, body in tally.failures
    )
    last_failure = max((t for t, _, _ in tally.failures), default=restart_at[1])
    print(
        f"drill_pg_restart_requests: {sum(tally.statuses.values())} in {elapsed:.1f} s"
    )
    print(f"drill_pg_restart_statuses: {dict(tally.statuses)}")
    print(f"drill_pg_restart_failures: {dict(kinds)}")
    print(
        f"drill_pg_restart_outage: {restart_at[1] - restart_at[0]:.1f} s (pg_ctl restart)"
    )
    print(
        f"drill_pg_restart_recovered_after: {max(0.0, last_failure - restart_at[1]):.1f} s"
    )
    for _, status, body in tally.failures[:3]:
        print(f"  sample {status}: {body[:160]!r}")
    logged = server_log.read_text(errors="replace")
    print(f"drill_pg_restart_server_tracebacks_logged: {logged.count('Traceback')}")
    _teardown()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srbgov.settings")
    # the same bench-only keys as bench/__main__.py
    os.environ.setdefault(
        "SRBGOV_FIELD_KEY", "YmVuY2gtZmllbGQta2V5LTMyLWJ5dGVzLWxvbmcuLi4uLg=="
    )
    os.environ.setdefault(
        "SRBGOV_TIPS_KEY", "YmVuY2gtdGlwcy1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLg=="
    )
    drill() if sys.argv[1:] == ["drill"] else run()
