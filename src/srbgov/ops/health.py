"""`/healthz`: can this process serve? For load balancers, systemd and monitoring.

Answers three questions and nothing else (no counts, no names, nothing personal), so it
can stay public: is the database reachable, are all migrations applied, are the keys
loaded. 200 when all three hold, 503 otherwise. See docs/deploy.md ("Health").
"""

from __future__ import annotations

from functools import cache
from typing import Literal, TypedDict

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from srbgov.ops.startup import key_problem

Check = Literal["ok", "fail", "unknown"]


class Health(TypedDict):
    status: Literal["ok", "fail"]
    database: Check
    migrations: Check
    keys: Check


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # A broken persistent connection must not stay: the next probe reconnects.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


@cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    # The files cannot change under a running process, and reading them builds the
    # whole graph (about 25 ms): read once, compare with the database on every probe.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migrations_applied() -> bool:
    """No migration on disk is missing from the database: one query on the recorder
    table. Only when that finds one missing does the full plan decide (squashed
    migrations are recorded under other names)."""
    applied = MigrationRecorder(connection).applied_migrations()
    if _migrations_on_disk() <= applied.keys():
        return True
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def keys_loaded() -> bool:
    field, tips = settings.FIELD_ENCRYPTION_KEY, settings.TIPS_ENCRYPTION_KEY
    return (
        bool(field and tips)
        and field != tips
        and key_problem(field, name="SRBGOV_FIELD_KEY") is None
        and key_problem(tips, name="SRBGOV_TIPS_KEY") is None
    )


def check_health() -> Health:
    database = database_reachable()
    migrations: Check = "unknown"
    if database:
        try:
            migrations = "ok" if migrations_applied() else "fail"
        except DatabaseError:
            database = False
    keys: Check = "ok" if keys_loaded() else "fail"
    healthy = database and migrations == "ok" and keys == "ok"
    return Health(
        status="ok" if healthy else "fail",
        database="ok" if database else "fail",
        migrations=migrations,
        keys=keys,
    )


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = check_health()
    return JsonResponse(health, status=200 if health["status"] == "ok" else 503)
