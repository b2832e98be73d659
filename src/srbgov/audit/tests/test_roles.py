"""The production role layout on a real PostgreSQL (docs/security.md §4): connected as
the application's role, the audit log can be read and added to, nothing else."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from srbgov.audit.models import AuditAction
from srbgov.audit.roles import grant_statements
from srbgov.audit.services import record, verify_chain
from srbgov.testing import AuditSafeTransactionTestCase


def test_the_grants_refuse_a_role_name_that_is_not_an_identifier() -> None:
    with pytest.raises(ValueError, match="role"):
        grant_statements("app; DROP TABLE audit_auditentry")


def test_the_command_prints_the_grants_for_the_deploy_docs() -> None:
    out = io.StringIO()
    call_command("grant_app_role", "srbgov_app", "--print", stdout=out)
    assert "GRANT SELECT, INSERT ON public.audit_auditentry TO srbgov_app;" in (
        out.getvalue()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
class AppRoleTests(AuditSafeTransactionTestCase):
    def test_the_app_role_can_only_read_and_insert_the_audit_log(self) -> None:
        import psycopg

        record(user=None, username="seed", action=AuditAction.READ, object_id="1")
        role = f"srbgov_app_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB")
        try:
            call_command("grant_app_role", role, stdout=io.StringIO())
            params = connection.settings_dict
            app = psycopg.connect(
                host=params["HOST"],
                port=params["PORT"],
                dbname=params["NAME"],
                user=role,
                autocommit=True,
            )
            try:
                self._as_app(app)
            finally:
                app.close()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")
        self.assertTrue(verify_chain().is_intact)

    def _as_app(self, app: object) -> None:
        import psycopg

        assert isinstance(app, psycopg.Connection)
        refused = (
            "UPDATE audit_auditentry SET username = 'x'",
            "DELETE FROM audit_auditentry",
            "TRUNCATE audit_auditentry",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only",
            "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
            "DROP TABLE audit_auditentry",
            "UPDATE audit_auditchaincheck SET is_intact = true",
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('audit', 'x', now())",
        )
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        # What the server does on every request still works: read, insert, and move
        # the chain head (rolled back, so the shared test database stays as it was).
        with app.transaction(force_rollback=True):
            count = app.execute("SELECT count(*) FROM audit_auditentry").fetchone()
            assert count is not None and count[0] == 1
            app.execute("UPDATE audit_auditchainhead SET seq = seq WHERE id = 1")
            app.execute(
                "INSERT INTO audit_auditentry (at, username, action, object_type, "
                "object_id, object_repr, detail, seq, prev_hash, entry_hash) "
                "VALUES (now(), 'app', 'read', '', '', '', '{}', 2, '', '')"
            )
