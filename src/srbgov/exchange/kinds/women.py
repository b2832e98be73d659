"""Importing the women's registry (育龄妇女). docs/import.md §3.

The checks are the registration form's (people.services): the GB 11643 number of a
woman (`parse_woman_identity`), the village in the user's own area (`check_village`),
names and phones as people/textinput.py cleans them, the model's field lengths. What
differs is the batching that lets 50,000 rows pass in seconds: villages are resolved
and scope-checked once per distinct cell, identity numbers are hashed with one keyed
HMAC state and looked up in bulk, rows are written with COPY (docs/import.md §6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from psycopg import Copy
from psycopg.copy import QueuedLibpqWriter

from srbgov.accounts.roles import can_manage_people
from srbgov.areas.models import Area
from srbgov.exchange.kinds.base import ColumnSpec, Plan, Problem, Progress
from srbgov.exchange.tabular import EXAMPLE_MARK, LOST_DIGITS
from srbgov.people import textinput
from srbgov.people.crypto import FieldCipher, identity_cipher
from srbgov.people.identity import IdentityNumber, make_number
from srbgov.people.models import Woman
from srbgov.people.services import check_village, parse_woman_identity

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# Rows per COPY statement and per AES-GCM key schedule: 2,000 cost 25 round trips
# for 50,000 rows; 5,000 keep a batch's COPY text under a few MB (docs/import.md §6).
BATCH = 5000
LOOKUP_CHUNK = 900  # below SQLite's oldest limit of 999 query parameters
ARRAY_CHUNK = 20_000
# The shape of a frozen plan (`WomenKind.freeze`); a plan of another shape, written
# before a deployment that changed it, is not thawed: the import checks again.
# 2: the new rows by column, the birth date as ISO text (docs/import.md §6).
FROZEN_VERSION = 2
NAME_MAX = Woman._meta.get_field("name").max_length or 40
HOUSEHOLD_MAX = Woman._meta.get_field("household").max_length or 120

NAME = "姓名"
ID_NUMBER = "身份证号码"
VILLAGE = "所在村"
PHONE = "联系电话"
HOUSEHOLD = "户籍地址/门牌"
NOTE = "备注"


# A tuple, not a dataclass: the writer takes the rows apart by column (`zip(*batch)`),
# and the import thaws them from the preview's plan as plain tuples of this shape,
# built by `zip` at C speed (docs/import.md §6).
class NewWoman(NamedTuple):
    row: int
    name: str
    number: str
    number_hash: str
    masked: str
    # ISO text: what COPY and SQLite take; GB 11643 parsed it once, in the preview.
    birth_on: str
    village_id: int
    phone: str
    household: str
    note: str


class WomanUpdate(NamedTuple):
    row: int
    pk: int
    name: str
    village_id: int
    phone: str
    household: str
    note: str
    number_hash: str


def _message(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


class VillageResolver:
    """A village cell (a 12-digit code, a village name, or "镇名 村名") to a village of
    the user's area, or the Chinese reason it cannot be: asked once per distinct
    text, so 50,000 rows of twenty villages cost twenty scope checks."""

    def __init__(self, by: User) -> None:
        self.by = by
        self.cache: dict[str, Area | str] = {}

    def resolve(self, text: str) -> Area | str:
        key = textinput.fold_width(text).strip()
        if key not in self.cache:
            self.cache[key] = self._resolve(key)
        return self.cache[key]

    def _resolve(self, text: str) -> Area | str:
        if not text:
            return "请填写所在村（村名或12位区划代码）。"
        candidates = self._candidates(text)
        if not candidates:
            return f"没有名为“{text}”的村：请填写村名或12位区划代码。"
        inside = [a for a in candidates if self.by.scope.contains(a)]
        if len(inside) > 1:
            return f"本辖区有{len(inside)}个“{text}”：请写“镇名 村名”或12位区划代码。"
        village = inside[0] if inside else candidates[0]
        try:
            check_village(self.by, village)
        except ValidationError as problem:
            return _message(problem)
        return village

    def _candidates(self, text: str) -> list[Area]:
        villages = Area.objects.select_related("parent")
        if text.isascii() and text.isdigit():
            return list(villages.filter(code=text))
        parts = text.split()
        if len(parts) == 2:
            return list(
                villages.villages().filter(parent__name=parts[0], name=parts[1])
            )
        return list(villages.villages().filter(name=text))


class WomenKind:
    slug = "women"
    label = "育龄妇女"
    columns: Sequence[ColumnSpec] = (
        ColumnSpec(
            "name",
            NAME,
            True,
            EXAMPLE_MARK + "王芳",
            "本人姓名。以“【示例】”开头的行不导入。",
        ),
        ColumnSpec(
            "id_number",
            ID_NUMBER,
            True,
            make_number("520999", date(1995, 3, 8), 1, "F"),
            "18位公民身份号码（女性）。请把该列设为文本格式，否则 Excel 会丢掉后几位。",
            ("身份证号", "公民身份号码"),
        ),
        ColumnSpec(
            "village",
            VILLAGE,
            True,
            "甲镇 一村",
            "村名、“镇名 村名”或12位区划代码；只能是本辖区内的村。",
            ("村", "村（社区）"),
        ),
        ColumnSpec(
            "phone", PHONE, False, "13800000000", "手机或座机号码，可不填。", ("电话",)
        ),
        ColumnSpec(
            "household", HOUSEHOLD, False, "一组12号", "可不填。", ("户籍地址",)
        ),
        ColumnSpec("note", NOTE, False, "", "可不填。"),
    )
    notes: Sequence[str] = (
        "每行一名育龄妇女；第一行是列名，请不要修改列名。",
        "身份证号码已登记在本辖区的，按本行内容更新姓名、村、电话、地址和备注（空白的选填项保留原值）。",
        "同一文件中身份证号码重复的行只导入第一行，其余列为“重复”。",
        "身份证号码已在其他辖区登记的，是错误：请联系乡镇计生办办理迁移。",
    )

    def allowed(self, user: User) -> bool:
        return can_manage_people(user)

    def check(
        self,
        *,
        by: User,
        rows: Sequence[tuple[int, dict[str, str]]],
        progress: Progress,
    ) -> Plan:
        plan = Plan(rows=len(rows))
        villages = VillageResolver(by)
        cipher = identity_cipher()
        today = timezone.localdate()
        candidates: list[tuple[int, dict[str, str], IdentityNumber, Area]] = []
        for done, (row, values) in enumerate(rows, start=1):
            checked = self._check_row(row, values, villages, plan, today)
            if checked is not None:
                candidates.append((row, values, checked[0], checked[1]))
            if done % BATCH == 0:
                progress(done)
        hashes = cipher.lookup_hashes(c[2].number for c in candidates)
        existing = self._existing(hashes)
        homes = Area.objects.in_bulk({village for _pk, village in existing.values()})
        first_row: dict[str, int] = {}
        for (row, values, parsed, village), number_hash in zip(
            candidates, hashes, strict=True
        ):
            if number_hash in first_row:
                plan.problems.append(
                    Problem(
                        row,
                        ID_NUMBER,
                        f"与第{first_row[number_hash]}行的身份证号码相同，本行跳过。",
                        is_duplicate=True,
                    )
                )
                continue
            first_row[number_hash] = row
            self._plan_row(
                by, plan, row, values, parsed, village, number_hash, existing, homes
            )
        progress(len(rows))
        return plan

    def _check_row(
        self,
        row: int,
        values: dict[str, str],
        villages: VillageResolver,
        plan: Plan,
        today: date,
    ) -> tuple[IdentityNumber, Area] | None:
        found: list[Problem] = []
        name = textinput.clean_name(values.get("name", ""))
        if not name:
            found.append(Problem(row, NAME, "请填写姓名。"))
        elif len(name) > NAME_MAX:
            found.append(Problem(row, NAME, f"姓名不能超过{NAME_MAX}个字。"))
        raw_number = values.get("id_number", "")
        parsed: IdentityNumber | None = None
        if raw_number == LOST_DIGITS:
            found.append(
                Problem(
                    row,
                    ID_NUMBER,
                    "身份证号码被 Excel 当作数字保存，后几位已丢失：请把该列设为文本格式后重新填写。",
                )
            )
        elif not raw_number:
            found.append(Problem(row, ID_NUMBER, "请填写身份证号码。"))
        else:
            try:
                parsed = parse_woman_identity(raw_number, today=today)
            except ValidationError as problem:
                found.append(Problem(row, ID_NUMBER, _message(problem)))
        village = villages.resolve(values.get("village", ""))
        if isinstance(village, str):
            found.append(Problem(row, VILLAGE, village))
        try:
            phone = textinput.clean_phone(values.get("phone", ""))
        except textinput.InputError as problem:
            found.append(Problem(row, PHONE, problem.message))
        if len(values.get("household", "").strip()) > HOUSEHOLD_MAX:
            found.append(
                Problem(row, HOUSEHOLD, f"户籍地址不能超过{HOUSEHOLD_MAX}个字。")
            )
        if found:
            plan.problems.extend(found)
            return None
        if isinstance(village, str) or parsed is None:  # narrowed: `found` was empty
            return None
        # The row's own dict: the planner takes the cleaned values from it.
        values["name"], values["phone"] = name, phone
        return parsed, village

    def _existing(self, hashes: list[str]) -> dict[str, tuple[int, int]]:
        """hash → (pk, village pk) of the women already registered, in any area: the
        duplicate check must see the whole registry, as the form's does."""
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            return self._existing_by_array(hashes)
        found: dict[str, tuple[int, int]] = {}
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start : start + LOOKUP_CHUNK]
            for pk, number_hash, village_id in Woman.objects.filter(
                id_number_hash__in=chunk
            ).values_list("pk", "id_number_hash", "village_id"):
                found[number_hash] = (pk, village_id)
        return found

    def _existing_by_array(self, hashes: list[str]) -> dict[str, tuple[int, int]]:
        """PostgreSQL: one text parameter per 20,000 hashes, split into an array by
        the server (`string_to_array`; a hash is hex, never a comma). An `IN` of 900
        placeholders cost more in building and splitting the query text than the
        index lookups, and a list parameter cost psycopg 0.2 s of quoting for
        50,000 hashes (docs/import.md §6)."""
        connection = transaction.get_connection()
        found: dict[str, tuple[int, int]] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(hashes), ARRAY_CHUNK):
                chunk = hashes[start : start + ARRAY_CHUNK]
                joined = ",".join(chunk)
                if joined.count(",") != len(chunk) - 1:
                    raise ValueError("a lookup hash holds a comma")
                cursor.execute(EXISTING_SQL, [joined])
                for pk, number_hash, village_id in cursor.fetchall():
                    found[number_hash] = (pk, village_id)
        return found

    def _plan_row(
        self,
        by: User,
        plan: Plan,
        row: int,
        values: dict[str, str],
        parsed: IdentityNumber,
        village: Area,
        number_hash: str,
        existing: dict[str, tuple[int, int]],
        homes: dict[int, Area],
    ) -> None:
        name, phone = values["name"], values["phone"]
        household = values.get("household", "").strip()
        note = values.get("note", "").strip()
        if number_hash in existing:
            pk, village_id = existing[number_hash]
            home = homes.get(village_id)
            if home is None or not by.scope.contains(home):
                plan.problems.append(
                    Problem(
                        row,
                        ID_NUMBER,
                        "该身份证号码已在其他辖区登记。如她已迁入本辖区，请联系乡镇计生办办理迁移。",
                    )
                )
                return
            plan.updates.append(
                WomanUpdate(
                    row, pk, name, village.pk, phone, household, note, number_hash
                )
            )
            return
        plan.new.append(
            NewWoman(
                row=row,
                name=name,
                number=parsed.number,
                number_hash=number_hash,
                masked=parsed.masked,
                birth_on=parsed.birth_on.isoformat(),
                village_id=village.pk,
                phone=phone,
                household=household,
                note=note,
            )
        )

    def freeze(self, *, plan: Plan, today: date) -> bytes:
        """The preview's plan for the import (docs/import.md §6): the cleaned values
        of its new rows by column (ten lists, not 50,000 lists of ten: a third less
        to parse again) and of its updated rows, as JSON."""
        new: list[NewWoman] = plan.new
        updates: list[WomanUpdate] = plan.updates
        frozen = {
            "v": FROZEN_VERSION,
            "today": today.isoformat(),
            "rows": plan.rows,
            "new": [list(column) for column in zip(*new, strict=True)],
            "updates": [list(u) for u in updates],
        }
        return json.dumps(frozen, ensure_ascii=False, separators=(",", ":")).encode()

    def thaw(self, *, by: User, data: bytes, problems: list[Problem]) -> Plan | None:
        """The preview's plan again, if nothing it depended on has changed since:
        the day (a birth date "in the future" is relative to it), every village
        still a village of the user's area (`check_village`, as the check asks it),
        no new row's number registered since, every updated woman still the same
        record in the user's area. Anything else: None, and the import checks the
        file again row by row, as the preview did."""
        frozen = json.loads(data)
        if frozen.get("v") != FROZEN_VERSION:
            return None
        if frozen["today"] != timezone.localdate().isoformat():
            return None
        columns: list[list[Any]] = frozen["new"] or [[] for _ in NewWoman._fields]
        new_hashes: list[str] = columns[NewWoman._fields.index("number_hash")]
        new_villages: list[int] = columns[NewWoman._fields.index("village_id")]
        updates = [WomanUpdate._make(u) for u in frozen["updates"]]
        village_ids = set(new_villages) | {u.village_id for u in updates}
        villages = Area.objects.in_bulk(village_ids)
        if len(villages) != len(village_ids):
            return None
        for village in villages.values():
            try:
                check_village(by, village)
            except ValidationError:
                return None
        existing = self._existing([*new_hashes, *(u.number_hash for u in updates)])
        # What was found is an updated woman's number or a new row's: one of the
        # latter was registered since the preview.
        update_hashes = {u.number_hash for u in updates}
        if any(h not in update_hashes for h in existing):
            return None
        homes = Area.objects.in_bulk({village for _pk, village in existing.values()})
        for u in updates:
            pk, home_id = existing.get(u.number_hash, (0, 0))
            home = homes.get(home_id)
            if pk != u.pk or home is None or not by.scope.contains(home):
                return None
        # Plain tuples in NewWoman's order: `write` reads them only by position.
        new: list[tuple[Any, ...]] = list(zip(*columns, strict=True))
        return Plan(rows=frozen["rows"], new=new, updates=updates, problems=problems)

    def write(self, *, by: User, plan: Plan) -> dict[str, int]:
        """Inside the caller's transaction: the new women in batches, then the
        updates under a row lock. A number registered by someone else since the
        check breaks the unique constraint and the whole import rolls back."""
        cipher = identity_cipher()
        now = timezone.now()
        stamp = transaction.get_connection().ops.adapt_datetimefield_value(now)
        new: Sequence[tuple[Any, ...]] = plan.new
        with copy_stream():
            self._write_new(new, cipher, stamp)
        updates: list[WomanUpdate] = plan.updates
        if updates:
            self._apply_updates(updates, now)
        return {"new": len(new), "updated": len(updates)}

    def _write_new(
        self, new: Sequence[tuple[Any, ...]], cipher: FieldCipher, stamp: object
    ) -> None:
        for start in range(0, len(new), BATCH):
            # By column: one AES-GCM pass over the numbers, the row tuples built by
            # zip (docs/import.md §6).
            columns = list(zip(*new[start : start + BATCH], strict=True))
            names, numbers, hashes, masked, births, villages, phones = columns[1:8]
            households, notes = columns[8:]
            write_batch(
                list(
                    zip(
                        names,
                        cipher.encrypt_many(numbers),
                        hashes,
                        masked,
                        births,
                        phones,
                        villages,
                        households,
                        notes,
                        repeat(stamp),
                        repeat(stamp),
                    )
                )
            )

    def _apply_updates(self, updates: list[WomanUpdate], now: datetime) -> None:
        by_pk = {u.pk: u for u in updates}
        women = list(
            Woman.objects.select_for_update().filter(pk__in=list(by_pk)).order_by("pk")
        )
        for woman in women:
            u = by_pk[woman.pk]
            woman.name, woman.village_id = u.name, u.village_id
            # An empty optional cell keeps what is stored (docs/import.md §3).
            woman.phone = u.phone or woman.phone
            woman.household = u.household or woman.household
            woman.note = u.note or woman.note
            woman.updated_at = now
        Woman.objects.bulk_update(
            women,
            ["name", "village_id", "phone", "household", "note", "updated_at"],
            batch_size=BATCH,
        )


# The numbers already registered, for `WomenKind._existing_by_array` on PostgreSQL.
EXISTING_SQL = (
    "SELECT id, id_number_hash, village_id FROM people_woman "
    "WHERE id_number_hash = ANY(string_to_array(%s, ','))"
)


# The columns `write_batch` fills, in its tuples' order; every other column of
# people_woman has a database-free default that the model sets (the id).
INSERT_FIELDS = (
    "name",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "birth_on",
    "phone",
    "village",
    "household",
    "note",
    "created_at",
    "updated_at",
)


# COPY's text format: a backslash, a tab, a newline and a carriage return inside a
# value are written as escapes (PostgreSQL, "COPY: File Formats").
COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: object) -> str:
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if value is None:
        return "\\N"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def copy_text(rows: Sequence[tuple[object, ...]]) -> bytes:
    """Rows in COPY's text format, built by column: psycopg's `write_row` cost more
    per row than the checks of the row (docs/import.md §6). A column of text is
    searched once, as one string, for a special character, and escaped cell by
    cell only if it holds one; other values (the same timestamp on every row, a
    few villages) are formatted once each; the lines are joined by zip."""
    if not rows:
        return b""
    columns: list[Sequence[str]] = []
    for column in zip(*rows, strict=True):
        if set(map(type, column)) == {str}:
            text = cast("Sequence[str]", column)
            if COPY_SPECIAL.search("".join(text)) is not None:
                text = [value.translate(COPY_ESCAPES) for value in text]
            columns.append(text)
            continue
        formatted: dict[object, str] = {}
        cells = []
        for value in column:
            cell = formatted.get(value)
            if cell is None:
                cell = formatted[value] = _copy_field(value)
            cells.append(cell)
        columns.append(cells)
    return ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode()


COPY_COLUMNS = tuple(
    {f.name: f.column for f in Woman._meta.concrete_fields}[name]
    for name in INSERT_FIELDS
)
COPY_SQL = f"COPY people_woman ({', '.join(COPY_COLUMNS)}) FROM STDIN"
# The open COPY of the import (`copy_stream`) that `write_batch` writes into.
_STREAM: ContextVar[Copy | None] = ContextVar("women_copy_stream", default=None)


@contextmanager
def copy_stream() -> Iterator[None]:
    """PostgreSQL: one COPY statement for all the batches of an import, its data
    sent by psycopg's queued writer (a thread) while the next batch is encrypted
    and formatted, so that PostgreSQL inserts one batch while Python builds the
    next; a COPY per batch waited for the server at the end of each
    (docs/import.md §6). Elsewhere: nothing, `write_batch` inserts each batch.
    An exception inside ends the COPY with an error: nothing of it is written."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(COPY_SQL, writer=QueuedLibpqWriter(raw)) as copy:
            token = _STREAM.set(copy)
            try:
                yield
            finally:
                _STREAM.reset(token)


def write_batch(rows: list[tuple[object, ...]]) -> None:
    """One batch of new women, as plain tuples of database values.

    Not bulk_create: Django's per-field preparation cost more than everything else of
    the import together (docs/import.md §6). PostgreSQL takes the rows with COPY
    (into the import's open `copy_stream`, or a COPY of its own), SQLite with
    executemany. The values are already what the model's fields hold (checked by
    the form's validators above); the table's constraints (the unique hash, the
    foreign key to the village) still apply. Also the seam the crash test breaks
    half-way."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("write_batch runs inside the import's transaction")
    stream = _STREAM.get()
    if stream is not None:
        stream.write(copy_text(rows))
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(COPY_SQL) as copy:
                copy.write(copy_text(rows))
        else:
            table = connection.ops.quote_name(Woman._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in COPY_COLUMNS)
            marks = ", ".join(["%s"] * len(COPY_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",  # noqa: S608
                rows,
            )
