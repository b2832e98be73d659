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

The list page renders the same declaration (`Export.page(page.object_list)` into
`reports/_table.html`), so a column added here appears on the page and in the sheet.
A column may add what only a page has: a link target, a richer rendering (`shown`), a
short label for narrow screens, or stay off the page (`page=False`, sheet only). A page
never shows a column its sheet lacks: what a user sees, the export can hand out and the
audit log records.

The items come from the app's scoped `access.py`, never from here: this module knows
columns and files, not areas. See docs/access.md (section 5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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


EMPTY = "—"


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header and cell value (page and sheet), and what only the page
    needs. `link` gives the cell's target (a detail page); `shown` replaces the value on
    the page when the page says more than a cell can (the audit entry's before/after
    table); `short` is the label a narrow screen shows beside each cell; `css` classes
    the cell (`id-masked`); `page=False` keeps a wide column to the sheet."""

    header: Text
    value: Callable[[T], Any]
    link: Callable[[T], str | None] | None = None
    shown: Callable[[T], Any] | None = None
    short: Text | None = None
    css: str = ""
    page: bool = True


@dataclass(frozen=True)
class Cell:
    text: str
    label: str
    link: str | None = None
    css: str = ""


@dataclass(frozen=True)
class PageTable:
    """The page's view of a declaration: the page columns' headers and cells, and the
    export's object type (`data-export` on the table, which the tests read)."""

    object_type: str
    headers: list[str]
    rows: list[list[Cell]]
    css: str = ""


def page_text(value: Any) -> str:
    """A cell value as a page shows it: dates as the sheet writes them (ISO), times in
    local time to the minute, nothing as a dash, flags as 是/否."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, SafeString):
        return value
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        moment: datetime = (
            timezone.localtime(value) if timezone.is_aware(value) else value
        )
        return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        day: date = value
        return day.isoformat()
    return str(value)


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
    css: str = ""

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def page_headers(self) -> list[str]:
        return [str(c.header) for c in self.columns if c.page]

    def page(self, items: Iterable[T]) -> PageTable:
        """The rows of one page (already sliced by the paginator) as cells."""
        shown = [c for c in self.columns if c.page]
        labels = [str(c.short or c.header) for c in shown]
        rows = [
            [
                Cell(
                    text=page_text(c.shown(item) if c.shown else c.value(item)),
                    label=label,
                    link=c.link(item) if c.link else None,
                    css=c.css,
                )
                for c, label in zip(shown, labels, strict=True)
            ]
            for item in items
        ]
        return PageTable(self.object_type, self.page_headers(), rows, self.css)

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
    notes: Sequence[str] = (),
) -> HttpResponse:
    """One sheet of rows built elsewhere (statistics tables), logged and sent;
    `notes` below the table."""
    content = rows_to_xlsx(
        title=str(title), headers=table.headers, rows=table.rows, notes=notes
    )
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
