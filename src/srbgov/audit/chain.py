"""The audit log's hash chain (docs/security.md §3). Pure: no Django.

Each entry's hash is SHA-256 over a canonical serialisation of its fields and the hash
of the entry before it, so changing, removing or inserting any entry breaks every link
after it. The serialisation is version 1 and must never change: stored hashes depend
on it (a new format would be "v2" and verified beside v1).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
VERSION = "v1"


@dataclass(frozen=True)
class ChainFields:
    """The fields an entry's hash covers: all of them except the hash itself."""

    seq: int
    at: datetime
    user_id: int | None
    username: str
    ip_address: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    detail: Any


def canonical_detail(detail: Any) -> str:
    # A round trip first, so that what the database gives back (string keys, lists
    # for tuples) serialises exactly like what was written.
    plain = json.loads(json.dumps(detail if detail is not None else {}))
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_ip(address: str | None) -> str:
    if not address:
        return ""
    try:
        return ipaddress.ip_address(address).compressed
    except ValueError:
        return address


def serialise(fields: ChainFields, prev_hash: str) -> bytes:
    if fields.at.tzinfo is None:
        raise ValueError("audit timestamps are timezone-aware")
    record = [
        VERSION,
        fields.seq,
        fields.at.astimezone(UTC).isoformat(timespec="microseconds"),
        fields.user_id,
        fields.username,
        canonical_ip(fields.ip_address),
        fields.action,
        fields.object_type,
        fields.object_id,
        fields.object_repr,
        canonical_detail(fields.detail),
        prev_hash,
    ]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(fields: ChainFields, prev_hash: str) -> str:
    return hashlib.sha256(serialise(fields, prev_hash)).hexdigest()


@dataclass(frozen=True)
class StoredLink:
    """One stored entry as the verifier reads it."""

    pk: int
    fields: ChainFields
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class Break:
    pk: int
    seq: int
    reason: str  # "altered", "link", "sequence"


def first_break(
    links: Any, *, prev_hash: str = GENESIS, prev_seq: int = 0
) -> tuple[Break | None, int, str, int]:
    """Walk `links` (StoredLink in seq order) and return (first break or None, number
    checked, hash of the last entry, seq of the last entry)."""
    checked = 0
    for link in links:
        if link.fields.seq != prev_seq + 1:
            return (
                Break(link.pk, link.fields.seq, "sequence"),
                checked,
                prev_hash,
                prev_seq,
            )
        if link.prev_hash != prev_hash:
            return Break(link.pk, link.fields.seq, "link"), checked, prev_hash, prev_seq
        if entry_hash(link.fields, prev_hash) != link.entry_hash:
            return (
                Break(link.pk, link.fields.seq, "altered"),
                checked,
                prev_hash,
                prev_seq,
            )
        checked += 1
        prev_hash, prev_seq = link.entry_hash, link.fields.seq
    return None, checked, prev_hash, prev_seq
