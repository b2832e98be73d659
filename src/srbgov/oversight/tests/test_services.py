from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone

from srbgov.alerts.models import AlertKind, AlertStatus
from srbgov.alerts.services import raise_alert
from srbgov.oversight import access, queries, services
from srbgov.oversight.models import (
    CHECKLIST,
    Campaign,
    Case,
    CaseSource,
    CaseStatus,
    CheckResult,
    Department,
    Disposition,
    Inspection,
    RectificationStatus,
    SubjectKind,
)
from srbgov.oversight.tests.builders import make_campaign, make_inspection
from srbgov.providers.models import Facility, FacilityStatus
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import BaseTestCase


class CampaignTests(BaseTestCase):
    def test_phases_must_be_in_order(self) -> None:
        start = timezone.localdate()
        with self.assertRaisesMessage(ValidationError, "实施阶段不能早于部署阶段开始"):
            services.create_campaign(
                by=self.xian,
                name="x",
                deploy_starts_on=start,
                deploy_ends_on=start,
                implement_starts_on=start - timedelta(days=1),
                implement_ends_on=start,
                summary_starts_on=start,
                summary_ends_on=start,
                report_due_on=start,
            )

    def test_a_county_with_fewer_than_four_campaigns_in_the_year_is_shown_short(
        self,
    ) -> None:
        today = timezone.localdate()
        for n in range(3):
            make_campaign(by=self.xian, name=f"c{n}", starts=date(today.year, 1, 2 + n))
        years = queries.campaigns_per_year(
            access.campaigns_for_user(self.xian), today=today
        )
        self.assertEqual(
            (years[0].year, years[0].campaigns, years[0].is_short),
            (today.year, 3, True),
        )
        make_campaign(by=self.zhen_a, name="甲镇自己的", starts=date(today.year, 1, 9))
        years = queries.campaigns_per_year(
            access.campaigns_for_user(self.zhen_a), today=today
        )
        self.assertFalse(years[0].is_short)
        # 乙镇 does not see 甲镇's own campaign.
        years = queries.campaigns_per_year(
            access.campaigns_for_user(self.zhen_b), today=today
        )
        self.assertTrue(years[0].is_short)

    def test_coverage_counts_inspected_facilities_of_the_users_share(self) -> None:
        campaign = make_campaign(by=self.xian)
        a1 = make_facility(by=self.xian, area=self.town_a, name="a1")
        make_facility(by=self.xian, area=self.village_a, name="a2")
        make_facility(by=self.xian, area=self.town_b, name="b1")
        closed = make_facility(by=self.xian, area=self.town_a, name="closed")
        closed.status = FacilityStatus.CLOSED
        closed.save()
        make_inspection(by=self.zhen_a, campaign=campaign, facility=a1)
        make_inspection(by=self.zhen_a, campaign=campaign, facility=a1, failed=False)
        cover = queries.coverage(
            campaign, queries.campaign_scope(self.zhen_a, campaign)
        )
        self.assertEqual((cover.inspected, cover.facilities), (1, 2))
        cover = queries.coverage(campaign, queries.campaign_scope(self.xian, campaign))
        self.assertEqual((cover.inspected, cover.facilities), (1, 3))


class InspectionTests(BaseTestCase):
    campaign: ClassVar[Campaign]
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.campaign = make_campaign(by=cls.xian)
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)

    def test_it_needs_two_inspectors_and_a_deadline_for_findings(self) -> None:
        checklist = {key: CheckResult.PASS for key, _label in CHECKLIST}
        base: dict[str, Any] = dict(
            by=self.health_a,
            campaign=self.campaign,
            facility=self.facility,
            inspected_on=timezone.localdate(),
            checklist=checklist,
        )
        with self.assertRaisesMessage(ValidationError, "检查人员至少两人"):
            services.record_inspection(inspectors=["张三", "张三"], **base)
        with self.assertRaisesMessage(ValidationError, "整改期限"):
            services.record_inspection(
                inspectors=["张三", "李四"], findings="无警示标识", **base
            )

    def test_a_finding_opens_a_rectification_that_the_follow_up_closes(self) -> None:
        inspection = make_inspection(
            by=self.health_a, campaign=self.campaign, facility=self.facility
        )
        self.assertEqual(inspection.rectification, RectificationStatus.OPEN)
        self.assertEqual(
            list(queries.open_rectifications(access.inspections_for_user(self.zhen_a))),
            [inspection],
        )
        services.close_rectification(
            by=self.health_a,
            inspection=inspection,
            followed_up_on=timezone.localdate(),
            note="已张贴警示标识",
        )
        inspection.refresh_from_db()
        self.assertEqual(inspection.rectification, RectificationStatus.CLOSED)
        self.assertEqual(inspection.followed_up_by, self.health_a)

    def test_a_facility_of_another_township_cannot_be_inspected_by_this_one(
        self,
    ) -> None:
        other = make_facility(by=self.xian, area=self.town_b, name="乙镇卫生院")
        with self.assertRaisesMessage(ValidationError, "不在本次专项整治的范围内"):
            make_inspection(by=self.health_a, campaign=self.campaign, facility=other)


class CaseTests(BaseTestCase):
    facility: ClassVar[Facility]
    inspection: ClassVar[Inspection]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)
        campaign = make_campaign(by=cls.xian)
        cls.inspection = make_inspection(
            by=cls.health_a, campaign=campaign, facility=cls.facility
        )

    def open(self) -> Case:
        return services.open_case(
            by=self.zhen_a,
            area=self.town_a,
            title="B超室无登记",
            source=CaseSource.INSPECTION,
            summary="检查发现",
            subject_kind=SubjectKind.FACILITY,
            subject_facility=self.facility,
            inspection=self.inspection,
        )

    def test_police_see_a_case_only_once_referred_and_only_in_their_township(
        self,
    ) -> None:
        case = self.open()
        self.assertNotIn(case, access.cases_for_user(self.police_a))
        services.add_case_task(
            by=self.zhen_a,
            case=case,
            department=Department.POLICE,
            description="协查",
            due_on=timezone.localdate() + timedelta(days=7),
        )
        self.assertIn(case, access.cases_for_user(self.police_a))
        self.assertNotIn(case, access.cases_for_user(self.zhen_b))

    def test_a_penalty_needs_its_amount_and_legal_basis(self) -> None:
        case = self.open()
        with self.assertRaisesMessage(ValidationError, "罚没金额和法律依据"):
            services.dispose_case(
                by=self.zhen_a,
                case=case,
                disposition=Disposition.PENALTY,
                disposed_on=timezone.localdate(),
                penalty_amount=Decimal(20000),
            )
        case = services.dispose_case(
            by=self.zhen_a,
            case=case,
            disposition=Disposition.PENALTY,
            disposed_on=timezone.localdate(),
            penalty_amount=Decimal(20000),
            legal_basis="《人口与计划生育法》第四十条",
        )
        self.assertEqual(case.status, CaseStatus.CLOSED)
        self.assertIsNone(case.referred_to_police_at)

    def test_a_referral_keeps_the_case_open_for_the_police(self) -> None:
        case = services.dispose_case(
            by=self.zhen_a,
            case=self.open(),
            disposition=Disposition.POLICE,
            disposed_on=timezone.localdate(),
        )
        self.assertEqual(case.status, CaseStatus.OPEN)
        self.assertIn(case, access.cases_for_user(self.police_a))
        case = services.dispose_case(
            by=self.zhen_a,
            case=case,
            disposition=Disposition.CRIMINAL,
            disposed_on=timezone.localdate(),
        )
        self.assertEqual(case.status, CaseStatus.CLOSED)

    def test_opening_a_case_from_an_alert_resolves_it(self) -> None:
        alert, _created = raise_alert(
            kind=AlertKind.DRUG_SOLD_AT_PHARMACY,
            area=self.town_a,
            subject_type="x",
            subject_id=1,
            summary="药店售药",
        )
        case = services.open_case(
            by=self.zhen_a,
            area=self.town_a,
            title="药店售药",
            source=CaseSource.ALERT,
            summary="见预警",
            subject_kind=SubjectKind.UNKNOWN,
            alert=alert,
        )
        alert.refresh_from_db()
        self.assertEqual(alert.status, AlertStatus.RESOLVED)
        self.assertIn(case.number, alert.resolution)

    def test_investigation_records_need_two_investigators(self) -> None:
        with self.assertRaisesMessage(ValidationError, "调查人员至少两人"):
            services.add_investigation_record(
                by=self.zhen_a,
                case=self.open(),
                recorded_on=timezone.localdate(),
                interviewee="王某",
                investigators=["张三"],
                content="询问",
            )
