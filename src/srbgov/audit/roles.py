"""The PostgreSQL role layout of a production deployment (docs/security.md §4).

Migrations run as the owner of the database and its tables; the application server
connects as a role that owns nothing. PostgreSQL lets the owner of a table (and only the
owner or a superuser) disable its triggers, alter or drop it; a role that owns nothing
and holds only SELECT and INSERT on the audit log cannot change it in any way.
"""

from __future__ import annotations

import re

# Append-only tables: read and add, nothing else.
APPEND_ONLY = ("audit_auditentry", "audit_auditchaincheck")
# The chain head is updated on every write (audit/services.py) and recreated if missing.
CHAIN_HEAD = "audit_auditchainhead"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str, *, schema: str = "public") -> list[str]:
    """Idempotent GRANT/REVOKE statements giving `role` what the server needs.

    Run as the owner after every `migrate` (new tables get no privileges otherwise).
    """
    if not ROLE_NAME.fullmatch(role) or not ROLE_NAME.fullmatch(schema):
        raise ValueError("role and schema names: lower-case letters, digits and _")
    tables = f"ALL TABLES IN SCHEMA {schema}"
    statements = [
        f"REVOKE ALL ON {tables} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # The server reads which migrations ran; only the owner records them.
        f"REVOKE INSERT, UPDATE, DELETE ON {schema}.django_migrations FROM {role}",
        f"REVOKE UPDATE, DELETE ON {schema}.{CHAIN_HEAD} FROM {role}",
        f"GRANT UPDATE ON {schema}.{CHAIN_HEAD} TO {role}",
    ]
    for table in APPEND_ONLY:
        statements += [
            f"REVOKE ALL ON {schema}.{table} FROM {role}",
            f"GRANT SELECT, INSERT ON {schema}.{table} TO {role}",
        ]
    return statements
