"""The homes of the police, the tip officer and the county (docs/homes.md): each
number is the row count of the list it links to, other areas see none of it, and
the county's SRB summary says what the figure means."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from srbgov.accounts.models import User
from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.core.home import HomeRow
from srbgov.monitoring.counts import rebuild_birth_counts
from srbgov.monitoring.home import verdict_sentence
from srbgov.monitoring.queries import SrbRow
from srbgov.monitoring.tests.builders import ended_outcome, make_birth
from srbgov.oversight import services as cases
from srbgov.oversight.models import CaseSource, Department, SubjectKind
from srbgov.oversight.tests.builders import make_campaign
from srbgov.providers.services import registry
from srbgov.providers.tests.builders import (
    days_ago,
    make_facility,
    make_practitioner,
    make_verification,
)
from srbgov.stats import SrbClass
from srbgov.testing import BaseTestCase, make_id_number, make_woman
from srbgov.tips import services as tips
from srbgov.tips.tests.builders import file_tip


class RoleHomeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        # Alerts: two on 甲镇's villages, one on 甲镇 itself, one on 乙镇's village.
        for i, area in enumerate(
            (cls.village_a, cls.village_b, cls.town_a, cls.village_c)
        ):
            raise_alert(
                kind=AlertKind.VISIT_OVERDUE,
                area=area,
                subject_type="pregnancies.pregnancy",
                subject_id=f"t-{i}",
                summary="随访逾期",
            )
        # Cases of 甲镇: one with an open police task, one with a health-center task
        # only, one whose police task is done.
        made = []
        for title in ("B超鉴定", "药品流向", "已办结"):
            made.append(
                cases.open_case(
                    by=cls.zhen_a,
                    area=cls.town_a,
                    title=title,
                    source=CaseSource.TIP,
                    tip_reference="JB-1",
                    summary="举报称有人鉴定胎儿性别",
                    subject_kind=SubjectKind.UNKNOWN,
                )
            )
        due = today + timedelta(days=7)
        cases.add_case_task(
            by=cls.zhen_a,
            case=made[0],
            department=Department.POLICE,
            description="调取监控",
            due_on=due,
        )
        cases.add_case_task(
            by=cls.zhen_a,
            case=made[1],
            department=Department.HEALTH_CENTER,
            description="核对药品",
            due_on=due,
        )
        done = cases.add_case_task(
            by=cls.zhen_a,
            case=made[2],
            department=Department.POLICE,
            description="询问当事人",
            due_on=due,
        )
        cases.complete_task(by=cls.police_a, task=done, result="已询问", done_on=today)
        # Tips: the reporter wrote last on one; the officer asked last on another.
        waiting = file_tip(cls.county).tip
        tips.ask_reporter(by=cls.tips, tip=waiting, body="请说明诊所位置")
        tips.reporter_reply(tip=waiting, body="在镇东头")
        answered = file_tip(cls.county).tip
        tips.reporter_reply(tip=answered, body="补充：晚上营业")
        tips.ask_reporter(by=cls.tips, tip=answered, body="收到，谢谢")
        file_tip(cls.county)
        # Campaigns this year: two by the county.
        for name in ("春季专项整治", "夏季专项整治"):
            make_campaign(by=cls.xian, name=name, starts=date(today.year, 1, 5))

    def home(self, username: str) -> dict[str, list[HomeRow]]:
        self.client.force_login(User.objects.get(username=username))
        page = self.client.get(reverse("core:home"))
        self.assertEqual(page.status_code, 200)
        return {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }

    def assert_rows_listed(self, rows: list[HomeRow]) -> None:
        for row in rows:
            listed = self.client.get(row.url)
            self.assertEqual(listed.status_code, 200, row.url)
            self.assertEqual(listed.context["page"].paginator.count, row.value, row.url)

    def test_the_county_sees_open_alerts_per_township(self) -> None:
        rows = self.home("xian")["alerts_open_by_township"]
        self.assertEqual({str(r.label): r.value for r in rows}, {"甲镇": 3, "乙镇": 1})
        self.assert_rows_listed(rows)
        self.assertNotIn("alerts_open_by_township", self.home("zhen_a"))
        other = self.home("other_xian")["alerts_open_by_township"]
        self.assertEqual(other, [])

    def test_the_alert_queue_refuses_a_township_of_another_county(self) -> None:
        self.client.force_login(self.xian)
        url = reverse("alerts:alert_list")
        foreign = self.client.get(url, {"township": self.other_county.code})
        # Not a township of this county: the filter is invalid, nothing narrowed,
        # and nothing of the other county is listed.
        self.assertEqual(foreign.context["page"].paginator.count, 4)

    def test_the_police_see_the_cases_with_their_open_tasks(self) -> None:
        rows = self.home("police_a")["cases_open_tasks"]
        self.assertEqual([r.value for r in rows], [1])
        self.assert_rows_listed(rows)
        listed = self.client.get(rows[0].url)
        self.assertContains(listed, "B超鉴定")
        self.assertNotContains(listed, "药品流向")
        # The township sees both cases with a task open (any department).
        zhen = self.home("zhen_a")["cases_open_tasks"]
        self.assertEqual([r.value for r in zhen], [2])
        self.assert_rows_listed(zhen)
        self.assertEqual(
            [r.value for r in self.home("zhen_b")["cases_open_tasks"]], [0]
        )

    def test_the_tip_officer_sees_the_messages_to_answer(self) -> None:
        rows = self.home("tips")["tips_messages_unanswered"]
        self.assertEqual([r.value for r in rows], [1])
        self.assert_rows_listed(rows)
        self.assertEqual([r.value for r in self.home("tips")["tips_received"]], [3])

    def test_the_county_sees_this_year_s_campaigns_against_four(self) -> None:
        rows = self.home("xian")["campaigns_this_year"]
        self.assertEqual([r.value for r in rows], [2])
        self.assertIn("还差2次", str(rows[0].label))
        self.assert_rows_listed(rows)
        last_year = make_campaign(
            by=self.xian,
            name="去年的",
            starts=date(timezone.localdate().year - 1, 3, 1),
        )
        self.assertEqual(
            [r.value for r in self.home("xian")["campaigns_this_year"]], [2]
        )
        self.assertEqual(
            self.client.get(reverse("oversight:campaign_list"))
            .context["page"]
            .paginator.count,
            3,
            last_year,
        )

    def test_the_county_home_has_the_srb_with_its_verdict(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a)
        outcome = ended_outcome(by=self.cun_a, woman=woman, on=date(2025, 6, 1))
        year = timezone.localdate().year
        for sex, n in (("M", 150), ("F", 100)):
            for i in range(n):
                make_birth(
                    outcome=outcome,
                    village=self.village_a,
                    sex=sex,
                    born_on=date(year - 1, 1 + i % 12, 5),
                )
        rebuild_birth_counts()
        self.client.force_login(self.xian)
        page = self.client.get(reverse("core:home"))
        (summary,) = page.context["summaries"]
        self.assertEqual(summary.value, "150.0")
        self.assertEqual(summary.tone, "high")
        self.assertIn("显著高于正常上限107", summary.sentence)
        self.assertIn("出生 250 人", summary.sentence)
        self.assertContains(page, summary.sentence)
        self.client.force_login(self.cun_a)
        self.assertEqual(self.client.get(reverse("core:home")).context["summaries"], [])


def test_the_verdict_sentence_follows_the_category() -> None:
    def row(category: SrbClass, *, judged: bool = True) -> SrbRow:
        return SrbRow("近3年", 110, 100, 210, 110.0, 84.0, 144.0, category, judged)

    normal, tone = verdict_sentence(row(SrbClass.NORMAL), period="近3年")
    assert "未显著高于107" in normal and tone == ""
    low, tone = verdict_sentence(row(SrbClass.LOW_DATA_QUALITY), period="近3年")
    assert "男婴漏报" in low and tone == "low"
    single, tone = verdict_sentence(row(SrbClass.HIGH, judged=False), period="2025年")
    assert "不作判断" in single and tone == ""


class FacilityHomeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        facility = make_facility(by=cls.health_a, area=cls.town_a)
        make_facility(by=cls.zhen_b, area=cls.town_b, name="乙镇卫生院")
        registry.save_device(
            by=cls.health_a, facility=facility, model_name="DC-70", serial_number="SN1"
        )
        staff = make_practitioner(by=cls.health_a, facility=facility)
        registry.record_pledge(
            by=cls.health_a,
            facility=facility,
            practitioner=staff,
            signed_on=days_ago(300),
            expires_on=days_ago(-30),
        )
        number = make_id_number()
        make_woman(by=cls.cun_a, village=cls.village_a, id_number=number, name="赵小红")
        make_verification(
            by=cls.health_a, facility=facility, name="赵小红", id_number=number
        )

    def test_the_health_center_sees_its_gaps_and_verifications(self) -> None:
        self.client.force_login(self.health_a)
        page = self.client.get(reverse("core:home"))
        self.assertNotContains(page, "您的角色目前没有可用的工作页面")
        items = {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }
        gaps = {str(r.label): r.value for r in items["providers_registry_gaps"]}
        # The device without an operator; the head without a pledge; the staff
        # member's pledge ending in 30 days.
        self.assertEqual(
            gaps,
            {
                "B超设备未备案操作人员": 1,
                "人员或负责人未签有效责任书": 1,
                "责任书即将到期": 1,
            },
        )
        waiting = items["providers_verifications_waiting"]
        self.assertEqual([r.value for r in waiting], [1])
        for row in items["providers_registry_gaps"] + waiting:
            listed = self.client.get(row.url)
            self.assertEqual(listed.context["page"].paginator.count, row.value, row.url)
        # 乙镇's township officer: its own facility's head only, nothing of 甲镇.
        self.client.force_login(self.zhen_b)
        page = self.client.get(reverse("core:home"))
        other = {
            item.key: rows
            for section in page.context["sections"]
            for item, rows in section.items
        }
        self.assertEqual(
            {str(r.label): r.value for r in other["providers_registry_gaps"]},
            {"人员或负责人未签有效责任书": 1},
        )
        self.assertEqual(other["providers_verifications_waiting"], [])
