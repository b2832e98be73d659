"""Scorecards from srbgov's own records, their pages, drill-down, export, rectification and
documents (docs/assessment.md)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import time_machine
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from srbgov.assessment import services
from srbgov.assessment.indicators import Period
from srbgov.assessment.models import Level, Rectification, RectificationStatus, VetoKind
from srbgov.assessment.scorecard import build_scorecard
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.pregnancies.models import Pregnancy, Visit
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, covers_scope, make_woman
from srbgov.tips.models import Category
from srbgov.tips.tests.builders import file_tip

TODAY = date(2026, 11, 20)


def pregnancies(test: Any, village: Any, *, n: int, late: int, visited: int) -> None:
    worker = test.cun_a if village == test.village_a else test.cun_b
    for i in range(n):
        woman = make_woman(by=worker, village=village, name=f"测试{village.name}{i}")
        registered = date(2026, 3, 1) + timedelta(days=i)
        p = make_pregnancy(
            by=worker,
            woman=woman,
            lmp_on=registered - timedelta(weeks=8),
            registered_on=registered,
            visits=[registered + timedelta(days=7)] if i < visited else [],
        )
        if i < late:
            Pregnancy.objects.filter(pk=p.pk).update(is_late_registration=True)


@time_machine.travel(TODAY, tick=False)
class ScorecardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with time_machine.travel(TODAY, tick=False):
            pregnancies(cls, cls.village_a, n=3, late=1, visited=2)
            pregnancies(cls, cls.village_b, n=12, late=0, visited=12)
            file_tip(cls.county, place_area=cls.village_b, category=Category.DRUG_SALE)
            file_tip(cls.county, place_area=cls.village_a, category=Category.OTHER)

    def card(self, area: Any = None, month: int = 0) -> Any:
        return build_scorecard(
            area=area or self.town_a, level=Level.VILLAGE, period=Period.of(2026, month)
        )

    def cell(self, card: Any, village: Any, kind: str) -> Any:
        row = next(r for r in card.rows if r.unit == village)
        return next(c for c in row.cells if c.indicator.kind == kind)

    def test_figures_are_counted_from_the_records_with_their_cases(self) -> None:
        card = self.card()
        a = self.cell(card, self.village_a, "on_time_registration")
        assert (a.figure.numerator, a.figure.denominator) == (2, 3)
        assert a.figure.met is False
        assert "2/3" in a.text and "例数少" in a.text and "%" not in a.text
        b = self.cell(card, self.village_b, "on_time_registration")
        assert (b.figure.numerator, b.figure.denominator) == (12, 12)
        assert b.text == "100.0%（12/12）"
        follow = self.cell(card, self.village_a, "followup_coverage")
        assert (follow.figure.numerator, follow.figure.denominator) == (2, 3)
        # a "两非" lead in 二村; the "other" tip in 一村 is not one
        assert self.cell(card, self.village_b, "liangfei_leads").figure.numerator == 1
        assert self.cell(card, self.village_a, "liangfei_leads").figure.met is False

    def test_a_visit_recorded_today_counts_today(self) -> None:
        p = Pregnancy.objects.filter(village=self.village_a).order_by("id").last()
        assert p is not None
        Visit.objects.create(
            pregnancy=p,
            visited_on=TODAY,
            visitors="王芳、李娟",
            mode="home",
            finding="pregnant",
            recorded_by=self.cun_a,
        )
        follow = self.cell(self.card(), self.village_a, "followup_coverage")
        assert (follow.figure.numerator, follow.figure.denominator) == (3, 3)

    def test_ranks_within_the_township_and_a_veto_cancels(self) -> None:
        card = self.card()
        ranks = {r.unit: r.rank for r in card.rows}
        assert ranks[self.village_b] == 1 and ranks[self.village_a] == 2
        services.record_veto(
            by=self.zhen_a,
            village=self.village_b,
            kind=VetoKind.SEX_IDENTIFICATION,
            confirmed_on=TODAY - timedelta(days=3),
            description="查实村内诊所非法鉴定胎儿性别。",
        )
        card = self.card()
        row_b = next(r for r in card.rows if r.unit == self.village_b)
        assert row_b.total.vetoed and row_b.rank is None and row_b.weak
        assert next(r for r in card.rows if r.unit == self.village_a).rank == 1

    def test_the_township_level_pools_its_villages(self) -> None:
        card = build_scorecard(
            area=self.county, level=Level.TOWNSHIP, period=Period.of(2026)
        )
        row = next(r for r in card.rows if r.unit == self.town_a)
        cell = next(c for c in row.cells if c.indicator.kind == "on_time_registration")
        assert (cell.figure.numerator, cell.figure.denominator) == (14, 15)
        leads = next(c for c in row.cells if c.indicator.kind == "liangfei_leads")
        assert (leads.figure.numerator, leads.figure.denominator) == (1, 2)

    def test_the_query_count_does_not_grow_with_the_villages(self) -> None:
        build_scorecard(area=self.county, level=Level.VILLAGE, period=Period.of(2026))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            build_scorecard(
                area=self.town_a, level=Level.VILLAGE, period=Period.of(2026)
            )
        with CaptureQueriesContext(connection) as many:
            build_scorecard(
                area=self.county, level=Level.VILLAGE, period=Period.of(2026)
            )
        assert len(many) == len(few)

    def test_the_township_officer_sees_the_scorecard_and_drills_down(self) -> None:
        self.login(self.zhen_a)
        page = self.client.get(reverse("assessment:scorecard"), {"year": 2026})
        assert page.status_code == 200
        html = page.content.decode()
        assert "一村" in html and "二村" in html and "三村" not in html
        records = self.client.get(
            reverse("assessment:indicator_records"),
            {
                "area": str(self.village_a.pk),
                "kind": "on_time_registration",
                "year": "2026",
            },
        )
        assert records.status_code == 200
        rows = records.context["rows"]
        assert len(rows) == 3 and sum(r.counted for r in rows) == 2
        assert all(r.url.startswith("/pregnancies/") for r in rows)

    @covers_scope(
        "assessment:scorecard",
        "assessment:scorecard_export",
        "assessment:indicator_records",
        "assessment:rectification_detail",
        "assessment:rectification_explain",
        "assessment:rectification_review",
        "assessment:document_draft",
    )
    def test_outsiders_get_404(self) -> None:
        task = self._open_task()
        for user in (self.zhen_b, self.other_xian, self.cun_b):
            self.login(user)
            checks: list[tuple[str, dict[str, Any]]] = [
                (reverse("assessment:scorecard"), {"area": self.village_a.pk}),
                (reverse("assessment:scorecard_export"), {"area": self.village_a.pk}),
                (
                    reverse("assessment:indicator_records"),
                    {"area": self.village_a.pk, "kind": "on_time_registration"},
                ),
                (reverse("assessment:rectification_detail", args=[task.pk]), {}),
                (
                    reverse("assessment:document_draft", args=["scorecard"]),
                    {"area": self.village_a.pk},
                ),
            ]
            for url, params in checks:
                assert self.client.get(url, params).status_code == 404, (user, url)
            for name in (
                "assessment:rectification_explain",
                "assessment:rectification_review",
            ):
                assert (
                    self.client.post(reverse(name, args=[task.pk])).status_code == 404
                )
        self.login(self.police_a)
        assert self.client.get(reverse("assessment:scorecard")).status_code == 404

    def test_the_export_holds_the_page_figures_and_is_audited(self) -> None:
        self.login(self.zhen_a)
        response = self.client.get(
            reverse("assessment:scorecard_export"), {"year": 2026}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert "2/3，例数少" in rows["一村"]
        assert "100.0%（12/12）" in rows["二村"]
        assert AuditEntry.objects.filter(
            action=AuditAction.EXPORT, object_type="assessment.scorecard"
        ).exists()

    def _open_task(self) -> Rectification:
        opened = services.open_rectifications(
            by=self.zhen_a, scorecard=self.card(), deadline=TODAY + timedelta(days=30)
        )
        return next(t for t in opened if t.area == self.village_a)

    def test_weak_villages_explain_and_the_township_reviews(self) -> None:
        self.login(self.zhen_a)
        response = self.client.post(
            reverse("assessment:rectification_open") + "?year=2026",
            {"deadline": f"{TODAY + timedelta(days=30):%Y-%m-%d}"},
        )
        assert response.status_code == 302
        task = Rectification.objects.get(area=self.village_a, year=2026, month=0)
        assert "孕情登记上报及时率" in task.reason
        # opening again opens nothing more (idempotent)
        self.client.post(
            reverse("assessment:rectification_open") + "?year=2026",
            {"deadline": f"{TODAY + timedelta(days=30):%Y-%m-%d}"},
        )
        assert Rectification.objects.filter(area=self.village_a).count() == 1
        self.login(self.cun_a)
        self.client.post(
            reverse("assessment:rectification_explain", args=[task.pk]),
            {"explanation": "一例外出务工未及时登记。", "measures": "每月入户核查。"},
        )
        task.refresh_from_db()
        assert task.status == RectificationStatus.SUBMITTED
        self.login(self.zhen_a)
        self.client.post(
            reverse("assessment:rectification_review", args=[task.pk]),
            {"accept": "0", "comment": "请写明责任人。"},
        )
        task.refresh_from_db()
        assert task.status == RectificationStatus.RETURNED
        self.client.post(
            reverse("assessment:rectification_review", args=[task.pk]),
            {"accept": "1", "comment": ""},
        )
        task.refresh_from_db()
        assert task.status == RectificationStatus.RETURNED  # not submitted: refused
        Rectification.objects.filter(pk=task.pk).update(
            deadline=TODAY - timedelta(days=1)
        )
        page = self.client.get(reverse("assessment:rectification_list"))
        assert task in page.context["overdue"]

    def test_the_year_summary_docx_carries_the_database_figures(self) -> None:
        self.login(self.zhen_a)
        url = reverse("assessment:document_draft", args=["year-summary"])
        draft = self.client.get(url, {"year": 2026})
        form = draft.context["form"]
        body = form.initial["body"]
        assert "全年登记孕情15例，其中怀孕4个月内及时登记14例" in body
        data = {k: form.initial[k] for k in ("issuer", "title", "signatory")}
        data.update(number="甲政发〔2026〕9号", addressee="", date="2026-11-20")
        data["body"] = body.replace(
            "（请补充本年宣传活动的形式、次数和覆盖面。）", "张贴标语60余幅。"
        )
        response = self.client.post(url + "?year=2026", data | {"docx": "1"})
        assert response["Content-Type"].startswith("application/vnd.openxml")
        doc = Document(io.BytesIO(response.content))
        texts = [p.text for p in doc.paragraphs]
        assert "一、加大宣传力度，营造舆论氛围" in texts
        assert "张贴标语60余幅。" in texts
        assert any("登记孕情15例" in t for t in texts)
        assert doc.paragraphs[0].runs[0].font.color.rgb is not None
        footer = doc.sections[0].footer.paragraphs[0]
        assert [i.text.strip() for i in footer._p.iter(qn("w:instrText"))] == ["PAGE"]
        table = doc.tables[0]
        assert table.rows[0].cells[0].text == "单位"
        assert AuditEntry.objects.filter(
            action=AuditAction.EXPORT, object_type="assessment.document.year-summary"
        ).exists()

    def test_the_county_officer_adopts_and_edits_indicators(self) -> None:
        self.login(self.xian)
        self.client.post(
            reverse("assessment:indicator_adopt"), {"year": 2026, "level": "village"}
        )
        from srbgov.assessment.models import Indicator

        item = Indicator.objects.get(
            county=self.county, year=2026, level="village", kind="on_time_registration"
        )
        response = self.client.post(
            reverse("assessment:indicator_edit", args=[item.pk]),
            {
                "year": 2026,
                "level": "village",
                "kind": "on_time_registration",
                "name": "登记及时率",
                "target": "60",
                "weight": "25",
                "rule": "threshold",
                "position": "0",
            },
        )
        assert response.status_code == 302
        # 2/3 = 66.7 % now meets the lowered target
        assert (
            self.cell(self.card(), self.village_a, "on_time_registration").figure.met
            is True
        )
        self.login(self.zhen_a)
        assert self.client.get(reverse("assessment:indicator_list")).status_code == 404


class ListScopeTests(BaseTestCase):
    @covers_scope(
        "assessment:document_list",
        "assessment:indicator_adopt",
        "assessment:indicator_create",
        "assessment:indicator_edit",
        "assessment:indicator_list",
        "assessment:rectification_export",
        "assessment:rectification_list",
        "assessment:rectification_open",
        "assessment:veto_create",
        "assessment:veto_export",
        "assessment:veto_list",
        "workplans:task_export",
    )
    def test_roles_without_the_pages_get_404_and_lists_stay_in_the_area(self) -> None:
        from srbgov.assessment.models import Indicator

        services.record_veto(
            by=self.zhen_a,
            village=self.village_a,
            kind=VetoKind.INFANT_HARM,
            confirmed_on=date(2026, 1, 5),
            description="查实遗弃女婴。",
        )
        indicator = Indicator.objects.create(
            county=self.county,
            year=2026,
            level="village",
            kind="on_time_registration",
            name="登记及时率",
            target=85,
            weight=25,
        )
        gets = [
            "assessment:document_list",
            "assessment:indicator_create",
            "assessment:indicator_list",
            "assessment:rectification_export",
            "assessment:rectification_list",
            "assessment:veto_create",
            "assessment:veto_export",
            "assessment:veto_list",
            "workplans:task_export",
        ]
        posts = ["assessment:indicator_adopt", "assessment:rectification_open"]
        self.login(self.police_a)
        for name in gets:
            assert self.client.get(reverse(name)).status_code == 404, name
        for name in posts:
            assert self.client.post(reverse(name)).status_code == 404, name
        self.login(self.other_xian)
        edit = reverse("assessment:indicator_edit", args=[indicator.pk])
        assert self.client.get(edit).status_code == 404
        assert (
            list(self.client.get(reverse("assessment:veto_list")).context["page"]) == []
        )
        self.login(self.zhen_b)
        assert (
            list(self.client.get(reverse("assessment:veto_list")).context["page"]) == []
        )
        self.login(self.zhen_a)
        assert (
            len(self.client.get(reverse("assessment:veto_list")).context["page"]) == 1
        )
        for name in ("assessment:indicator_list", "assessment:indicator_create"):
            assert self.client.get(reverse(name)).status_code == 404
        sheet = self.client.get(reverse("assessment:veto_export"))
        rows = list(
            load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
        )
        assert rows[1][0] == "一村"
