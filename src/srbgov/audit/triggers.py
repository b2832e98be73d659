"""Refuse UPDATE and DELETE on the audit log in the database itself, so that not even a
bulk query or a console session through the application's role can rewrite it.

SQLite runs no DELETE trigger when `INSERT OR REPLACE` (or `REPLACE`) deletes the row
it replaces, unless recursive_triggers is on; so a BEFORE INSERT trigger refuses any
insert whose id or chain position is taken already, whatever its conflict clause. On
PostgreSQL an `INSERT ... ON CONFLICT DO UPDATE` is an UPDATE and meets the row trigger;
what PostgreSQL cannot refuse by trigger (the table owner disabling the triggers) is
refused by the role layout in docs/security.md §4.

Installed after every `migrate` (post_migrate), not in a migration: SQLite rebuilds a
table to alter it and drops its triggers on the way, so a one-time migration would be
silently undone by the next change to the audit table.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit log is append-only (审计日志不可修改或删除)'
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    """CREATE TRIGGER audit_auditentry_append_only
        BEFORE UPDATE OR DELETE ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry",
    """CREATE TRIGGER audit_auditentry_no_truncate
        BEFORE TRUNCATE ON audit_auditentry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
]
SQLITE_NO_UPDATE = """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
SQLITE_NO_DELETE = """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
SQLITE_NO_REPLACE = """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_replace
    BEFORE INSERT ON audit_auditentry
    WHEN EXISTS (SELECT 1 FROM audit_auditentry WHERE id = NEW.id OR seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""


def install(using: str = "default") -> None:
    connection = connections[using]
    if "audit_auditentry" not in connection.introspection.table_names():
        return
    statements = {
        "postgresql": POSTGRES,
        "sqlite": [SQLITE_NO_UPDATE, SQLITE_NO_DELETE, SQLITE_NO_REPLACE],
    }.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    install(using)
