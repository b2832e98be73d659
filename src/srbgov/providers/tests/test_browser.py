"""Issue 5 in the browser: device and operator, a 16-week termination with its
verification, and an inspection finding that becomes a case for the police."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.browser import BrowserTestCase
from srbgov.oversight.models import Case
from srbgov.oversight.tests.builders import make_campaign
from srbgov.pregnancies.models import OutcomeKind, PregnancyStatus
from srbgov.pregnancies.services import register_pregnancy
from srbgov.providers.models import TerminationRecord, UltrasoundDevice
from srbgov.providers.tests.builders import PDF, make_facility, make_practitioner
from srbgov.testing import make_id_number, make_woman

MEDIA = tempfile.mkdtemp(prefix="srbgov-browser-private-")


@override_settings(PRIVATE_MEDIA_ROOT=MEDIA)
class ProviderOversightInBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.facility = make_facility(by=self.health_a, area=self.town_a)
        make_practitioner(by=self.health_a, facility=self.facility, name="孔医生")
        self.number = make_id_number()
        self.woman = make_woman(
            by=self.cun_a, village=self.village_a, id_number=self.number, name="郑小燕"
        )
        self.pregnancy = register_pregnancy(
            by=self.cun_a,
            woman=self.woman,
            lmp_on=timezone.localdate() - timedelta(weeks=17),
            responsible_persons="王芳、李娟",
        )
        self.evidence = Path(MEDIA) / "upload-诊断证明.pdf"
        self.evidence.write_bytes(PDF)

    def test_device_termination_verification_and_a_case_for_the_police(self) -> None:
        today = timezone.localdate()
        page = self.log_in("health_a")
        page.click("nav >> text=医疗机构")
        page.click("text=甲镇卫生院")
        # File an ultrasound operator, the device, and the operator on the device.
        page.click("text=登记从业人员")
        page.fill("#id_name", "B超刘")
        page.select_option("#id_kind", "ultrasound")
        page.click("button:has-text('保存')")
        page.click("text=登记B超设备")
        page.fill("#id_model_name", "迈瑞 DC-70")
        page.fill("#id_serial_number", "MR2026001")
        page.click("button:has-text('保存')")
        assert "B超设备未备案操作人员" in page.content()
        page.click("table.devices >> text=备案操作人员")
        page.select_option("#id_practitioner", label="B超刘（B超操作人员）")
        page.click("button:has-text('保存')")
        assert "B超设备未备案操作人员" not in page.content()
        assert UltrasoundDevice.objects.get().operators.get().name == "B超刘"

        # A 16-week termination with no verification: saved, alerted, pregnancy closed.
        page.click("text=终止妊娠登记")
        page.fill("#id_woman_name", "郑小燕")
        page.fill("#id_id_number", self.number)
        page.fill("#id_terminated_on", (today - timedelta(days=1)).isoformat())
        page.fill("#id_gestational_weeks", "16")
        page.select_option("#id_method", "induction")
        page.select_option("#id_operator", label="孔医生（甲镇卫生院）")
        page.fill("#id_medical_reason", "胎儿严重畸形")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/terminations/*/")
        assert "已发出预警" in page.content()
        entry = TerminationRecord.objects.get()
        alert = Alert.objects.get(
            kind=AlertKind.LATE_TERMINATION_UNAPPROVED,
            subject_type="providers.terminationrecord",
            subject_id=str(entry.pk),
        )
        assert alert.status == AlertStatus.OPEN
        self.pregnancy.refresh_from_db()
        assert self.pregnancy.status == PregnancyStatus.ENDED
        assert self.pregnancy.outcome.kind == OutcomeKind.TERMINATION
        assert self.number not in page.content()

        page.click("text=补办终止妊娠查验")
        page.select_option("#id_reason", "fetal_defect")
        page.fill("#id_diagnosis_facility", "示范县人民医院")
        page.fill("#id_diagnosis", "胎儿先天性心脏病（重度）")
        page.fill("#id_diagnosed_on", (today - timedelta(days=3)).isoformat())
        page.set_input_files("#id_evidence", str(self.evidence))
        page.click("button:has-text('保存')")
        page.wait_for_url("**/providers/verifications/*/")
        url = page.url

        township = self.log_in("zhen_a", self.new_page())
        township.goto(url)
        township.select_option("#id_approve", "1")
        township.click("button:has-text('提交审核意见')")
        assert "待县级出具证明" in township.locator("dd.status").inner_text()

        county = self.log_in("xian", self.new_page())
        county.goto(url)
        county.fill("#id_certificate_number", "示卫查〔2026〕8号")
        county.click("button:has-text('出具证明')")
        assert "已出具证明" in county.locator("dd.status").inner_text()
        alert.refresh_from_db()
        assert alert.status == AlertStatus.RESOLVED
        # The outcome's own alert (pregnancies app) closes with the certificate too.
        assert not Alert.objects.filter(
            kind=AlertKind.LATE_TERMINATION_UNAPPROVED, status=AlertStatus.OPEN
        ).exists()

        # A campaign inspection with a finding becomes a case referred to the police.
        campaign = make_campaign(by=self.zhen_a, name="甲镇秋季整治")
        township.click("nav >> text=专项整治")
        township.click(f"text={campaign.name}")
        township.click("text=登记检查")
        township.select_option("#id_facility", label="甲镇卫生院")
        township.fill("#id_inspected_on", today.isoformat())
        township.fill("#id_inspectors", "张计生、刘卫生")
        township.select_option("#id_check_warning_signs", "fail")
        township.fill("#id_findings", "B超室未张贴禁止“两非”警示标识")
        township.fill("#id_rectify_by", (today + timedelta(days=10)).isoformat())
        township.click("button:has-text('保存')")
        township.click("text=立案查处")
        township.click("button:has-text('保存')")
        township.wait_for_url("**/oversight/cases/*/")
        township.select_option("#id_department", "police")
        township.fill("#id_description", "调查B超室有无非法鉴定胎儿性别")
        township.fill("#id_due_on", (today + timedelta(days=7)).isoformat())
        township.click("button:has-text('分派')")
        case = Case.objects.get()
        assert case.is_referred_to_police

        police = self.log_in("police_a", self.new_page())
        response = police.goto(self.url(f"/oversight/cases/{case.pk}/"))
        assert response is not None and response.status == 200
        assert "B超室未张贴" in police.content()

        other = self.log_in("zhen_b", self.new_page())
        response = other.goto(self.url(f"/oversight/cases/{case.pk}/"))
        assert response is not None and response.status == 404
        assert "B超室未张贴" not in other.content()
