"""Writing the audit log. Every read of a person's page, every write and every export
calls `record` explicitly (no signals), inside the same transaction as the change.

Each entry joins the hash chain (audit/chain.py, docs/security.md §3) under a lock on
the chain head, so that concurrent writers on PostgreSQL or SQLite keep it linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from srbgov.audit import chain
from srbgov.audit.context import current_ip
from srbgov.audit.models import AuditAction, AuditChainCheck, AuditChainHead, AuditEntry

if TYPE_CHECKING:
    from srbgov.accounts.models import User

HEAD_PK = 1


def _storable(value: Any) -> Any:
    """What a request put in an entry (a probed id, the filters of an export), with
    NUL written as the text `\\x00`: PostgreSQL refuses NUL in text and JSON, and a
    refused entry would turn the 404 or the export it records into a 500."""
    if isinstance(value, str):
        return value.replace("\x00", "\\x00")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def record(
    *,
    user: User | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    entry = AuditEntry(
        user=user if user is not None and user.pk else None,
        username=_storable(user.username if user is not None else username)[:150],
        ip_address=current_ip.get(),
        action=action,
        object_type=object_type[:40],
        object_id=_storable(object_id)[:40],
        object_repr=_storable(object_repr)[:200],
        detail=_storable(detail or {}),
        at=timezone.now(),
    )
    with transaction.atomic():
        head = _lock_head()
        entry.seq = head.seq + 1
        entry.prev_hash = head.last_hash
        entry.entry_hash = chain.entry_hash(fields_of(entry), entry.prev_hash)
        entry.save()
        AuditChainHead.objects.filter(pk=HEAD_PK).update(
            seq=entry.seq, last_hash=entry.entry_hash
        )
    return entry


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends.

    An UPDATE rather than SELECT FOR UPDATE because it locks on both databases: a row
    lock on PostgreSQL, the database write lock on SQLite (where SELECT FOR UPDATE is a
    no-op). The head is recreated from the log if missing (a test flush empties it).
    """
    if not AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=F("seq")):
        last = AuditEntry.objects.order_by("-seq").first()
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(
                    pk=HEAD_PK,
                    seq=last.seq if last else 0,
                    last_hash=last.entry_hash if last else chain.GENESIS,
                )
        except IntegrityError:
            pass  # another writer made it first; its row is locked below
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=F("seq"))
    return AuditChainHead.objects.get(pk=HEAD_PK)


def fields_of(entry: AuditEntry) -> chain.ChainFields:
    return chain.ChainFields(
        seq=entry.seq,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        ip_address=entry.ip_address,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        detail=entry.detail,
    )


def _links(after_seq: int, through_seq: int | None) -> Iterator[chain.StoredLink]:
    rows = AuditEntry.objects.filter(seq__gt=after_seq)
    if through_seq is not None:
        rows = rows.filter(seq__lte=through_seq)
    rows = rows.order_by("seq").only(
        "pk",
        "seq",
        "at",
        "user_id",
        "username",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
        "prev_hash",
        "entry_hash",
    )
    for entry in rows.iterator(chunk_size=5000):
        yield chain.StoredLink(
            pk=entry.pk,
            fields=fields_of(entry),
            prev_hash=entry.prev_hash,
            entry_hash=entry.entry_hash,
        )


@dataclass(frozen=True)
class ChainStatus:
    is_intact: bool
    entries: int
    through_seq: int
    through_hash: str
    broken_entry_id: int | None
    message: str


REASONS = {
    "altered": "内容被修改（哈希不符）",
    "link": "与前一条的链接断开（前一条被修改、删除或插入）",
    "sequence": "链序号不连续（有记录被删除或插入）",
}


def verify_chain(*, after: AuditChainCheck | None = None) -> ChainStatus:
    """Recompute the chain from its start (or from a previous intact check) and name
    the first entry that does not fit. Read-only; cost is linear in the entries checked
    (about a second per 100,000 entries)."""
    # The head first: entries committed after it was read are left for the next check,
    # so a concurrent writer is never taken for a cut-off tail.
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    prev_hash, prev_seq = chain.GENESIS, 0
    if after is not None and after.is_intact and after.through_seq:
        anchor = AuditEntry.objects.filter(seq=after.through_seq).first()
        if anchor is None or anchor.entry_hash != after.through_hash:
            return ChainStatus(
                False,
                0,
                after.through_seq,
                after.through_hash,
                anchor.pk if anchor else None,
                f"第 {after.through_seq} 条与上次校验时不同（被修改或删除）。",
            )
        prev_hash, prev_seq = after.through_hash, after.through_seq
    broken, checked, last_hash, last_seq = chain.first_break(
        _links(prev_seq, head.seq if head else None),
        prev_hash=prev_hash,
        prev_seq=prev_seq,
    )
    if broken is not None:
        return ChainStatus(
            False,
            checked,
            last_seq,
            last_hash,
            broken.pk,
            f"审计记录 #{broken.pk}（链序号 {broken.seq}）：{REASONS[broken.reason]}。",
        )
    if head is not None and (head.seq, head.last_hash) != (last_seq, last_hash):
        return ChainStatus(
            False,
            checked,
            last_seq,
            last_hash,
            None,
            f"链尾应为第 {head.seq} 条，实际只到第 {last_seq} 条：末尾的记录被删除或修改。",
        )
    return ChainStatus(True, checked, last_seq, last_hash, None, "")


def check_and_record() -> tuple[ChainStatus, AuditChainCheck]:
    """Verify the whole chain and keep the result for the auditor's page."""
    status = verify_chain()
    check = AuditChainCheck.objects.create(
        entries=status.entries,
        through_seq=status.through_seq,
        through_hash=status.through_hash,
        is_intact=status.is_intact,
        broken_entry_id=status.broken_entry_id,
        message=status.message,
    )
    return status, check


def current_status() -> tuple[AuditChainCheck | None, ChainStatus]:
    """For the auditor's page: the last full check, and a check of what was written
    since (from the start when there has been no intact full check)."""
    last = AuditChainCheck.objects.filter(is_intact=True).first()
    return AuditChainCheck.objects.first(), verify_chain(after=last)
