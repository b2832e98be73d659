"""Exports declared once: a list of columns (header, value) that the list page and its
.xlsx share, and the one place that writes the audit record and the response.

    WOMEN = Export(
        title=_("育龄妇女"),
        filename=_("育龄妇女名单"),
        object_type="people.woman",
        columns=(
            Column(_("姓名"), lambda w: w.name),
            Column(_("身份证号码"), lambda w: w.id_number_masked),
        ),
    )

    def woman_export(request):
        return WOMEN.response(request, women_for_user(request.user))

The items come from the app's scoped `access.py`, never from here: this module knows
columns and files, not areas. See docs/access.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils.functional import Promise

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.reports.xlsx import rows_to_xlsx, xlsx_response

if TYPE_CHECKING:
    from django.http import HttpResponse

    from srbgov.core.http import AuthedRequest

T = TypeVar("T")
Text = str | Promise

# Rows are read in chunks: an export of a whole county must not hold every model
# instance (and its cache) in memory at once.
CHUNK = 1000


@dataclass(frozen=True)
class Column(Generic[T]):
    header: Text
    value: Callable[[T], Any]


@dataclass(frozen=True)
class Table:
    """What a page renders and a sheet holds: the same headers and the same cells."""

    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Export(Generic[T]):
    title: Text
    object_type: str
    columns: Sequence[Column[T]]
    filename: Text | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def row(self, item: T) -> list[Any]:
        return [c.value(item) for c in self.columns]

    def table(self, items: Iterable[T]) -> Table:
        return Table(self.headers(), [self.row(item) for item in _iterate(items)])

    def response(
        self,
        request: AuthedRequest,
        items: Iterable[T],
        *,
        title: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> HttpResponse:
        table = self.table(items)
        return send_table(
            request,
            title=title or self.title,
            filename=title or self.filename or self.title,
            object_type=self.object_type,
            table=table,
            detail={**self.detail, **(detail or {})},
        )


def _iterate(items: Iterable[T]) -> Iterable[T]:
    if isinstance(items, QuerySet):
        return items.iterator(chunk_size=CHUNK)
    return items


def send_table(
    request: AuthedRequest,
    *,
    title: Text,
    filename: Text,
    object_type: str,
    table: Table,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """One sheet of rows built elsewhere (statistics tables), logged and sent."""
    content = rows_to_xlsx(title=str(title), headers=table.headers, rows=table.rows)
    return send_workbook(
        request,
        content=content,
        filename=filename,
        object_type=object_type,
        detail={"rows": len(table.rows), **(detail or {})},
    )


def send_workbook(
    request: AuthedRequest,
    *,
    content: bytes,
    filename: Text,
    object_type: str,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one place an export is written to the audit log (who, what, which filters)
    and handed out; the log entry is written before the file leaves."""
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type=object_type,
        object_repr=str(filename),
        detail={"filters": request.GET.dict(), **(detail or {})},
    )
    return xlsx_response(content, str(filename))
