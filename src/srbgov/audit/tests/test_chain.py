"""The hash chain: tamper-evident on both databases (issue 10 item 4)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srbgov.audit import chain
from srbgov.audit.models import AuditAction, AuditChainCheck, AuditEntry
from srbgov.audit.services import record, verify_chain
from srbgov.testing import AuditSafeTransactionTestCase, BaseTestCase, Personas

REFUSED = (IntegrityError, InternalError, OperationalError)


def _tamper(sql: str, params: list[object]) -> None:
    """What an insider with database access does: lift the triggers, change, restore."""
    from srbgov.audit.triggers import install

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks would block ALTER TABLE inside the test.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
    install()


class ChainTests(BaseTestCase):
    def entries(self, n: int) -> list[AuditEntry]:
        return [
            record(
                user=self.cun_a,
                action=AuditAction.READ,
                object_type="people.woman",
                object_id=str(i),
                object_repr=f"王芳{i}",
                detail={"i": i, "nested": {"b": [1, 2], "a": "甲"}},
            )
            for i in range(n)
        ]

    def test_each_entry_is_chained_to_the_one_before(self) -> None:
        entries = self.entries(3)
        self.assertEqual([e.seq for e in entries], [1, 2, 3])
        self.assertEqual(entries[0].prev_hash, chain.GENESIS)
        self.assertEqual(entries[1].prev_hash, entries[0].entry_hash)
        self.assertEqual(entries[2].prev_hash, entries[1].entry_hash)
        status = verify_chain()
        self.assertTrue(status.is_intact, status.message)
        self.assertEqual(status.entries, 3)

    def test_the_command_names_the_entry_altered_in_the_database(self) -> None:
        entries = self.entries(5)
        out = io.StringIO()
        call_command("verify_audit_chain", stdout=out)
        self.assertIn("完整", out.getvalue())
        target = entries[2]
        _tamper(
            "UPDATE audit_auditentry SET username = %s WHERE id = %s",
            ["someone_else", target.pk],
        )
        with self.assertRaisesMessage(CommandError, f"#{target.pk}（链序号 3）"):
            call_command("verify_audit_chain", stdout=io.StringIO())
        check = AuditChainCheck.objects.first()
        assert check is not None
        self.assertFalse(check.is_intact)
        self.assertEqual(check.broken_entry_id, target.pk)

    def test_a_deleted_entry_breaks_the_link_of_the_next(self) -> None:
        entries = self.entries(4)
        _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
        status = verify_chain()
        self.assertFalse(status.is_intact)
        self.assertEqual(status.broken_entry_id, entries[2].pk)

    def test_entries_cut_off_the_end_are_noticed(self) -> None:
        entries = self.entries(3)
        _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
        status = verify_chain()
        self.assertFalse(status.is_intact)
        self.assertIn("末尾", status.message)

    def test_a_rewritten_hash_does_not_hide_the_change(self) -> None:
        # Rehashing one entry after changing it breaks the link of the next one.
        entries = self.entries(3)
        target = entries[1]
        target.object_repr = "改过"
        forged = chain.entry_hash(
            chain.ChainFields(
                seq=target.seq,
                at=target.at,
                user_id=target.user_id,
                username=target.username,
                ip_address=target.ip_address,
                action=target.action,
                object_type=target.object_type,
                object_id=target.object_id,
                object_repr="改过",
                detail=target.detail,
            ),
            target.prev_hash,
        )
        _tamper(
            "UPDATE audit_auditentry SET object_repr = %s, entry_hash = %s "
            "WHERE id = %s",
            ["改过", forged, target.pk],
        )
        status = verify_chain()
        self.assertFalse(status.is_intact)
        self.assertEqual(status.broken_entry_id, entries[2].pk)

    def test_the_auditor_page_shows_the_chain_status(self) -> None:
        entries = self.entries(2)
        self.login(self.auditor)
        response = self.client.get(reverse("audit:entry_list"))
        self.assertContains(response, "哈希链完整")
        _tamper(
            "UPDATE audit_auditentry SET object_id = '99' WHERE id = %s",
            [entries[0].pk],
        )
        response = self.client.get(reverse("audit:entry_list"))
        self.assertContains(response, "哈希链已断开")
        self.assertContains(response, f"#{entries[0].pk}")

    def test_the_page_checks_what_was_written_since_the_last_full_check(
        self,
    ) -> None:
        self.entries(2)
        call_command("verify_audit_chain", stdout=io.StringIO())
        later = self.entries(1)[0]
        _tamper(
            "UPDATE audit_auditentry SET object_id = '99' WHERE id = %s", [later.pk]
        )
        self.login(self.auditor)
        response = self.client.get(reverse("audit:entry_list"))
        self.assertContains(response, "哈希链已断开")

    def test_replacing_an_entry_with_raw_sql_is_refused(self) -> None:
        entry = self.entries(1)[0]
        if connection.vendor == "sqlite":
            statements = [
                "INSERT OR REPLACE INTO audit_auditentry (id, at, username, action, "
                "object_type, object_id, object_repr, detail, seq, prev_hash, "
                "entry_hash) VALUES (%s, '2026-01-01 00:00:00', 'x', 'read', '', "
                "'', '', '{}', 999, '', '')",
                "REPLACE INTO audit_auditentry (id, at, username, action, "
                "object_type, object_id, object_repr, detail, seq, prev_hash, "
                "entry_hash) VALUES (%s, '2026-01-01 00:00:00', 'x', 'read', '', "
                "'', '', '{}', 999, '', '')",
                "INSERT INTO audit_auditentry (id, at, username, action, "
                "object_type, object_id, object_repr, detail, seq, prev_hash, "
                "entry_hash) VALUES (%s, '2026-01-01 00:00:00', 'x', 'read', '', "
                "'', '', '{}', 999, '', '') ON CONFLICT(id) DO UPDATE SET "
                "username = 'x'",
            ]
        else:
            statements = [
                "INSERT INTO audit_auditentry (id, at, username, action, "
                "object_type, object_id, object_repr, detail, seq, prev_hash, "
                "entry_hash) VALUES (%s, now(), 'x', 'read', '', '', '', '{}', 999, "
                "'', '') ON CONFLICT (id) DO UPDATE SET username = 'x'",
            ]
        for statement in statements:
            with (
                self.assertRaises(REFUSED),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [entry.pk])
        entry.refresh_from_db()
        self.assertEqual(entry.username, "cun_a")
        self.assertTrue(verify_chain().is_intact)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="an in-memory SQLite test database is one shared-cache connection",
)
class ConcurrentWritersTests(Personas, AuditSafeTransactionTestCase):
    def setUp(self) -> None:
        self.make_personas()

    def test_concurrent_writers_keep_the_chain_linear(self) -> None:
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def write(k: int) -> None:
            try:
                barrier.wait()
                for i in range(5):
                    record(
                        user=None,
                        username=f"w{k}",
                        action=AuditAction.READ,
                        object_id=f"{k}-{i}",
                    )
            except BaseException as problem:
                errors.append(problem)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(AuditEntry.objects.count(), 20)
        status = verify_chain()
        self.assertTrue(status.is_intact, status.message)
        self.assertEqual(
            sorted(AuditEntry.objects.values_list("seq", flat=True)),
            list(range(1, 21)),
        )


TEXT = st.text(max_size=12)
# The machine is shared; generation speed is not what these properties test.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)
    ),
    max_leaves=4,
)
FIELDS = st.builds(
    chain.ChainFields,
    seq=st.integers(1, 10**9),
    at=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    user_id=st.none() | st.integers(1, 10**6),
    username=TEXT,
    ip_address=st.none() | st.ip_addresses().map(str),
    action=TEXT,
    object_type=TEXT,
    object_id=TEXT,
    object_repr=TEXT,
    detail=st.dictionaries(TEXT, JSON, max_size=3),
)


@RELAXED
@given(FIELDS, st.data())
def test_any_change_to_any_field_changes_the_hash(
    fields: chain.ChainFields, data: st.DataObject
) -> None:
    before = chain.entry_hash(fields, chain.GENESIS)
    name = data.draw(
        st.sampled_from(["seq", "username", "object_repr", "object_id", "detail"])
    )
    value = getattr(fields, name)
    changed = (
        value + 1
        if name == "seq"
        else {**value, "\x00changed": 1}
        if name == "detail"
        else value + "x"
    )
    other = chain.ChainFields(**{**fields.__dict__, name: changed})
    assert chain.entry_hash(other, chain.GENESIS) != before
    assert chain.entry_hash(fields, "1" * 64) != before


@RELAXED
@given(st.dictionaries(TEXT, JSON, max_size=4))
def test_the_detail_hashes_the_same_after_a_database_round_trip(
    detail: dict[str, object],
) -> None:
    import json

    reordered = json.loads(json.dumps(dict(reversed(list(detail.items())))))
    assert chain.canonical_detail(detail) == chain.canonical_detail(reordered)


def test_a_break_in_a_walk_is_reported_at_the_first_bad_link() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    links = []
    prev = chain.GENESIS
    for seq in range(1, 5):
        fields = chain.ChainFields(seq, at, None, "u", None, "read", "", "", "", {})
        digest = chain.entry_hash(fields, prev)
        links.append(chain.StoredLink(seq * 10, fields, prev, digest))
        prev = digest
    assert chain.first_break(links)[0] is None
    links[2] = chain.StoredLink(30, links[2].fields, links[2].prev_hash, "0" * 64)
    broken = chain.first_break(links)[0]
    assert broken is not None and (broken.pk, broken.reason) == (30, "altered")
