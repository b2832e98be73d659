"""Issue 15 in a real browser: from the family's application to a retried payment."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone
from openpyxl import load_workbook

from srbgov.accounts.models import Role
from srbgov.browser import BrowserTestCase
from srbgov.care.models import Application, ApplicationStatus, Payment, PaymentStatus
from srbgov.care.tests.builders import make_reward_program, make_two_daughter_household
from srbgov.testing import make_user

ACCOUNT = "6217003810055556666"


class CareInBrowserTests(BrowserTestCase):
    def test_an_application_goes_to_a_retried_payment(self) -> None:
        make_user("xian2", Role.COUNTY_OFFICER, self.county)
        program = make_reward_program(by=self.xian, county=self.county)
        household = make_two_daughter_household(
            by=self.cun_a, village=self.village_a, mother_born=date(1960, 1, 1)
        )
        today = timezone.localdate()

        # The village worker applies with the family.
        page = self.log_in("cun_a", self.new_page())
        page.click("nav >> text=关爱女孩")
        page.click("text=张秀英")
        page.click("a:has-text('申请扶助')")
        page.select_option("#id_program", str(program.pk))
        page.fill("#id_bank_name", "农村信用社")
        page.fill("#id_account", ACCOUNT)
        page.click("button:has-text('保存')")
        page.wait_for_url("**/care/applications/*/")
        assert "********6666" in page.content() and ACCOUNT not in page.content()
        application = Application.objects.get(household=household)

        # The township reviews and posts the notice in the village.
        town = self.log_in("zhen_a", self.new_page())
        town.goto(self.url(f"/care/applications/{application.pk}/"))
        town.select_option("form[action$='review/'] select", "approve")
        town.click("button:has-text('提交审核意见')")
        town.goto(self.url("/care/notices/new/"))
        town.select_option("#id_village", str(self.village_a.pk))
        town.select_option("#id_program", str(program.pk))
        town.fill("#id_posted_on", (today - timedelta(days=10)).isoformat())
        town.fill("#id_days", "7")
        town.click("button:has-text('保存')")
        town.wait_for_url("**/care/notices/*/")
        notice = town.locator("article.notice")
        assert "张秀英" in notice.inner_text() and "1920" in notice.inner_text()
        assert "6666" not in notice.inner_text()
        town.emulate_media(media="print")
        assert town.pdf()[:4] == b"%PDF"  # the notice prints

        # The county approves once the notice period is over, and prepares a batch.
        county = self.log_in("xian", self.new_page())
        county.goto(self.url(f"/care/applications/{application.pk}/"))
        county.select_option("form[action$='approve/'] select", "approve")
        county.click("button:has-text('提交审批意见')")
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
        county.goto(self.url("/care/batches/new/"))
        county.select_option("#id_program", str(program.pk))
        county.fill("#id_year", str(today.year))
        county.click("button:has-text('保存')")
        county.wait_for_url("**/care/batches/*/")
        batch_url = county.url
        assert county.locator("button:has-text('审核通过')").count() == 0

        # A second person approves it and exports the bank file.
        second = self.log_in("xian2", self.new_page())
        second.goto(batch_url)
        second.click("button:has-text('审核通过')")
        with second.expect_download() as info:
            second.click("a:has-text('导出银行代发文件')")
        sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
        assert sheet is not None
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
        assert [(r[0], r[2], float(r[3])) for r in rows] == [
            ("张秀英", ACCOUNT, 1920.0)
        ]

        # The bank returns it; the county records it, changes the account, retries.
        second.click("a:has-text('登记退回')")
        second.fill("#id_reason", "户名与账号不符")
        second.click("button:has-text('保存')")
        second.wait_for_url(batch_url)
        second.click("button:has-text('登记银行回执')")
        county.goto(self.url(f"/care/applications/{application.pk}/account/"))
        county.fill("#id_bank_name", "农业银行")
        county.fill("#id_account", "6228480012349999")
        county.click("button:has-text('保存')")
        county.goto(self.url("/care/batches/new/"))
        county.select_option("#id_program", str(program.pk))
        county.fill("#id_year", str(today.year))
        county.click("button:has-text('保存')")
        county.wait_for_url("**/care/batches/*/")
        second.goto(county.url)
        with second.expect_navigation():
            second.click("button:has-text('审核通过')")
        with second.expect_navigation():
            second.click("button:has-text('登记银行回执')")
        payments = list(Payment.objects.order_by("pk").values_list("status", flat=True))
        assert payments == [PaymentStatus.RETURNED, PaymentStatus.PAID]
        county.goto(self.url("/care/totals/"))
        assert "1920" in county.locator("table").inner_text()
