"""Issue 2, as a village worker does it on a phone."""

from __future__ import annotations

from datetime import date

from srbgov.browser import BrowserTestCase
from srbgov.people.models import Woman
from srbgov.testing import make_id_number


class RegisterWomanInBrowserTests(BrowserTestCase):
    def test_worker_fixes_a_check_digit_finds_her_masked_and_others_get_404(
        self,
    ) -> None:
        good = make_id_number(birth_on=date(1996, 2, 29))
        wrong = good[:17] + ("1" if good[17] != "1" else "2")
        page = self.log_in("cun_a")
        page.click("text=育龄妇女")
        page.click("text=登记育龄妇女")
        page.fill("#id_name", "周晓燕")
        page.fill("#id_id_number", wrong)
        page.fill("#id_phone", "13700001234")
        page.click("button:has-text('保存')")
        error = page.locator("[data-field=id_number]")
        assert "身份证号码校验位错误" in error.inner_text()
        assert not Woman.objects.exists()

        page.fill("#id_id_number", good)
        page.click("button:has-text('保存')")
        page.wait_for_url("**/people/*/")
        woman = Woman.objects.get()
        assert woman.birth_on == date(1996, 2, 29)
        assert "周晓燕" in page.locator("h1").inner_text()

        page.click("text=返回名单")
        page.fill("#id_q", "周晓燕")
        page.click("button:has-text('查询')")
        masked = good[:6] + "*" * 12
        assert page.locator("td.id-masked").inner_text() == masked
        assert good not in page.content()
        self.page.screenshot(path=_artifact("people-list-phone.png"), full_page=True)

        other = self.log_in("cun_b", self.new_page())
        response = other.goto(self.url(f"/people/{woman.pk}/"))
        assert response is not None and response.status == 404
        assert "周晓燕" not in other.content()

        auditor = self.log_in("auditor", self.new_page())
        auditor.goto(self.url(f"/audit/?object_type=people.woman&object_id={woman.pk}"))
        rows = auditor.locator("table.audit tbody tr").all_inner_texts()
        assert any("cun_a" in r and "查看" in r for r in rows), rows
        assert any("cun_b" in r and "越权访问被拒" in r for r in rows), rows


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[4] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
