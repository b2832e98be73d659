"""Issue 4, as the county officer does it: the funnel plot, its flags, its export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from srbgov.browser import BrowserTestCase
from srbgov.monitoring.tests.builders import demo_world


class FunnelInBrowserTests(BrowserTestCase):
    def test_county_officer_finds_the_selecting_village_not_the_noisy_one(self) -> None:
        _villages, summary = demo_world(type(self))
        selecting, noisy = summary.selection[0], summary.noisy

        page = self.log_in("xian", self.new_page())
        page.click("nav >> text=性别比监测")
        page.click(".tabs >> text=漏斗图")
        page.select_option("#id_period", "window5")
        page.fill("#id_year", "2026")
        page.select_option("#id_cell", "after_girls")
        page.click("button:has-text('查询')")
        page.wait_for_url("**/monitoring/funnel/?*")

        point = page.locator(f"circle[data-village='{selecting}']")
        assert point.get_attribute("data-zone") in ("above_95", "above_998")
        # Hover details: the point's <title> names the village and its figures.
        title = point.locator("title").text_content() or ""
        assert selecting in title and "高于107的概率" in title
        quiet = page.locator(f"circle[data-village='{noisy}']")
        assert quiet.get_attribute("data-zone") == "within"
        flagged = page.locator(f"#funnel-outside tr[data-village='{selecting}']")
        cells = flagged.locator("td").all_inner_texts()
        assert page.locator(f"#funnel-outside tr[data-village='{noisy}']").count() == 0

        with page.expect_download() as info:
            page.click("a.button:has-text('导出Excel')")
        content = info.value.path().read_bytes()
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        rows = {r[2]: r for r in sheet.iter_rows(values_only=True)}
        row = rows[selecting]
        # Same births, SRB, interval and probability as the page's table.
        assert str(row[3]) == cells[1]
        assert f"{row[6]:.1f}" == cells[2]
        assert f"{row[7]:.1f}–{row[8]:.1f}" == cells[3]
        assert f"{row[12]:.1f}%" == cells[7]
        assert row[14] in ("高于95%控制限", "高于99.8%控制限")
        assert rows[noisy][14] == "控制限内"
