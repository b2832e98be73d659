"""Issue 4, as the county officer does it: the funnel plot, its flags, its export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from srbgov.browser import BrowserTestCase
from srbgov.monitoring import calibration
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
        assert selecting in title and "排序分" in title
        assert "高于107的概率" not in title  # a ranking score, not a probability
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
        # Same births, SRB, interval and ranking score as the page's table.
        assert str(row[3]) == cells[1]
        assert f"{row[6]:.1f}" == cells[2]
        assert f"{row[7]:.1f}–{row[8]:.1f}" == cells[3]
        assert f"{row[12]:.1f}" == cells[7]
        assert row[14] in ("高于95%控制限", "高于99.8%控制限")
        assert rows[noisy][14] == "控制限内"


class SentencesAndSingleYearInBrowserTests(BrowserTestCase):
    """Issue 11: each statistics page says what a flag means and how often it would
    appear by chance; one year's data is shown without any verdict."""

    def test_pages_explain_flags_and_single_years_carry_no_verdict(self) -> None:
        _villages, summary = demo_world(type(self))
        selecting, noisy = summary.selection[0], summary.noisy
        page = self.log_in("xian", self.new_page())

        def show(tab: str, period: str, year: str) -> None:
            page.click("nav >> text=性别比监测")
            page.click(f".tabs >> text={tab}")
            page.select_option("#id_period", period)
            page.fill("#id_year", year)
            with page.expect_navigation():
                page.click("button:has-text('查询')")

        # Pooled window: the sentence names the error model and the simulated rate,
        # and the selecting village carries the flag.
        show("各村排序", "window5", "2025")
        sentence = page.locator("#flag-meaning").inner_text()
        assert "错误发现率2.5%" in sentence
        assert calibration.current().village_false_text in sentence
        row = page.locator(f"#village-ranking tr[data-village='{selecting}']")
        assert "显著偏高" in row.locator("td.verdict").inner_text()

        # One year: figures and intervals, no verdict, no flag anywhere.
        show("各村排序", "year", "2025")
        assert "不作判断" in page.locator("#flag-meaning").inner_text()
        assert page.locator("#village-ranking .flag-high").count() == 0
        verdicts = page.locator("#village-ranking td.verdict").all_inner_texts()
        assert verdicts and all(v in ("单年数据不作判断", "") for v in verdicts)
        noisy_row = page.locator(f"#village-ranking tr[data-village='{noisy}']")
        assert "–" in noisy_row.locator("td").nth(4).inner_text()  # the interval

        show("漏斗图", "year", "2025")
        assert "不标记" in page.locator("#flag-meaning").inner_text()
        assert page.locator("#funnel-outside").count() == 0
        zones = {c.get_attribute("data-zone") for c in page.locator("circle").all()}
        assert zones == {"not_judged"}

        # The funnel on a window says how many villages chance alone puts outside.
        show("漏斗图", "window5", "2025")
        assert "偶然落在95%控制限外" in page.locator("#flag-meaning").inner_text()

        # Overview: the trend table's single years are never judged.
        show("概况", "window5", "2025")
        assert "累积和" in page.locator("#flag-meaning").inner_text()
        trend = page.locator("table.responsive").first.inner_text()
        assert "显著高于107" not in trend and "单年（季度）数据不作判断" in trend
