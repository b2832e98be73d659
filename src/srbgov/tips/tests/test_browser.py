"""Issue 6 end to end: an anonymous reporter on a phone, the tip officer, the township
officer working the case, and the auditor."""

from __future__ import annotations

import shutil
import tempfile

from django.test import override_settings

from srbgov.browser import BrowserTestCase
from srbgov.oversight.models import Case
from srbgov.tips import receipt, uploads
from srbgov.tips.models import Tip, TipMessage
from srbgov.tips.tests.builders import gps_of, jpeg_with_gps

MEDIA = tempfile.mkdtemp()


# A small proof-of-work keeps the test quick; the page's own script still solves it.
@override_settings(TIPS_POW_BITS=8, PRIVATE_MEDIA_ROOT=MEDIA)
class TipOffInBrowserTests(BrowserTestCase):
    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def test_an_anonymous_report_followed_up_by_code_protected_and_audited(
        self,
    ) -> None:
        photo = jpeg_with_gps(size=(640, 480))
        assert gps_of(photo), "the test photo carries GPS to begin with"

        # A visitor with no account, on a phone, from the login page's link.
        visitor = self.page
        visitor.goto(self.url("/accounts/login/"))
        # The login form sets Django's CSRF cookie; the report pages set none at all.
        self.context.clear_cookies()
        visitor.click("text=“两非”有奖举报")
        visitor.click("text=我要举报")
        visitor.check("input[name=category][value=sex_identification]")
        visitor.select_option("#id_place_area", label="一村")
        visitor.fill("#id_place_text", "村口诊所")
        visitor.fill("#id_occurred_text", "上周赶集日")
        visitor.fill("#id_description", "村口诊所晚上用B超给孕妇看男女，收费600元。")
        visitor.set_input_files(
            "#id_evidence",
            files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}],
        )
        visitor.check("#id_wants_reward")
        visitor.fill("#id_contact", "13987654321 李女士")
        visitor.click("button:has-text('提交举报')")
        code_text = visitor.locator("#receipt-code").inner_text()
        code = receipt.normalize(code_text)
        assert len(code) == 20, code_text
        assert self.context.cookies() == [], "the public pages set no cookie"
        self.page.screenshot(path=_artifact("tips-receipt-phone.png"), full_page=True)

        tip = Tip.objects.get()
        stored = uploads.path_of(tip.attachments.get().stored_name).read_bytes()
        assert gps_of(stored) == {}, "the stored photo keeps no GPS"
        assert b"PhoneMaker" not in stored

        # The tip officer opens a case in 甲镇 from it and asks a question.
        officer = self.log_in("tips", self.new_page())
        officer.goto(self.url("/tips/"))
        officer.click(f"text={tip.reference}")
        officer.select_option("#case_township", label="甲镇")
        officer.fill("#case_title", "非法鉴定胎儿性别")
        officer.select_option("#case_subject_kind", value="unknown")
        officer.click("button:has-text('据此立案')")
        officer.fill("#ask_body", "诊所的门牌号和医生姓什么？")
        officer.click("button:has-text('发送问题')")
        assert "诊所的门牌号和医生姓什么？" in officer.content()
        case = Case.objects.get()
        tip.refresh_from_db()
        assert (tip.case, tip.township) == (case, self.town_a)

        # Later, the reporter comes back with the code and answers.
        visitor.goto(self.url("/report/follow-up/"))
        visitor.fill("#id_code", code_text.lower())
        visitor.click("button:has-text('查询')")
        assert "诊所的门牌号和医生姓什么？" in visitor.content()
        assert "核查中" in visitor.locator("#tip-status").inner_text()
        visitor.fill("#id_body", "东街12号，医生姓张。")
        visitor.click("button:has-text('发送')")
        assert "已收到您的回复" in visitor.content()
        assert TipMessage.objects.filter(from_reporter=True).get().body == (
            "东街12号，医生姓张。"
        )
        assert self.context.cookies() == []

        # The township officer working the case sees the report, not the contact.
        township = self.log_in("zhen_a", self.new_page())
        township.goto(self.url(f"/tips/{tip.pk}/"))
        assert "村口诊所晚上用B超" in township.locator("#tip-description").inner_text()
        assert case.number in township.locator("#tip-case").inner_text()
        page_text = township.content()
        assert "13987654321" not in page_text and "李女士" not in page_text
        assert township.locator("text=解密查看").count() == 0
        response = township.goto(self.url(f"/tips/{tip.pk}/reveal/"))
        assert response is not None and response.status == 404

        # The tip officer reveals the contact, giving a reason.
        officer.click("text=解密查看")
        officer.fill("#id_reason", "需电话核实诊所位置")
        officer.click("button:has-text('解密查看')")
        assert "13987654321 李女士" in officer.locator("#revealed").inner_text()

        # The auditor sees who revealed it.
        auditor = self.log_in("auditor", self.new_page())
        auditor.goto(self.url("/audit/?action=reveal"))
        rows = auditor.locator("table.audit tbody tr").all_inner_texts()
        assert any(
            "tips" in r and "解密查看" in r and tip.reference in r for r in rows
        ), rows

        # A wrong code shows nothing, and the same page as any other miss.
        visitor.goto(self.url("/report/follow-up/"))
        visitor.fill("#id_code", receipt.grouped(receipt.new_code()))
        visitor.click("button:has-text('查询')")
        assert "没有可以显示的内容" in visitor.locator("#nothing").inner_text()
        body = visitor.content()
        assert "诊所" not in body and "核查中" not in body
        assert visitor.locator("#tip-status").count() == 0
        self.page.screenshot(
            path=_artifact("tips-wrong-code-phone.png"), full_page=True
        )


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[4] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
