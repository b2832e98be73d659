"""What every kind of import declares, and what its check returns (docs/import.md §5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from srbgov.accounts.models import User

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    required: bool
    example: str
    note: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One finding about one row: an error (the row is not imported) or a duplicate
    (an earlier row of the same file has the same person; this one is skipped)."""

    row: int
    column: str
    message: str
    is_duplicate: bool = False


@dataclass
class Plan:
    """What an import would do. `new` and `updates` hold whatever the kind's writer
    needs (never shown, never stored); only counts and problems leave the worker."""

    rows: int = 0
    new: list[Any] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_duplicate]

    @property
    def duplicates(self) -> list[Problem]:
        return [p for p in self.problems if p.is_duplicate]

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "updated": len(self.updates),
            "duplicates": len(self.duplicates),
            "errors": len({p.row for p in self.errors}),
        }


class Kind(Protocol):
    slug: str
    label: str
    columns: Sequence[ColumnSpec]
    notes: Sequence[str]

    def allowed(self, user: User) -> bool: ...

    def check(
        self,
        *,
        by: User,
        rows: Sequence[tuple[int, dict[str, str]]],
        progress: Progress,
    ) -> Plan: ...

    def write(self, *, by: User, plan: Plan) -> dict[str, int]: ...


@runtime_checkable
class Resumable(Protocol):
    """A kind whose preview's plan can be kept, sealed, until the import, so that the
    import does not parse and check the whole file again (docs/import.md §6).

    `freeze` turns the plan's new and updated rows into bytes (sealed by the caller,
    they hold identity numbers in clear); `thaw` gives the plan back only if every
    check that depends on the database or the day still gives the preview's answer
    (the villages in the user's area, the numbers registered since, today), else
    None and the import checks every row again."""

    def freeze(self, *, plan: Plan, today: date) -> bytes: ...

    def thaw(
        self, *, by: User, data: bytes, problems: list[Problem]
    ) -> Plan | None: ...
