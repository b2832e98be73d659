"""Issue 13, item 1, as a township officer does it: import a workbook with errors,
download the error report, fix it, import it. (The reconciliation half of the issue's
browser test lives with the reconciliation app.)"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings
from openpyxl import load_workbook

from srbgov.browser import BrowserTestCase
from srbgov.exchange.tests.helpers import (
    future_birth_number,
    good_rows,
    number,
    wrong_check_digit,
    xlsx_bytes,
)
from srbgov.people.models import Woman


class ImportInBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="srbgov-import-browser-"))
        self.media = override_settings(PRIVATE_MEDIA_ROOT=str(self.folder / "media"))
        self.media.enable()

    def tearDown(self) -> None:
        self.media.disable()
        shutil.rmtree(self.folder, ignore_errors=True)
        super().tearDown()

    def upload(self, page: Any, path: Path) -> None:
        page.goto(self.url("/exchange/"))
        page.select_option("#id_kind", "women")
        page.set_input_files("#id_file", str(path))
        page.click("button:has-text('上传并检查')")
        page.wait_for_url("**/exchange/jobs/*/")

    def test_officer_imports_fixes_the_error_report_and_imports_the_rest(self) -> None:
        rows = good_rows(5)
        rows.append(["错校验", wrong_check_digit(number(100)), "甲镇 一村", "", "", ""])
        rows.append(["外乡镇", number(101), "乙镇 三村", "", "", ""])
        rows.append(["未来人", future_birth_number(102), "甲镇 二村", "", "", ""])
        first = self.folder / "甲镇育龄妇女.xlsx"
        first.write_bytes(xlsx_bytes(rows))

        page = self.log_in("zhen_a")
        page.click("text=数据导入")
        self.upload(page, first)
        assert page.locator("[data-count=new]").inner_text() == "5"
        assert page.locator("[data-count=errors]").inner_text() == "3"
        problems = page.locator("#problems tbody tr").all_inner_texts()
        assert len(problems) == 3, problems
        assert "校验位错误" in problems[0]
        assert "只能登记本辖区内的村" in problems[1]
        assert not Woman.objects.exists()

        page.click("#import-valid")
        page.wait_for_selector("text=已导入")
        assert Woman.objects.count() == 5

        with page.expect_download() as download:
            page.click("#error-report")
        report = self.folder / "错误报告.xlsx"
        download.value.save_as(report)
        workbook = load_workbook(report)
        sheet = workbook.active
        header = [c.value for c in sheet[1]]
        assert header[-2:] == ["行号", "错误"]
        assert [sheet.cell(row=r, column=7).value for r in (2, 3, 4)] == [7, 8, 9]
        # The fixes: the right check digit, a village of 甲镇, a real birth date.
        sheet["B2"] = number(100)
        sheet["C3"] = "甲镇 二村"
        sheet["B4"] = number(102)
        workbook.save(report)

        self.upload(page, report)
        assert page.locator("[data-count=new]").inner_text() == "3"
        assert page.locator("[data-count=errors]").inner_text() == "0"
        assert page.locator("#problems").count() == 0
        page.click("#import-valid")
        page.wait_for_selector("text=已导入")
        assert Woman.objects.count() == 8
        assert Woman.objects.filter(name="外乡镇", village=self.village_b).exists()

        other = self.log_in("zhen_b", self.new_page())
        job_url = page.url
        response = other.goto(job_url)
        assert response is not None and response.status == 404
