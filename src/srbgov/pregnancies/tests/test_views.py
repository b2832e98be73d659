from __future__ import annotations

import io
import json
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.accounts.models import User
from srbgov.audit.models import AuditEntry
from srbgov.people.models import Child, Woman
from srbgov.people.services import ChildData
from srbgov.pregnancies import services
from srbgov.pregnancies.models import (
    Birth,
    Outcome,
    OutcomeKind,
    Pregnancy,
    SchedulePolicy,
    Visit,
)
from srbgov.pregnancies.nightly import raise_alerts
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.schedules import NATIONAL, policy_to_dict
from srbgov.testing import BaseTestCase, covers_scope, make_woman

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 17)  # a Wednesday


def sheet_rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


@time_machine.travel(datetime(2026, 6, 17, 9, 0, tzinfo=TZ), tick=False)
class FollowUpPagesTests(BaseTestCase):
    fang: ClassVar[Woman]
    pregnancy: ClassVar[Pregnancy]
    outcome: ClassVar[Outcome]
    birth: ClassVar[Birth]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(
            by=cls.cun_a,
            village=cls.village_a,
            name="王芳",
            children=[ChildData(birth_on=date(2026, 1, 5), sex="F")],
        )
        cls.pregnancy = make_pregnancy(by=cls.cun_a, woman=cls.fang, weeks=26)
        juan = make_woman(by=cls.cun_a, village=cls.village_a, name="李娟")
        ended = make_pregnancy(by=cls.cun_a, woman=juan, weeks=30)
        cls.outcome = services.record_outcome(
            by=cls.cun_a,
            pregnancy=ended,
            kind=OutcomeKind.LIVE_BIRTH,
            occurred_on=TODAY,
            children=[services.BirthData(sex="M")],
        )
        cls.birth = cls.outcome.births.get()
        min_ = make_woman(by=cls.cun_a, village=cls.village_a, name="刘敏")
        make_pregnancy(by=cls.cun_a, woman=min_, weeks=30)
        raise_alerts(TODAY)

    def test_it_lists_overdue_worst_first_and_exports_it(self) -> None:
        self.login(self.cun_a)
        page = self.client.get(reverse("pregnancies:worklist", args=["overdue"]))
        self.assertContains(page, "王芳")
        export = self.client.get(
            reverse("pregnancies:worklist_export", args=["overdue"])
        )
        rows = sheet_rows(export.content)
        assert rows[0][0] == "姓名"
        # 刘敏 (30 weeks, never visited) has missed more visits than 王芳 (26 weeks);
        # 李娟 gave birth: her missed antenatal visits can no longer be made.
        assert [r[0] for r in rows[1:]] == ["刘敏", "王芳"]
        missed = [int(str(r[10])) for r in rows[1:]]
        assert missed == sorted(missed, reverse=True)
        assert AuditEntry.objects.filter(action="export").exists()

    def test_it_shows_past_due_and_due_this_week_lists(self) -> None:
        self.login(self.zhen_a)
        for slug in ("due-this-week", "past-due"):
            response = self.client.get(reverse("pregnancies:worklist", args=[slug]))
            assert response.status_code == 200
        export = self.client.get(reverse("pregnancies:pregnancy_export"))
        names = {r[0] for r in sheet_rows(export.content)[1:]}
        assert names == {"王芳", "李娟", "刘敏"}

    def test_it_shows_the_schedule_as_a_timeline_and_logs_the_read(self) -> None:
        self.login(self.cun_a)
        response = self.client.get(
            reverse("pregnancies:pregnancy_detail", args=[self.pregnancy.pk])
        )
        self.assertContains(response, 'class="window')
        self.assertContains(response, "逾期")
        assert AuditEntry.objects.filter(
            action="read", object_type="pregnancies.pregnancy"
        ).exists()

    def test_it_registers_a_pregnancy_from_the_form(self) -> None:
        juan = make_woman(by=self.cun_a, village=self.village_a, name="赵敏")
        self.login(self.cun_a)
        picked = self.client.get(reverse("pregnancies:pregnancy_register"), {"q": "赵"})
        self.assertContains(picked, "赵敏")
        response = self.client.post(
            reverse("pregnancies:pregnancy_register"),
            {
                "woman": juan.pk,
                "lmp_on": "2026-05-01",
                "responsible_persons": "王芳",
            },
        )
        self.assertContains(response, "至少需要两人")
        response = self.client.post(
            reverse("pregnancies:pregnancy_register"),
            {
                "woman": juan.pk,
                "lmp_on": "2026-05-01",
                "responsible_persons": "王芳 李娟",
            },
        )
        p = Pregnancy.objects.get(woman=juan)
        self.assertRedirects(
            response, reverse("pregnancies:pregnancy_detail", args=[p.pk])
        )
        assert p.due_on == date(2027, 2, 5)

    def test_it_records_a_visit_from_the_phone_form(self) -> None:
        self.login(self.cun_a)
        url = reverse("pregnancies:visit_create", args=[self.pregnancy.pk])
        response = self.client.post(
            url,
            {
                "visited_on": "2026-06-16",
                "visitors": "王芳、李娟",
                "mode": "phone",
                "finding": "pregnant",
            },
        )
        assert response.status_code == 302
        assert Visit.objects.filter(pregnancy=self.pregnancy, mode="phone").exists()

    def test_it_records_an_infant_death_and_lists_it(self) -> None:
        child = Child.objects.get(mother=self.fang)
        self.login(self.cun_a)
        self.assertContains(
            self.client.get(reverse("pregnancies:infant_death_list")), "登记死亡"
        )
        response = self.client.post(
            reverse("pregnancies:infant_death_create", args=[child.pk]),
            {"died_on": "2026-06-17", "died_time": "07:30", "cause": "肺炎"},
        )
        assert response.status_code == 302
        rows = sheet_rows(
            self.client.get(reverse("pregnancies:infant_death_export")).content
        )
        assert rows[1][0] == "王芳"

    def test_it_adds_a_missing_birth_certificate_and_approval(self) -> None:
        self.login(self.cun_a)
        self.client.post(
            reverse("pregnancies:birth_certificate", args=[self.birth.pk]),
            {"number": "Q520999"},
        )
        self.birth.refresh_from_db()
        assert self.birth.birth_certificate_number == "Q520999"
        response = self.client.post(
            reverse("pregnancies:termination_approval", args=[self.outcome.pk]),
            {"reference": "X1"},
        )
        assert response.status_code == 302  # refused with a message: not a termination
        self.outcome.refresh_from_db()
        assert self.outcome.approval_reference == ""

    def test_the_county_officer_switches_a_township_to_the_national_policy(
        self,
    ) -> None:
        self.login(self.xian)
        self.assertContains(self.client.get(reverse("pregnancies:policy_list")), "甲镇")
        url = reverse("pregnancies:policy_edit", args=[self.town_a.pk])
        bad = self.client.post(url, {"policy": '{"format": 1}'})
        self.assertContains(bad, "随访规则有误")
        response = self.client.post(url, {"start_from": NATIONAL.key, "policy": "{}"})
        assert response.status_code == 302
        assert SchedulePolicy.objects.get(area=self.town_a).data == policy_to_dict(
            NATIONAL
        )
        self.pregnancy.refresh_from_db()
        assert self.pregnancy.policy_key == NATIONAL.key
        edited = json.dumps(policy_to_dict(NATIONAL))
        assert self.client.post(url, {"policy": edited}).status_code == 302

    @covers_scope(
        "pregnancies:pregnancy_detail",
        "pregnancies:visit_create",
        "pregnancies:outcome_create",
        "pregnancies:birth_certificate",
        "pregnancies:termination_approval",
        "pregnancies:infant_death_create",
    )
    def test_anyone_outside_her_village_township_or_county_gets_404(self) -> None:
        child = Child.objects.get(mother=self.fang)
        urls = [
            ("get", reverse("pregnancies:pregnancy_detail", args=[self.pregnancy.pk])),
            ("get", reverse("pregnancies:visit_create", args=[self.pregnancy.pk])),
            ("get", reverse("pregnancies:outcome_create", args=[self.pregnancy.pk])),
            ("post", reverse("pregnancies:birth_certificate", args=[self.birth.pk])),
            (
                "post",
                reverse("pregnancies:termination_approval", args=[self.outcome.pk]),
            ),
            ("get", reverse("pregnancies:infant_death_create", args=[child.pk])),
        ]
        outsiders: list[User] = [
            self.cun_b,
            self.zhen_b,
            self.other_xian,
            self.auditor,
            self.admin,
            self.police_a,
            self.health_a,
            self.tips,
        ]
        for user in outsiders:
            self.login(user)
            for method, url in urls:
                response = getattr(self.client, method)(url, {"number": "X"})
                assert response.status_code == 404, (user, url)
        assert self.birth.birth_certificate_number == ""

    @covers_scope(
        "pregnancies:pregnancy_list",
        "pregnancies:pregnancy_export",
        "pregnancies:pregnancy_register",
        "pregnancies:worklist",
        "pregnancies:worklist_export",
        "pregnancies:infant_death_list",
        "pregnancies:infant_death_export",
    )
    def test_lists_show_only_ones_area_and_other_roles_get_404(self) -> None:
        self.login(self.cun_b)
        response = self.client.get(reverse("pregnancies:worklist", args=["overdue"]))
        self.assertNotContains(response, "王芳")
        rows = sheet_rows(
            self.client.get(reverse("pregnancies:pregnancy_export")).content
        )
        assert len(rows) == 1
        self.login(self.other_xian)
        self.assertNotContains(
            self.client.get(reverse("pregnancies:pregnancy_list")), "王芳"
        )
        names = [
            reverse("pregnancies:pregnancy_list"),
            reverse("pregnancies:pregnancy_export"),
            reverse("pregnancies:pregnancy_register"),
            reverse("pregnancies:worklist", args=["overdue"]),
            reverse("pregnancies:worklist_export", args=["overdue"]),
            reverse("pregnancies:infant_death_list"),
            reverse("pregnancies:infant_death_export"),
        ]
        for user in (self.auditor, self.admin, self.police_a, self.health_a, self.tips):
            self.login(user)
            for url in names:
                assert self.client.get(url).status_code == 404, (user, url)
        self.login(self.cun_b)
        register = reverse("pregnancies:pregnancy_register")
        assert self.client.get(register, {"woman": self.fang.pk}).status_code == 404

    @covers_scope("pregnancies:policy_list", "pregnancies:policy_edit")
    def test_only_the_county_officer_edits_policies_of_their_county(self) -> None:
        for user in (self.cun_a, self.zhen_a, self.admin, self.auditor):
            self.login(user)
            assert (
                self.client.get(reverse("pregnancies:policy_list")).status_code == 404
            )
            url = reverse("pregnancies:policy_edit", args=[self.town_a.pk])
            assert self.client.get(url).status_code == 404
        self.login(self.other_xian)
        url = reverse("pregnancies:policy_edit", args=[self.town_a.pk])
        assert self.client.get(url).status_code == 404
        self.login(self.xian)
        url = reverse("pregnancies:policy_edit", args=[self.village_a.pk])
        assert self.client.get(url).status_code == 404
