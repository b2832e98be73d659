"""The assessment's and the organisation's records in the scope matrix's world
(core/tests/scope_world.py): all in 甲镇/一村, so that outsiders are computed from the
areas (docs/access.md §6)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from srbgov.assessment.models import Indicator, Rectification
from srbgov.providers.tests.builders import pdf_upload
from srbgov.testing import Personas
from srbgov.villagereports.models import MonthlyReport
from srbgov.villagereports.queries import previous_month
from srbgov.workplans import services as workplans
from srbgov.workplans.models import Body, PlanTask, WorkPlan


def assessment_records(p: type[Personas]) -> dict[str, models.Model]:
    today = timezone.localdate()
    plan = WorkPlan.objects.create(
        area=p.town_a,
        title="甲镇综合治理出生人口性别比工作方案",
        year=today.year,
        goals="登记上报及时达85%。",
        mobilise_starts_on=today,
        mobilise_ends_on=today + timedelta(days=10),
        implement_starts_on=today + timedelta(days=11),
        implement_ends_on=today + timedelta(days=100),
        review_starts_on=today + timedelta(days=101),
        review_ends_on=today + timedelta(days=120),
        report_due_on=today + timedelta(days=125),
        created_by=p.zhen_a,
    )
    member = workplans.add_member(
        by=p.zhen_a, area=p.town_a, body=Body.DEPARTMENT, name="甲镇卫生院"
    )
    book = workplans.draft_book(
        by=p.zhen_a, issuer=p.town_a, year=today.year, party_area=p.village_a
    )
    meeting = workplans.record_meeting(
        by=p.zhen_a,
        area=p.town_a,
        held_on=today,
        convener="镇长",
        topics="“两非”线索排查",
        decisions="派出所牵头核查",
        attendees=[member],
    )
    visit = workplans.record_supervision(
        by=p.zhen_a,
        area=p.town_a,
        visited_area=p.village_a,
        visited_on=today,
        team="镇计生办",
        findings="随访记录不全",
        items=[("补齐随访记录", today + timedelta(days=30))],
    )
    return {
        "responsibility_book": workplans.sign_book(
            by=p.zhen_a,
            book=book,
            signed_on=today,
            signer_name="一村主任",
            scan=pdf_upload("责任书.pdf"),
        ),
        "joint_meeting": meeting,
        "supervision_visit": visit,
        "supervision_item": visit.items.get(),
        "work_plan": plan,
        "plan_task": PlanTask.objects.create(
            plan=plan,
            phase="mobilise",
            department="计生办",
            description="印发实施方案",
            owner=p.zhen_a,
            owner_name="甲镇计生办",
            due_on=today + timedelta(days=5),
        ),
        "indicator": Indicator.objects.create(
            county=p.county,
            year=today.year,
            level="village",
            kind="on_time_registration",
            name="孕情登记上报及时率",
            target=85,
            weight=25,
        ),
        "rectification": Rectification.objects.create(
            area=p.village_a,
            year=today.year,
            reason="孕情登记上报及时率：2/3，例数少，目标 ≥85%",
            deadline=today + timedelta(days=30),
            created_by=p.zhen_a,
        ),
        "monthly_report": MonthlyReport.objects.create(
            village=p.village_a, month=previous_month(today), created_by=p.cun_a
        ),
    }
