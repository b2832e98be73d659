"""Kinds whose rows go through the app's own service, one row at a time
(docs/import.md §5): the check runs every row's service in a savepoint of a
transaction that is rolled back at the end, so the preview sees exactly the
service's answers (its Chinese messages, its rules about open pregnancies and dates)
and writes nothing; the import runs them again, each in its own savepoint, inside
the import's one transaction.

Slower than the women's batch path (each row is a service call with its own audit
entry, as when the form is used), and on SQLite the preview holds the write lock
while it runs; fine for the hundreds to few thousands of rows these registers have.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from srbgov.exchange.kinds.base import ColumnSpec, Plan, Problem, Progress
from srbgov.exchange.tabular import parse_date
from srbgov.people.crypto import identity_cipher
from srbgov.people.identity import NUMBER_SHAPE, normalize
from srbgov.people.models import Woman

if TYPE_CHECKING:
    from srbgov.accounts.models import User

PROGRESS_EVERY = 200
# The preview runs in one transaction, so its heartbeat is not seen by others until
# it ends: rows are capped well below what one worker checks within runner.STALE.
MAX_ROWS = 5000


@dataclass(frozen=True)
class Prepared:
    row: int
    key: str  # what makes two rows the same record (duplicates)
    arguments: dict[str, Any]
    # The row changes a record already on file (the preview's 更新), e.g. a device
    # whose serial number the facility has filed: the arguments name that record.
    update: bool = False


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("row problems")
        self.problems = problems


class ServiceKind:
    """Subclasses declare `columns`, `field_columns` (service field → column header),
    `role` (the pages' role predicate) and `service` (the pages' service, called with
    `by=` and the prepared arguments), and implement `prepare` (cells → arguments)."""

    slug: str
    label: str
    columns: Sequence[ColumnSpec]
    notes: Sequence[str]
    field_columns: dict[str, str]
    max_rows = MAX_ROWS

    role: Callable[[Any], bool]
    service: Callable[..., object]

    def allowed(self, user: User) -> bool:
        return type(self).role(user)

    def prepare(self, *, by: User, row: int, values: dict[str, str]) -> Prepared:
        raise NotImplementedError

    def apply(self, *, by: User, arguments: dict[str, Any]) -> None:
        type(self).service(by=by, **arguments)

    def early_key(self, *, by: User, row: int, values: dict[str, str]) -> str | None:
        """The row's key from its cells alone, before `prepare` looks at the register,
        or None. The preview keeps the entries of the file's earlier rows until it
        ends, so a kind whose `prepare` finds register entries names the key here:
        a second copy of a row is then that row's duplicate, not an entry "already
        in the register"."""
        return None

    def _duplicate(self, row: int, first: int) -> Problem:
        return Problem(
            row,
            self.columns[0].header,
            f"与第{first}行重复，本行跳过。",
            is_duplicate=True,
        )

    def _problems(self, row: int, error: ValidationError) -> list[Problem]:
        if hasattr(error, "error_dict"):
            return [
                Problem(row, self.field_columns.get(field, "—"), "；".join(messages))
                for field, messages in error.message_dict.items()
            ]
        # An error of the record as a whole: on the column that names the record.
        column = self.field_columns.get("__all__", self.columns[0].header)
        return [Problem(row, column, "；".join(error.messages))]

    def _run(self, by: User, prepared: Prepared, plan: Plan) -> bool:
        try:
            with transaction.atomic():
                self.apply(by=by, arguments=prepared.arguments)
        except ValidationError as error:
            plan.problems.extend(self._problems(prepared.row, error))
            return False
        return True

    def check(
        self,
        *,
        by: User,
        rows: Sequence[tuple[int, dict[str, str]]],
        progress: Progress,
    ) -> Plan:
        plan = Plan(rows=len(rows))
        seen: dict[str, int] = {}
        with transaction.atomic():
            for done, (row, values) in enumerate(rows, start=1):
                early = self.early_key(by=by, row=row, values=values)
                if early is not None and early in seen:
                    plan.problems.append(self._duplicate(row, seen[early]))
                    continue
                try:
                    prepared = self.prepare(by=by, row=row, values=values)
                except RowProblems as problems:
                    plan.problems.extend(problems.problems)
                    continue
                if prepared.key in seen:
                    plan.problems.append(self._duplicate(row, seen[prepared.key]))
                    continue
                # Only a row the service took stands for its key: a later copy of a
                # refused row is checked on its own, not skipped as its duplicate.
                if self._run(by, prepared, plan):
                    seen[prepared.key] = row
                    if early is not None:
                        seen[early] = row
                    (plan.updates if prepared.update else plan.new).append(prepared)
                if done % PROGRESS_EVERY == 0:
                    progress(done)
            # The preview writes nothing: every service call above is undone here.
            transaction.set_rollback(True)
        progress(len(rows))
        return plan

    def write(self, *, by: User, plan: Plan) -> dict[str, int]:
        """Inside the import's transaction; a row the registry no longer accepts
        (changed since the check) becomes an error of the result, not a failure."""
        plan.new = [p for p in plan.new if self._run(by, p, plan)]
        plan.updates = [p for p in plan.updates if self._run(by, p, plan)]
        return {"new": len(plan.new), "updated": len(plan.updates)}


NOTE_COLUMN = ColumnSpec("note", "备注", False, "", "可不填。")

# Helpers the kinds share: cells to the services' argument types, with the message
# naming the column.


def gather(
    *cells: tuple[str, Callable[[], Any]],
) -> tuple[dict[str, Any], list[Problem]]:
    """Each cell's argument by key, running every one even after a failure, so that
    the preview lists all the row's problems and not only the first."""
    arguments: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, convert in cells:
        try:
            arguments[key] = convert()
        except RowProblems as found:
            problems.extend(found.problems)
    return arguments, problems


def woman_in_scope(by: User, row: int, raw: str, column: str) -> Woman:
    number = normalize(raw)
    if not NUMBER_SHAPE.fullmatch(number):
        raise RowProblems(
            [Problem(row, column, "身份证号码应为18位数字（最后一位可为X）。")]
        )
    woman = (
        Woman.objects.visible_to(by)
        .filter(id_number_hash=identity_cipher().lookup_hash(number))
        .first()
    )
    if woman is None:
        # Whether she is registered elsewhere is not said (docs/access.md).
        raise RowProblems(
            [
                Problem(
                    row,
                    column,
                    "本辖区没有登记该身份证号码的育龄妇女：请先导入或登记她。",
                )
            ]
        )
    return woman


def choice_cell(row: int, raw: str, column: str, choices: Any) -> str:
    """A choice by its Chinese label (as the form's list shows it) or its code."""
    by_label = {str(label): value for value, label in choices.choices}
    if raw in by_label:
        return str(by_label[raw])
    if raw in choices.values:
        return raw
    allowed = "、".join(by_label)
    raise RowProblems([Problem(row, column, f"{column}只能填写：{allowed}。")])


def date_cell(row: int, raw: str, column: str, *, required: bool) -> date | None:
    if not raw:
        if required:
            raise RowProblems([Problem(row, column, f"请填写{column}。")])
        return None
    found = parse_date(raw)
    if found is None:
        raise RowProblems(
            [Problem(row, column, f"{column}“{raw}”不是有效日期，请写成2024-03-08。")]
        )
    return found


def today() -> date:
    return timezone.localdate()
