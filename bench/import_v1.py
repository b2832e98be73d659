"""The women's import as it was before the columnar plan (docs/import.md §6), for
`BENCH_IMPORT_BASELINE=1` of bench/bench_import.py: the plan frozen row by row and
thawed into named tuples with parsed dates, the numbers looked up with an array
parameter quoted by psycopg, one `os.urandom` and `base64.b64encode` per number,
the COPY text built row by row, a COPY statement per batch, and Django's pattern
index of the unique hash (people's migration 0004 dropped it). The checks are the
present ones in both.

`install()` puts these in place of the present ones; `uninstall()` takes them
out again, so that one process alternates the two on one database.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from srbgov.areas.models import Area
from srbgov.exchange.kinds import women
from srbgov.exchange.kinds.base import Plan, Problem
from srbgov.people import crypto
from srbgov.people.models import Woman
from srbgov.people.services import check_village

FROZEN_VERSION = 1


class NewWoman(NamedTuple):
    row: int
    name: str
    number: str
    number_hash: str
    masked: str
    birth_on: date
    village_id: int
    phone: str
    household: str
    note: str


def freeze(self: women.WomenKind, *, plan: Plan, today: date) -> bytes:
    frozen = {
        "v": FROZEN_VERSION,
        "today": today.isoformat(),
        "rows": plan.rows,
        # The present check keeps the birth date as ISO text already.
        "new": [list(w) for w in plan.new],
        "updates": [list(u) for u in plan.updates],
    }
    return json.dumps(frozen, ensure_ascii=False, separators=(",", ":")).encode()


def thaw(
    self: women.WomenKind, *, by: Any, data: bytes, problems: list[Problem]
) -> Plan | None:
    frozen = json.loads(data)
    if frozen.get("v") != FROZEN_VERSION:
        return None
    if frozen["today"] != timezone.localdate().isoformat():
        return None
    from_iso = date.fromisoformat
    new = [
        NewWoman(r, n, num, h, m, from_iso(b), v, p, hh, note)
        for r, n, num, h, m, b, v, p, hh, note in frozen["new"]
    ]
    updates = [women.WomanUpdate._make(u) for u in frozen["updates"]]
    village_ids = {w.village_id for w in new} | {u.village_id for u in updates}
    villages = Area.objects.in_bulk(village_ids)
    if len(villages) != len(village_ids):
        return None
    for village in villages.values():
        try:
            check_village(by, village)
        except ValidationError:
            return None
    existing = self._existing(
        [w.number_hash for w in new] + [u.number_hash for u in updates]
    )
    if any(w.number_hash in existing for w in new):
        return None
    homes = Area.objects.in_bulk({village for _pk, village in existing.values()})
    for u in updates:
        pk, home_id = existing.get(u.number_hash, (0, 0))
        home = homes.get(home_id)
        if pk != u.pk or home is None or not by.scope.contains(home):
            return None
    return Plan(rows=frozen["rows"], new=new, updates=updates, problems=problems)


def existing_by_array(
    self: women.WomenKind, hashes: list[str]
) -> dict[str, tuple[int, int]]:
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = {f.name: f.column for f in Woman._meta.concrete_fields}
    sql = (
        f"SELECT {quote(fields['id'])}, {quote(fields['id_number_hash'])}, "
        f"{quote(fields['village'])} FROM {quote(Woman._meta.db_table)} "
        f"WHERE {quote(fields['id_number_hash'])} = ANY(%s)"
    )
    found: dict[str, tuple[int, int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(hashes), women.ARRAY_CHUNK):
            cursor.execute(sql, [hashes[start : start + women.ARRAY_CHUNK]])
            for pk, number_hash, village_id in cursor.fetchall():
                found[number_hash] = (pk, village_id)
    return found


def write(self: women.WomenKind, *, by: Any, plan: Plan) -> dict[str, int]:
    cipher = crypto.identity_cipher()
    now = timezone.now()
    ops = transaction.get_connection().ops
    stamp = ops.adapt_datetimefield_value(now)
    new: list[NewWoman] = plan.new
    for start in range(0, len(new), women.BATCH):
        batch = new[start : start + women.BATCH]
        sealed = cipher.encrypt_many([w.number for w in batch])
        women.write_batch(
            [
                (
                    w.name,
                    encrypted,
                    w.number_hash,
                    w.masked,
                    ops.adapt_datefield_value(w.birth_on),
                    w.phone,
                    w.village_id,
                    w.household,
                    w.note,
                    stamp,
                    stamp,
                )
                for w, encrypted in zip(batch, sealed, strict=True)
            ]
        )
    updates: list[women.WomanUpdate] = plan.updates
    if updates:
        self._apply_updates(updates, now)
    return {"new": len(new), "updated": len(updates)}


def encrypt_many(self: crypto.FieldCipher, plaintexts: Iterable[str]) -> list[str]:
    aead = AESGCM(self.encryption_key)
    sealed = []
    for plaintext in plaintexts:
        nonce = os.urandom(12)
        blob = nonce + aead.encrypt(nonce, plaintext.encode(), None)
        sealed.append(crypto.PREFIX + base64.b64encode(blob).decode())
    return sealed


def copy_text(rows: Sequence[tuple[object, ...]]) -> bytes:
    formatted: dict[object, str] = {}
    lines = []
    texts = " ".join(value for row in rows for value in row if type(value) is str)
    escape = women.COPY_SPECIAL.search(texts) is not None
    for row in rows:
        cells = []
        for value in row:
            if type(value) is str:
                special = escape and women.COPY_SPECIAL.search(value) is not None
                cells.append(value.translate(women.COPY_ESCAPES) if special else value)
                continue
            text = formatted.get(value)
            if text is None:
                text = formatted[value] = women._copy_field(value)
            cells.append(text)
        lines.append("\t".join(cells))
    lines.append("")
    return "\n".join(lines).encode()


_REPLACED: list[tuple[object, str, Callable[..., Any]]] = [
    (women.WomenKind, "freeze", freeze),
    (women.WomenKind, "thaw", thaw),
    (women.WomenKind, "_existing_by_array", existing_by_array),
    (women.WomenKind, "write", write),
    (crypto.FieldCipher, "encrypt_many", encrypt_many),
    (women, "copy_text", copy_text),
]
_PRESENT = [(owner, name, getattr(owner, name)) for owner, name, _old in _REPLACED]


# What people's migration 0004 dropped: Django's pattern index of the unique hash.
LIKE_INDEX = (
    "CREATE INDEX IF NOT EXISTS bench_woman_hash_like "
    "ON people_woman (id_number_hash varchar_pattern_ops)"
)


def install() -> None:
    for owner, name, old in _REPLACED:
        setattr(owner, name, old)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LIKE_INDEX)


def uninstall() -> None:
    for owner, name, present in _PRESENT:
        setattr(owner, name, present)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS bench_woman_hash_like")
