"""What every kind of import declares, and what its check returns (docs/import.md §5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

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
