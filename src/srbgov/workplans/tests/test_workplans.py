"""Work plans: phases in order, tasks with owners, progress, overdue tasks for their owner,
the plan as a .docx (docs/assessment.md)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from srbgov.core.home import figures_for
from srbgov.testing import BaseTestCase, covers_scope
from srbgov.workplans import access, services
from srbgov.workplans.models import Body, WorkPlan

TODAY = date(2026, 5, 10)


def plan_dates(start: date) -> dict[str, date]:
    return {
        "mobilise_starts_on": start,
        "mobilise_ends_on": start + timedelta(days=20),
        "implement_starts_on": start + timedelta(days=30),
        "implement_ends_on": start + timedelta(days=180),
        "review_starts_on": start + timedelta(days=181),
        "review_ends_on": start + timedelta(days=200),
        "report_due_on": start + timedelta(days=210),
    }


@time_machine.travel(TODAY, tick=False)
class WorkPlanTests(BaseTestCase):
    def make_plan(self) -> WorkPlan:
        return services.create_plan(
            by=self.zhen_a,
            area=self.town_a,
            title="甲镇2026年综合治理出生人口性别比工作方案",
            year=2026,
            goals="登记上报及时达85%；随访服务率100%。",
            **plan_dates(date(2026, 4, 1)),
        )

    def test_phases_must_follow_each_other(self) -> None:
        dates = plan_dates(date(2026, 4, 1))
        dates["implement_starts_on"] = date(2026, 3, 1)
        with self.assertRaises(ValidationError):
            services.create_plan(
                by=self.zhen_a,
                area=self.town_a,
                title="x",
                year=2026,
                goals="x",
                **dates,
            )

    def test_overdue_tasks_show_on_their_owner_home_page_until_done(self) -> None:
        plan = self.make_plan()
        task = services.add_task(
            by=self.zhen_a,
            plan=plan,
            phase="mobilise",
            department="计生办",
            description="印发实施方案",
            owner=self.cun_a,
            owner_name="一村计生专干",
            due_on=TODAY - timedelta(days=1),
        )
        assert list(access.overdue_tasks_for(self.cun_a)) == [task]
        assert list(access.overdue_tasks_for(self.cun_b)) == []
        figures = {key: value for key, value, _url, _label in figures_for(self.cun_a)}
        assert figures["workplans_overdue_tasks"] == 1
        services.report_progress(by=self.cun_a, task=task, progress=100, note="已印发")
        assert list(access.overdue_tasks_for(self.cun_a)) == []
        with self.assertRaises(ValidationError):
            services.add_task(
                by=self.zhen_a,
                plan=plan,
                phase="review",
                department="派出所",
                description="x",
                owner=self.other_xian,
                owner_name="x",
                due_on=TODAY,
            )

    @covers_scope(
        "workplans:plan_detail", "workplans:task_progress", "workplans:plan_list"
    )
    def test_outsiders_get_404_and_the_plan_downloads(self) -> None:
        plan = self.make_plan()
        task = services.add_task(
            by=self.zhen_a,
            plan=plan,
            phase="implement",
            department="卫生院",
            description="B超室张贴警示标志",
            owner_name="卫生院院长",
            due_on=TODAY + timedelta(days=30),
        )
        services.add_member(
            by=self.zhen_a,
            area=self.town_a,
            body=Body.LEADING_GROUP,
            name="张三",
            position="组长",
        )
        for user in (self.zhen_b, self.other_xian, self.cun_a):
            self.login(user)
            assert (
                self.client.get(
                    reverse("workplans:plan_detail", args=[plan.pk])
                ).status_code
                == 404
            )
            assert (
                self.client.post(
                    reverse("workplans:task_progress", args=[task.pk])
                ).status_code
                == 404
            )
        self.login(self.police_a)
        assert self.client.get(reverse("workplans:plan_list")).status_code == 404
        self.login(self.zhen_a)
        url = reverse("assessment:document_draft", args=["work-plan"])
        form = self.client.get(url, {"plan": plan.pk}).context["form"]
        data = {
            k: form.initial[k]
            for k in ("issuer", "title", "body", "signatory", "addressee")
        }
        response = self.client.post(
            f"{url}?plan={plan.pk}", data | {"number": "", "date": "2026-05-10"}
        )
        doc = Document(io.BytesIO(response.content))
        texts = [p.text for p in doc.paragraphs]
        assert "一、工作目标" in texts and "三、任务分工" in texts
        assert doc.tables[0].rows[1].cells[2].text == "B超室张贴警示标志"
