"""The village worker's day on a 390 × 844 phone and every role's home page, in
Debian's chromium (docs/homes.md): tap targets of at least 44 px, no horizontal
scroll, screenshots into test-artifacts/, and the bytes of her main pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from srbgov.browser import BrowserTestCase
from srbgov.pregnancies.models import Outcome, Pregnancy, Visit
from srbgov.pregnancies.schedule import refresh
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import make_woman

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"

# Visible controls smaller than 44 px in either direction (radio and checkbox inputs
# are tapped through their label; inline links inside running text are exempt).
SMALL_TARGETS = """() => [...document.querySelectorAll(
  'header a, header button, main a.button, main button, .worklist a, .pager a,'
  + ' main select, main input:not([type=hidden]):not([type=radio]):not([type=checkbox])'
  + ', table.responsive td a')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
  .filter(([, r]) => r.height < 44 || r.width < 44)
  .map(([h, r]) => h + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""

# What the page cost over the wire: the document and everything it loaded.
PAGE_BYTES = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0)"""


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def follow(page: Any, link: str) -> None:
    """Click a link and wait for the page it opens: measuring right after the click
    would measure the old page, or a document half torn down."""
    with page.expect_navigation():
        page.click(link)


class HomeInBrowserTests(BrowserTestCase):
    def check_phone(self, page: Any, where: str) -> None:
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert wide <= 0, f"{where}: {wide} px of horizontal scroll"
        small = page.evaluate(SMALL_TARGETS)
        assert not small, f"{where}: {small}"

    def test_the_village_worker_s_day_on_a_phone(self) -> None:
        today = timezone.localdate()
        due = make_pregnancy(
            by=self.cun_a,
            woman=make_woman(by=self.cun_a, village=self.village_a, name="周晓燕"),
            weeks=20,
            registered_on=today - timedelta(weeks=12),
        )
        refresh(due, on=today)
        make_woman(by=self.cun_a, village=self.village_a, name="吴小梅")
        weights: dict[str, int] = {}

        page = self.log_in("cun_a")
        self.check_phone(page, "home")
        weights["home"] = page.evaluate(PAGE_BYTES)
        shot(page, "home-village-worker-day-phone.png")
        page.click(".worklist a:has-text('逾期未访')")
        page.wait_for_url("**/work/overdue/")
        self.check_phone(page, "overdue list")
        page.click("table.responsive a:has-text('周晓燕')")
        page.wait_for_url(f"**/pregnancies/{due.pk}/")
        page.click("a.button:has-text('记录随访')")
        page.wait_for_url("**/visit/")
        self.check_phone(page, "visit form")
        weights["visit form"] = page.evaluate(PAGE_BYTES)
        assert page.input_value("#id_visitors") == "王芳、李娟"
        page.check("input[name=mode][value=home]")
        page.click("button:has-text('保存随访')")
        page.wait_for_url(f"**/pregnancies/{due.pk}/")
        assert Visit.objects.filter(pregnancy=due).count() == 1

        page.goto(self.url("/"))
        follow(page, ".home-actions a:has-text('孕期中的孕情')")
        self.check_phone(page, "pregnancy list")
        weights["pregnancy list"] = page.evaluate(PAGE_BYTES)
        page.goto(self.url("/"))
        follow(page, ".home-actions a:has-text('登记孕情')")
        self.check_phone(page, "register")
        page.fill("#id_q", "吴小梅")
        page.click("button:has-text('查询')")
        page.click("text=为她登记")
        page.fill("#id_lmp_on", (today - timedelta(weeks=10)).isoformat())
        page.fill("#id_responsible_persons", "王芳、李娟")
        page.click("button:has-text('保存')")
        page.wait_for_url("**/pregnancies/*/")
        new = Pregnancy.objects.get(woman__name="吴小梅")
        self.check_phone(page, "pregnancy detail")

        follow(page, "a.button:has-text('登记结局')")
        self.check_phone(page, "outcome form")
        page.select_option("#id_kind", "miscarriage")
        page.fill("#id_occurred_on", today.isoformat())
        page.click("button:has-text('保存结局')")
        page.wait_for_url(f"**/pregnancies/{new.pk}/")
        assert Outcome.objects.filter(pregnancy=new).count() == 1
        # Ended: the page offers neither a visit nor another outcome.
        assert page.locator("a.button:has-text('记录随访')").count() == 0
        assert page.locator("a.button:has-text('登记结局')").count() == 0
        print("page bytes (390x844, cun_a):", weights)

    def test_every_role_s_home_on_a_phone_and_a_desktop(self) -> None:
        for username in (
            "cun_a",
            "zhen_a",
            "health_a",
            "police_a",
            "tips",
            "xian",
            "auditor",
            "admin",
        ):
            page = self.log_in(
                username,
                self.browser.new_page(
                    viewport={"width": 390, "height": 844}, locale="zh-CN"
                ),
            )
            self.check_phone(page, f"home of {username}")
            assert "您的角色目前没有可用的工作页面" not in page.content(), username
            shot(page, f"home-{username}-phone.png")
            page.set_viewport_size({"width": 1280, "height": 900})
            shot(page, f"home-{username}-desktop.png")
            page.close()
