"""The content security policy, as chromium enforces it: no page breaks under it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from srbgov.browser import BrowserTestCase
from srbgov.testing import make_woman

STAFF_PAGES = [
    "core:home",
    "people:woman_list",
    "pregnancies:pregnancy_list",
    "alerts:alert_list",
    "monitoring:overview",
    "monitoring:funnel",
    "providers:facility_list",
    "oversight:campaign_list",
]


class PolicyInBrowserTests(BrowserTestCase):
    def watch(self, page: Any) -> list[str]:
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return refused

    def test_staff_and_tip_pages_run_and_style_under_the_policy(self) -> None:
        make_woman(by=self.cun_a, village=self.village_a)
        page = self.log_in("xian", self.new_page())
        refused = self.watch(page)
        for name in STAFF_PAGES:
            response = page.goto(self.url(reverse(name)))
            assert response is not None and response.status == 200, name
            assert "script-src 'self'" in response.headers["content-security-policy"]
            # The stylesheet applied: the header bar is laid out by site.css, not inline.
            assert (
                page.locator("header.top").evaluate("e => getComputedStyle(e).display")
                != "inline"
            ), name
        assert refused == []

    def test_an_injected_inline_script_does_not_run(self) -> None:
        # What the policy is for: markup that slipped through escaping cannot run.
        page = self.new_page()
        refused = self.watch(page)
        page.goto(self.url(reverse("accounts:login")))
        page.evaluate(
            """() => {
                const s = document.createElement('script');
                s.textContent = 'window.injected = true';
                document.body.appendChild(s);
            }"""
        )
        assert page.evaluate("() => window.injected === true") is False
        assert refused, "chromium reported no refusal"
