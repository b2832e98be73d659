"""The tip officer's triage, the township's view, rewards with four eyes, statistics."""

from __future__ import annotations

import io
import shutil
import tempfile
from typing import Any

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.oversight import services as oversight_services
from srbgov.oversight.models import Case, CaseSource
from srbgov.testing import BaseTestCase, covers_scope
from srbgov.tips import services
from srbgov.tips.models import Category, Reward, RewardStatus, Tip, TipStatus
from srbgov.tips.tests.builders import file_tip, photo_upload

CONTACT = "13912345678 王先生"


class TipsTestCase(BaseTestCase):
    media: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def setUp(self) -> None:
        self.filed = file_tip(
            self.county,
            contact=CONTACT,
            place_area=self.village_a,
            files=[photo_upload()],
        )
        self.tip = self.filed.tip

    def assigned(self) -> Tip:
        return services.assign_township(
            by=self.tips, tip=self.tip, township=self.town_a
        )

    def verified(self) -> Tip:
        self.assigned()
        return services.decide(
            by=self.tips,
            tip=self.tip,
            verified=True,
            reason="现场查获B超机，当事人承认。",
        )


class ScopeTests(TipsTestCase):
    """Everyone outside the tip's area, or without the role, gets 404."""

    def assert_404_for(self, users: list[Any], url: str, method: str = "get") -> None:
        for user in users:
            self.client.force_login(user)
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 404, (user.username, url))

    @covers_scope("tips:tip_list", "tips:tip_export", "tips:stats", "tips:stats_export")
    def test_lists_do_not_exist_for_other_roles_and_show_nothing_of_other_areas(
        self,
    ) -> None:
        outsiders = [self.cun_a, self.police_a, self.health_a, self.auditor, self.admin]
        for name in (
            "tips:tip_list",
            "tips:tip_export",
            "tips:stats",
            "tips:stats_export",
        ):
            self.assert_404_for(outsiders, reverse(name))
        self.assigned()
        for user in (self.zhen_b, self.other_xian):
            self.client.force_login(user)
            response = self.client.get(reverse("tips:tip_list"))
            self.assertNotContains(response, self.tip.reference)
            response = self.client.get(reverse("tips:tip_export"))
            sheet = load_workbook(io.BytesIO(response.content)).active
            self.assertEqual(sheet.max_row, 1)

    @covers_scope(
        "tips:tip_detail",
        "tips:attachment",
        "tips:tip_reveal",
    )
    def test_a_tip_does_not_exist_outside_its_area(self) -> None:
        self.assigned()
        attachment = self.tip.attachments.get()
        urls = [
            reverse("tips:tip_detail", args=[self.tip.pk]),
            reverse("tips:attachment", args=[self.tip.pk, attachment.pk]),
        ]
        outsiders = [
            self.zhen_b,
            self.other_xian,
            self.cun_a,
            self.police_a,
            self.auditor,
            self.admin,
        ]
        for url in urls:
            self.assert_404_for(outsiders, url)
        reveal = reverse("tips:tip_reveal", args=[self.tip.pk])
        self.assert_404_for([*outsiders, self.zhen_a, self.xian], reveal)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED, username="zhen_b", object_id=str(self.tip.pk)
            ).exists()
        )

    @covers_scope(
        "tips:tip_assign",
        "tips:tip_link_case",
        "tips:tip_open_case",
        "tips:tip_decide",
        "tips:tip_close",
        "tips:tip_ask",
        "tips:reward_propose",
    )
    def test_only_the_tip_officer_of_the_county_works_a_tip(self) -> None:
        self.assigned()
        names = [
            "tips:tip_assign",
            "tips:tip_link_case",
            "tips:tip_open_case",
            "tips:tip_decide",
            "tips:tip_close",
            "tips:tip_ask",
            "tips:reward_propose",
        ]
        outsiders = [self.zhen_a, self.zhen_b, self.xian, self.other_xian, self.admin]
        for name in names:
            self.assert_404_for(outsiders, reverse(name, args=[self.tip.pk]), "post")

    @covers_scope(
        "tips:reward_list",
        "tips:reward_export",
        "tips:reward_decide",
        "tips:reward_pay",
    )
    def test_rewards_exist_only_for_the_county_users_who_decide_them(self) -> None:
        self.verified()
        reward = services.propose_reward(
            by=self.tips, tip=self.tip, kind="verified", amount=800, reason="查实"
        )
        outsiders = [self.zhen_a, self.cun_a, self.auditor, self.admin]
        for name in ("tips:reward_list", "tips:reward_export"):
            self.assert_404_for(outsiders, reverse(name))
        # Another county's officer has the list, without this county's rewards.
        self.client.force_login(self.other_xian)
        response = self.client.get(reverse("tips:reward_list"))
        self.assertNotContains(response, self.tip.reference)
        for name in ("tips:reward_decide", "tips:reward_pay"):
            self.assert_404_for(
                [*outsiders, self.other_xian], reverse(name, args=[reward.pk]), "post"
            )
        # The county officer approves but does not pay out.
        self.assert_404_for(
            [self.xian], reverse("tips:reward_pay", args=[reward.pk]), "post"
        )


class TriageTests(TipsTestCase):
    def test_the_township_officer_sees_the_assigned_tip_but_not_the_contact(
        self,
    ) -> None:
        services.ask_reporter(by=self.tips, tip=self.tip, body="请问诊所叫什么名字？")
        self.assigned()
        self.login(self.zhen_a)
        response = self.client.get(reverse("tips:tip_detail", args=[self.tip.pk]))
        self.assertContains(response, "镇东头某诊所")
        self.assertContains(response, "附件1.jpg")
        self.assertNotContains(response, "13912345678")
        self.assertNotContains(response, "王先生")
        self.assertNotContains(response, reverse("tips:tip_reveal", args=[self.tip.pk]))
        self.assertNotContains(response, "请问诊所叫什么名字")
        attachment = self.tip.attachments.get()
        response = self.client.get(
            reverse("tips:attachment", args=[self.tip.pk, attachment.pk])
        )
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_the_tip_officer_reveals_the_contact_with_a_reason_and_it_is_logged(
        self,
    ) -> None:
        self.login(self.tips)
        url = reverse("tips:tip_reveal", args=[self.tip.pk])
        response = self.client.get(url)
        self.assertNotContains(response, "13912345678")
        response = self.client.post(url, {"reason": "短"})
        self.assertContains(response, "请写明查看举报人信息的理由")
        self.assertNotContains(response, "13912345678")
        response = self.client.post(url, {"reason": "需电话核实诊所具体位置"})
        self.assertContains(response, CONTACT)
        self.assertEqual(response["Cache-Control"], "no-store")
        entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
        self.assertEqual(entry.username, "tips")
        self.assertEqual(entry.detail, {"reason": "需电话核实诊所具体位置"})
        self.assertIn("需电话核实诊所具体位置", entry.object_repr)

    def test_assigning_starts_verification_and_a_verdict_needs_a_reason(self) -> None:
        self.login(self.tips)
        self.client.post(
            reverse("tips:tip_assign", args=[self.tip.pk]), {"township": self.town_a.pk}
        )
        self.tip.refresh_from_db()
        self.assertEqual(
            (self.tip.status, self.tip.township), ("verifying", self.town_a)
        )
        response = self.client.post(
            reverse("tips:tip_decide", args=[self.tip.pk]), {"verified": "yes"}
        )
        self.assertContains(response, "这个字段是必填项", status_code=200)
        self.client.post(
            reverse("tips:tip_decide", args=[self.tip.pk]),
            {"verified": "no", "reason": "现场核查未发现B超设备。"},
        )
        self.tip.refresh_from_db()
        self.assertEqual(self.tip.status, TipStatus.NOT_VERIFIED)
        self.client.post(reverse("tips:tip_close", args=[self.tip.pk]))
        self.tip.refresh_from_db()
        self.assertEqual(self.tip.status, TipStatus.CLOSED)
        self.assertFalse(self.tip.is_verified)

    def test_the_tip_officer_opens_a_case_from_the_tip_without_the_contact(
        self,
    ) -> None:
        self.login(self.tips)
        response = self.client.post(
            reverse("tips:tip_open_case", args=[self.tip.pk]),
            {
                "township": self.town_a.pk,
                "title": "非法鉴定胎儿性别",
                "subject_kind": "unknown",
            },
        )
        self.assertRedirects(response, reverse("tips:tip_detail", args=[self.tip.pk]))
        case = Case.objects.get()
        self.assertEqual(case.source, CaseSource.TIP)
        self.assertEqual(case.tip_reference, self.tip.reference)
        self.assertNotIn("13912345678", case.summary)
        self.tip.refresh_from_db()
        self.assertEqual((self.tip.case, self.tip.township), (case, self.town_a))

    def test_the_tip_officer_links_an_existing_case(self) -> None:
        case = oversight_services.open_case(
            by=self.xian,
            area=self.town_b,
            title="药店违规销售米非司酮",
            source=CaseSource.TIP,
            summary="群众反映",
            subject_kind="unknown",
            tip_reference="电话举报",
        )
        self.login(self.tips)
        self.client.post(
            reverse("tips:tip_link_case", args=[self.tip.pk]), {"case": case.pk}
        )
        self.tip.refresh_from_db()
        self.assertEqual((self.tip.case, self.tip.township), (case, self.town_b))
        self.login(self.zhen_b)
        response = self.client.get(reverse("tips:tip_detail", args=[self.tip.pk]))
        self.assertContains(response, case.number)


class RewardTests(TipsTestCase):
    def test_the_amount_must_lie_within_the_county_policy(self) -> None:
        self.verified()
        self.login(self.tips)
        url = reverse("tips:reward_propose", args=[self.tip.pk])
        response = self.client.post(
            url, {"kind": "verified", "amount": 1500, "reason": "线索详实"}
        )
        self.assertContains(response, "奖励金额须在本县政策范围 500–1000 元之内")
        response = self.client.post(
            url, {"kind": "major", "amount": 3000, "reason": "据此查处重大案件"}
        )
        reward = Reward.objects.get()
        self.assertEqual((reward.amount, reward.status), (3000, RewardStatus.PROPOSED))

    def test_no_reward_before_the_tip_is_verified(self) -> None:
        self.login(self.tips)
        response = self.client.post(
            reverse("tips:reward_propose", args=[self.tip.pk]),
            {"kind": "verified", "amount": 800, "reason": "x"},
        )
        self.assertContains(response, "只有查实的举报才能给予奖励")

    def test_a_second_county_user_approves_and_payment_is_signed_by_code(self) -> None:
        self.verified()
        reward = services.propose_reward(
            by=self.tips, tip=self.tip, kind="verified", amount=800, reason="线索准确"
        )
        self.login(self.tips)
        response = self.client.post(
            reverse("tips:reward_decide", args=[reward.pk]), {"approve": "yes"}
        )
        self.assertContains(response, "奖励须由提出人以外的另一名县级人员审批")
        self.login(self.xian)
        detail = self.client.get(reverse("tips:tip_detail", args=[self.tip.pk]))
        self.assertNotContains(detail, "13912345678")
        self.client.post(
            reverse("tips:reward_decide", args=[reward.pk]), {"approve": "yes"}
        )
        reward.refresh_from_db()
        self.assertEqual((reward.status, reward.decided_by), ("approved", self.xian))

        self.login(self.tips)
        pay = reverse("tips:reward_pay", args=[reward.pk])
        today = timezone.localdate().isoformat()
        response = self.client.post(
            pay, {"paid_on": today, "method": "cash", "receipt_code": "0" * 20}
        )
        self.assertContains(response, "回执码与本举报不符")
        self.client.post(
            pay, {"paid_on": today, "method": "cash", "receipt_code": self.filed.code}
        )
        reward.refresh_from_db()
        self.assertEqual(reward.status, RewardStatus.PAID)
        self.assertTrue(reward.signed_by_code)
        self.assertEqual(reward.signer_name_encrypted, "")
        response = self.client.get(reverse("tips:reward_export"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertEqual(rows[1][0], self.tip.reference)
        self.assertEqual(rows[1][2], 800)
        self.assertEqual(rows[1][10], "回执码")


class StatsTests(TipsTestCase):
    def test_it_counts_by_category_township_month_and_village_leads(self) -> None:
        self.verified()
        file_tip(
            self.county, category=Category.INFANT_ABANDONMENT, place_area=self.village_b
        )
        other = file_tip(
            self.county, category=Category.DRUG_SALE, place_area=self.village_c
        ).tip
        services.assign_township(by=self.tips, tip=other, township=self.town_b)
        services.decide(by=self.tips, tip=other, verified=False, reason="未发现")
        self.login(self.tips)
        year = timezone.localdate().year
        response = self.client.get(reverse("tips:stats"), {"year": year})
        stats = response.context["stats"]
        self.assertEqual(stats.total.received, 3)
        self.assertEqual((stats.total.verified, stats.total.not_verified), (1, 1))
        self.assertEqual(stats.total.rate, 0.5)
        leads = {v.village: v.leads for v in stats.villages}
        # Abandonment is not a “两非” lead; identification and drug sales are.
        self.assertEqual(leads, {"一村": 1, "二村": 0, "三村": 1})
        response = self.client.get(reverse("tips:stats_export"), {"year": year})
        book = load_workbook(io.BytesIO(response.content))
        villages = list(book["各村两非线索"].values)
        self.assertIn(("甲镇", "二村", 0, "否"), villages)
        by_category = {r[0]: r[1] for r in book["按举报事项"].values}
        self.assertEqual(by_category["非医学需要鉴定胎儿性别"], 1)
        self.assertEqual(by_category["合计"], 3)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.EXPORT, object_repr="举报统计"
            ).exists()
        )

    def test_a_township_officer_counts_only_the_tips_of_the_township(self) -> None:
        self.assigned()
        file_tip(self.county, place_area=self.village_c)
        self.login(self.zhen_a)
        response = self.client.get(reverse("tips:stats"))
        self.assertEqual(response.context["stats"].total.received, 1)
        self.assertEqual(len(response.context["stats"].villages), 2)

    def test_the_tip_list_exports_without_identities(self) -> None:
        self.login(self.tips)
        response = self.client.get(reverse("tips:tip_export"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertEqual(rows[1][0], self.tip.reference)
        self.assertNotIn("13912345678", str(rows))
        self.assertEqual(rows[1][5], "已受理")
