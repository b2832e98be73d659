"""Forms that work with no connection (docs/homes.md, "Offline"), in Debian's
chromium at 390 × 844: a visit and a pregnancy registration saved while the context
is offline wait in the visible outbox and arrive exactly once when it returns."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from srbgov.browser import BrowserTestCase
from srbgov.pregnancies.models import Pregnancy, Visit
from srbgov.pregnancies.schedule import refresh
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import make_woman

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
OUTBOX = "() => JSON.parse(localStorage.getItem('srbgov.outbox') || '[]')"


class OfflineFormsInBrowserTests(BrowserTestCase):
    def test_a_visit_recorded_offline_arrives_once_when_the_signal_returns(
        self,
    ) -> None:
        today = timezone.localdate()
        due = make_pregnancy(
            by=self.cun_a,
            woman=make_woman(by=self.cun_a, village=self.village_a, name="周晓燕"),
            weeks=20,
            registered_on=today - timedelta(weeks=12),
        )
        refresh(due, on=today)
        page = self.log_in("cun_a")
        page.goto(self.url(f"/pregnancies/{due.pk}/visit/"))
        self.context.set_offline(True)
        page.check("input[name=mode][value=home]")
        page.fill("#id_note", "无网络时记录")
        page.click("button:has-text('保存随访')")
        page.wait_for_selector("#outbox:not([hidden])")
        assert page.locator(".offline-note").is_visible()
        assert (
            page.locator("#outbox li").all_inner_texts()[0].startswith("随访：周晓燕")
        )
        assert page.locator("#outbox .outbox-count").inner_text() == "1"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / "offline-outbox-phone.png"), full_page=True
        )
        # A second tap on the same form replaces its entry (one key), not a second.
        page.click("button:has-text('保存随访')")
        assert len(page.evaluate(OUTBOX)) == 1
        assert Visit.objects.filter(pregnancy=due).count() == 0
        queued = page.evaluate(OUTBOX)

        self.context.set_offline(False)
        page.wait_for_selector("#outbox", state="hidden")
        assert page.evaluate(OUTBOX) == []
        visits = list(Visit.objects.filter(pregnancy=due))
        assert len(visits) == 1 and visits[0].note == "无网络时记录"
        assert str(visits[0].submission_key) == queued[0]["key"]

        # The reply lost on the way back: the phone sends the same entry again and
        # the server's submission key keeps it one visit.
        page.evaluate(
            "items => localStorage.setItem('srbgov.outbox', JSON.stringify(items))",
            queued,
        )
        page.reload()
        page.wait_for_function(
            "() => (localStorage.getItem('srbgov.outbox') || '[]') === '[]'"
        )
        assert Visit.objects.filter(pregnancy=due).count() == 1

    def test_a_registration_offline_is_sent_from_the_next_page_opened(self) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, name="吴小梅")
        page = self.log_in("cun_a")
        page.goto(self.url(f"/pregnancies/new/?woman={woman.pk}"))
        self.context.set_offline(True)
        lmp = timezone.localdate() - timedelta(weeks=10)
        page.fill("#id_lmp_on", lmp.isoformat())
        page.fill("#id_responsible_persons", "王芳、李娟")
        page.click("button:has-text('保存')")
        page.wait_for_selector("#outbox:not([hidden])")
        assert not Pregnancy.objects.filter(woman=woman).exists()
        # Back online, she opens her home page: the outbox there sends it.
        self.context.set_offline(False)
        page.goto(self.url("/"))
        page.wait_for_function(
            "() => (localStorage.getItem('srbgov.outbox') || '[]') === '[]'"
        )
        assert page.locator("#outbox").is_hidden()
        found = list(Pregnancy.objects.filter(woman=woman))
        assert len(found) == 1 and found[0].lmp_on == lmp

    def test_another_user_on_the_same_phone_neither_sees_nor_sends_her_entries(
        self,
    ) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, name="吴小梅")
        page = self.log_in("cun_a")
        page.goto(self.url(f"/pregnancies/new/?woman={woman.pk}"))
        self.context.set_offline(True)
        page.fill("#id_lmp_on", (timezone.localdate() - timedelta(weeks=9)).isoformat())
        page.click("button:has-text('保存')")
        page.wait_for_selector("#outbox:not([hidden])")
        # Her session ends before the signal returns: the page's resend must find no
        # session and keep the entry, marked to log in again. Waiting for that mark
        # keeps the resend's reply (the login page, with a CSRF cookie of its own)
        # from racing cun_b's login form.
        self.context.clear_cookies()
        self.context.set_offline(False)
        page.wait_for_function(
            "() => (JSON.parse(localStorage.getItem('srbgov.outbox') || '[]')[0]"
            " || {}).problem"
        )
        self.log_in("cun_b", page)
        assert page.locator("#outbox").is_hidden()
        assert len(page.evaluate(OUTBOX)) == 1
        assert not Pregnancy.objects.filter(woman=woman).exists()
