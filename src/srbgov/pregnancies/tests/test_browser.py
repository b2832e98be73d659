"""Issue 3, as a village worker and a township officer do it."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from srbgov.alerts.models import Alert, AlertKind, AlertStatus
from srbgov.browser import BrowserTestCase
from srbgov.people.models import Child
from srbgov.pregnancies.models import Birth, Pregnancy, Visit
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import make_woman


class FollowUpInBrowserTests(BrowserTestCase):
    def test_worker_registers_visits_twice_records_twins_and_township_resolves_disappeared(
        self,
    ) -> None:
        today = timezone.localdate()
        woman = make_woman(by=self.cun_a, village=self.village_a, name="周晓燕")
        gone = make_woman(by=self.cun_a, village=self.village_a, name="吴小梅")
        left = make_pregnancy(
            by=self.cun_a, woman=gone, lmp_on=today - timedelta(days=320)
        )

        page = self.log_in("cun_a")
        page.click("nav >> text=孕情跟踪")
        page.click("text=登记孕情")
        page.fill("#id_q", "周晓燕")
        page.click("button:has-text('查询')")
        page.click("text=为她登记")
        page.fill("#id_lmp_on", (today - timedelta(weeks=37)).isoformat())
        page.fill("#id_responsible_persons", "王芳")
        page.click("button:has-text('保存')")
        assert (
            "至少需要两人"
            in page.locator("[data-field=responsible_persons]").inner_text()
        )
        page.fill("#id_responsible_persons", "王芳、李娟")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/pregnancies/*/")
        pregnancy = Pregnancy.objects.get(woman=woman)
        assert "现孕 37 周" in page.content()

        for mode in ("home", "phone"):
            page.click("a.button:has-text('记录随访')")
            page.fill("#id_visitors", "王芳、李娟")
            page.check(f"input[name=mode][value={mode}]")
            page.click("button:has-text('保存随访')")
            page.wait_for_url(f"**/pregnancies/{pregnancy.pk}/")
        assert Visit.objects.filter(pregnancy=pregnancy).count() == 2
        assert page.locator("table.visits tbody tr").count() == 2

        page.click("a.button:has-text('登记结局')")
        page.select_option("#id_kind", "live_birth")
        page.fill("#id_occurred_on", today.isoformat())
        page.select_option("#id_births-0-sex", "M")
        page.fill("#id_births-0-weight_grams", "2650")
        page.select_option("#id_births-1-sex", "F")
        page.fill("#id_births-1-weight_grams", "2400")
        page.click("button:has-text('保存结局')")
        page.wait_for_url(f"**/pregnancies/{pregnancy.pk}/")
        assert sorted(Birth.objects.values_list("sex", flat=True)) == ["F", "M"]

        page.click("a.button:has-text('妇女档案')")
        rows = page.locator("table.children tbody tr").all_inner_texts()
        assert len(rows) == 2 and "男" in rows[0] and "女" in rows[1], rows
        assert Child.objects.filter(mother=woman).count() == 2

        call_command("raise_alerts")
        officer = self.log_in("zhen_a", self.new_page())
        officer.click("nav >> text=预警")
        officer.select_option("#id_kind", AlertKind.PREGNANCY_DISAPPEARED)
        officer.click("button:has-text('查询')")
        officer.click("text=吴小梅")
        officer.fill("#id_text", "已联系本人，在外地分娩，正在核实")
        officer.click("button:has-text('添加记录')")
        officer.fill("#id_resolution", "已核实在东莞分娩，通知村专干补录结局")
        officer.click("button:has-text('处理完毕')")
        officer.wait_for_url("**/alerts/")
        alert = Alert.objects.get(
            kind=AlertKind.PREGNANCY_DISAPPEARED, subject_id=str(left.pk)
        )
        assert alert.status == AlertStatus.RESOLVED
        assert alert.resolved_by is not None and alert.resolved_by.username == "zhen_a"
        assert alert.notes.count() == 1
        # Twins have certificates missing: those alerts wait in the queue too.
        assert (
            Alert.objects.filter(kind=AlertKind.BIRTH_WITHOUT_CERTIFICATE).count() == 2
        )
