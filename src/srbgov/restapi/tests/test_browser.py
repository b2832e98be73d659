"""The API in the browser: a health center issues its hospital's client token, the
hospital's system pushes a birth with it, the clerk's register lists it; the
documentation page renders from our own files under the page policy (no CDN, no
inline script)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from srbgov.browser import BrowserTestCase
from srbgov.providers.models import FacilityDelivery
from srbgov.providers.tests.builders import make_facility
from srbgov.testing import make_id_number


@pytest.mark.browser
class ApiInBrowserTests(BrowserTestCase):
    def test_a_token_issued_on_the_page_pushes_a_birth_and_the_docs_render(
        self,
    ) -> None:
        facility = make_facility(
            by=self.health_a, area=self.town_a, name="甲镇中心医院"
        )
        page = self.new_page()
        self.log_in("health_a", page)
        problems: list[str] = []
        page.on(
            "console",
            lambda m: problems.append(m.text) if m.type == "error" else None,
        )
        page.click("nav >> text=接口令牌")
        page.click("text=签发机构接口令牌")
        page.select_option("#id_facility", str(facility.pk))
        page.fill("#id_name", "中心医院HIS")
        page.click("button:has-text('保存')")
        key = page.inner_text("#issued-token").strip()
        assert re.fullmatch(r"srb_[A-Za-z0-9_-]{43}", key), key
        # The hospital's system, with nothing but the token.
        pushed = self.playwright.request.new_context().post(
            self.url("/api/v1/deliveries/"),
            headers={"Authorization": f"Token {key}", "Idempotency-Key": "his-1"},
            data={
                "mother_name": "周敏",
                "mother_id_number": make_id_number(),
                "village_code": self.village_a.code,
                "delivered_on": timezone.localdate().isoformat(),
                "children": [{"sex": "F"}],
            },
        )
        assert pushed.status == 201, pushed.text()
        assert FacilityDelivery.objects.get().source == "api"
        # The documentation page, served from our static files.
        page.goto(self.url("/api/docs/"))
        page.wait_for_selector("text=/api/v1/deliveries/")
        assert "登记一次分娩及其新生儿" in page.content()
        assert not [p for p in problems if "Content Security Policy" in p], problems
        policy = page.request.get(self.url("/api/docs/")).headers
        assert "script-src 'self';" in policy["content-security-policy"]
