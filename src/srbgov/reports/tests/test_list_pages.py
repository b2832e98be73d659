"""Every list page that has an export renders its table from the export's declaration
(docs/access.md, section 5): the page's header row is the sheet's header row (less the
columns declared sheet-only), read from real requests and the real .xlsx; no list
template writes a column by hand; a column added to a declaration shows on both."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from itertools import chain
from pathlib import Path
from typing import Any
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from srbgov.accounts.models import User
from srbgov.alerts.exports import ALERTS
from srbgov.audit.exports import ENTRIES
from srbgov.core.tests.scope_world import WorldTestCase
from srbgov.oversight.exports import CAMPAIGNS, CASES, SURVEYS
from srbgov.people.exports import WOMEN
from srbgov.people.services import ChildData
from srbgov.pregnancies import services as pregnancy_services
from srbgov.pregnancies.exports import INFANT_DEATHS, PREGNANCIES
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.providers.exports import (
    FACILITIES,
    GAPS,
    GENETIC_TESTS,
    LICENCES,
    PRIORITIES,
    TERMINATIONS,
    VILLAGES,
)
from srbgov.reports.exports import EMPTY, Column, Export, page_text
from srbgov.testing import make_woman
from srbgov.tips.exports import REWARDS, TIPS


@dataclasses.dataclass(frozen=True)
class ListPage:
    route: str
    export: str
    declaration: Export[Any]
    kwargs: dict[str, str] = dataclasses.field(default_factory=dict)


# Each list page and the export it shares its declaration with.
LIST_PAGES = [
    ListPage("people:woman_list", "people:woman_export", WOMEN),
    ListPage("pregnancies:pregnancy_list", "pregnancies:pregnancy_export", PREGNANCIES),
    ListPage(
        "pregnancies:worklist",
        "pregnancies:worklist_export",
        PREGNANCIES,
        {"slug": "past-due"},
    ),
    ListPage(
        "pregnancies:infant_death_list",
        "pregnancies:infant_death_export",
        INFANT_DEATHS,
    ),
    ListPage("providers:facility_list", "providers:facility_export", FACILITIES),
    ListPage(
        "providers:termination_list", "providers:termination_export", TERMINATIONS
    ),
    ListPage("providers:gap_list", "providers:gap_export", GAPS),
    ListPage("alerts:alert_list", "alerts:alert_export", ALERTS),
    ListPage("audit:entry_list", "audit:entry_export", ENTRIES),
    ListPage("tips:tip_list", "tips:tip_export", TIPS),
    ListPage("tips:reward_list", "tips:reward_export", REWARDS),
    ListPage("oversight:campaign_list", "oversight:campaign_export", CAMPAIGNS),
    ListPage("oversight:case_list", "oversight:case_export", CASES),
    # Issue 17 items 3, 4 and 6 (docs/registers.md §7).
    ListPage("providers:priority_list", "providers:priority_export", PRIORITIES),
    ListPage("providers:village_list", "providers:village_export", VILLAGES),
    ListPage("providers:licence_list", "providers:licence_export", LICENCES),
    ListPage(
        "providers:genetic_test_list", "providers:genetic_test_export", GENETIC_TESTS
    ),
    ListPage("oversight:survey_list", "oversight:survey_export", SURVEYS),
]


class _ExportTable(HTMLParser):
    """The header texts and the first row's cells of the table marked `data-export`."""

    def __init__(self, object_type: str) -> None:
        super().__init__()
        self.object_type = object_type
        self.depth = 0  # >0 inside the export table; nested tables go deeper
        self.cell: list[str] | None = None
        self.in_head = False
        self.headers: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if self.depth or dict(attrs).get("data-export") == self.object_type:
                self.depth += 1
        elif self.depth == 1:
            if tag == "thead":
                self.in_head = True
            elif tag == "tr" and not self.in_head:
                self.rows.append([])
            elif tag in ("th", "td"):
                self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth == 1:
            if tag == "thead":
                self.in_head = False
            elif tag in ("th", "td") and self.cell is not None:
                text = "".join(self.cell).strip()
                (self.headers if self.in_head else self.rows[-1]).append(text)
                self.cell = None

    def handle_data(self, data: str) -> None:
        if self.depth and self.cell is not None:
            self.cell.append(data)


def export_table(html: str, object_type: str) -> _ExportTable:
    parser = _ExportTable(object_type)
    parser.feed(html)
    return parser


class ListPagesShareTheirExport(WorldTestCase):
    media_prefix = "srbgov-list-pages-"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        mother = make_woman(
            by=cls.cun_a,
            village=cls.village_a,
            name="吴桂英",
            children=[
                ChildData(birth_on=timezone.localdate() - timedelta(days=40), sex="F")
            ],
        )
        pregnancy_services.record_infant_death(
            by=cls.cun_a,
            child=mother.children.get(),
            died_at=timezone.now() - timedelta(days=3),
            cause="肺炎",
        )
        # Long past its due date with no outcome: a row of the past-due worklist.
        make_pregnancy(by=cls.cun_a, woman=mother, weeks=44)

    def candidates(self) -> list[User]:
        named = [self.cun_a, self.zhen_a, self.health_a, self.xian, self.tips]
        return [
            *named,
            self.auditor,
            *chain.from_iterable(self.world.personas.values()),
        ]

    def page_with_rows(self, page: ListPage) -> tuple[User, str]:
        """The first persona that reaches the page and sees at least one row."""
        url = reverse(page.route, kwargs=page.kwargs)
        object_type = page.declaration.object_type
        for user in self.candidates():
            self.client.force_login(user)
            response = self.client.get(url)
            if response.status_code == 200 and f'data-export="{object_type}"' in (
                html := response.content.decode()
            ):
                return user, html
        raise AssertionError(f"{page.route}: no persona sees a row")

    def sheet_headers(self, page: ListPage) -> list[str]:
        response = self.client.get(reverse(page.export, kwargs=page.kwargs))
        assert response.status_code == 200, page.export
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        return [str(v) for v in next(sheet.iter_rows(values_only=True))]

    def test_each_page_header_row_is_its_sheets_header_row(self) -> None:
        for page in LIST_PAGES:
            with self.subTest(page.route):
                _user, html = self.page_with_rows(page)
                table = export_table(html, page.declaration.object_type)
                sheet = self.sheet_headers(page)
                on_page = {str(c.header) for c in page.declaration.columns if c.page}
                self.assertEqual(table.headers, [h for h in sheet if h in on_page])
                self.assertEqual(sheet, page.declaration.headers())
                self.assertTrue(table.rows)
                for row in table.rows:
                    self.assertEqual(len(row), len(table.headers))

    def test_no_list_template_writes_a_column_by_hand(self) -> None:
        for page in LIST_PAGES:
            with self.subTest(page.route):
                self.page_with_rows(page)
                response = self.client.get(reverse(page.route, kwargs=page.kwargs))
                names = [t.name for t in response.templates]
                self.assertIn("reports/_table.html", names)
                sources = {
                    t.name: Path(t.origin.name).read_text(encoding="utf-8")
                    for t in response.templates
                    if t.origin is not None and t.name != "reports/_table.html"
                }
                # The page's own template is the one that includes the shared table.
                own = [n for n, s in sources.items() if "reports/_table.html" in s]
                self.assertEqual(len(own), 1, sources.keys())
                for mark in ("<th", "<thead"):
                    self.assertNotIn(mark, sources[own[0]], f"{own[0]} has a column")

    def test_a_column_added_to_the_declaration_shows_on_the_page_and_sheet(
        self,
    ) -> None:
        extra: Column[Any] = Column("核对列", lambda w: f"核对-{w.name}")
        wider = dataclasses.replace(WOMEN, columns=(*WOMEN.columns, extra))
        self.client.force_login(self.cun_a)
        with mock.patch("srbgov.people.views.WOMEN", wider):
            html = self.client.get(reverse("people:woman_list")).content.decode()
            response = self.client.get(reverse("people:woman_export"))
        table = export_table(html, WOMEN.object_type)
        self.assertEqual(table.headers[-1], "核对列")
        self.assertIn("核对-吴桂英", [row[-1] for row in table.rows])
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][-1], "核对列")
        self.assertIn("核对-吴桂英", [r[-1] for r in rows[1:]])

    def test_the_pages_keep_their_links_and_masked_numbers(self) -> None:
        self.client.force_login(self.cun_a)
        html = self.client.get(reverse("people:woman_list")).content.decode()
        woman = self.world["woman"]
        self.assertIn(reverse("people:woman_detail", args=[woman.pk]), html)
        self.assertIn('class="id-masked"', html)
        self.client.force_login(self.health_a)
        html = self.client.get(reverse("providers:termination_list")).content.decode()
        termination = self.world["termination"]
        self.assertIn(
            reverse("providers:termination_detail", args=[termination.pk]), html
        )
        # 16 weeks and no county verification: the page and the sheet both say so.
        self.assertIn("缺查验", html)

    def test_an_empty_list_says_what_to_do_next(self) -> None:
        self.client.force_login(self.cun_b)
        response = self.client.get(reverse("pregnancies:infant_death_list"))
        self.assertContains(response, '<p class="empty">本辖区没有婴儿死亡报告。</p>')
        self.assertNotContains(response, "data-export=")


@given(st.dates())
def test_a_page_shows_a_date_as_the_sheet_writes_it(day: date) -> None:
    assert date.fromisoformat(page_text(day)) == day


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2),  # noqa: DTZ001 (hypothesis bounds are naive)
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.just(timezone.get_fixed_timezone(480)),
    )
)
def test_a_page_shows_a_time_in_local_time_to_the_minute(moment: datetime) -> None:
    text = page_text(moment)
    assert len(text) == len("2026-12-01 10:00")
    shown = datetime.fromisoformat(text)
    local = timezone.localtime(moment)
    assert shown == local.replace(tzinfo=None, second=0, microsecond=0)


@given(st.one_of(st.none(), st.just(""), st.text(min_size=1), st.integers()))
def test_a_page_cell_is_text_and_nothing_is_a_dash(value: object) -> None:
    shown = page_text(value)
    assert isinstance(shown, str)
    assert (shown == EMPTY) == (value is None or value == "") or value == EMPTY


def test_a_page_keeps_markup_the_declaration_marked_safe() -> None:
    cell = SafeString("<table class='changes'></table>")
    assert page_text(cell) is cell
