"""The public pages under /report/: anyone, no account, no cookie, no trace."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from typing import Any

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from srbgov.audit.models import AuditEntry
from srbgov.people.crypto import cipher_for, identity_cipher
from srbgov.providers.tests.builders import PDF
from srbgov.testing import BaseTestCase
from srbgov.tips import receipt, services, uploads
from srbgov.tips.models import Tip, TipAttachment, TipMessage, TipStatus
from srbgov.tips.tests.builders import file_tip, gps_of, photo_upload, solved

CLIENT_ADDRESS = "203.0.113.77"
USER_AGENT = "MarkerPhone/9.9 (reporter's own phone)"
PUBLIC_ROUTES = [
    "report:start",
    "report:new",
    "report:follow_up",
    "report:reply",
    "report:poster",
]


class PublicTestCase(BaseTestCase):
    media: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(
            override_settings(
                PRIVATE_MEDIA_ROOT=cls.media,
                TIPS_POW_BITS=4,
                TIPS_FOLLOW_UP_SECONDS=0,
            )
        )

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def report(self, **overrides: Any) -> Any:
        data: dict[str, Any] = {
            "county": self.county.pk,
            "category": "sex_identification",
            "place_area": self.village_a.pk,
            "place_text": "村口诊所",
            "occurred_on": "2026-03-02",
            "description": "有人在村口诊所用B超看胎儿性别，收费600元。",
            "contact": "微信 wx_reporter_88",
            "name": "",
            "wants_reward": "on",
            **solved("report"),
        }
        data.update(overrides)
        return self.client.post(
            reverse("report:new"),
            data,
            REMOTE_ADDR=CLIENT_ADDRESS,
            HTTP_USER_AGENT=USER_AGENT,
        )

    def code_from(self, response: Any) -> str:
        match = re.search(r'id="receipt-code">([0-9A-Z-]+)<', response.content.decode())
        assert match is not None
        return match.group(1)

    def follow_up(self, code: str) -> Any:
        return self.client.post(
            reverse("report:follow_up"),
            {"code": code, **solved("follow_up")},
            REMOTE_ADDR=CLIENT_ADDRESS,
        )


class FileTipTests(PublicTestCase):
    def test_it_files_a_tip_without_an_account_and_sets_no_cookie(self) -> None:
        for name in ("report:start", "report:new", "report:follow_up"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200, name)
            self.assertEqual(dict(response.cookies), {}, name)
            self.assertEqual(response["Cache-Control"], "no-store")
            self.assertEqual(response["Referrer-Policy"], "no-referrer")
        response = self.report()
        self.assertEqual(dict(response.cookies), {})
        self.assertNotIn("csrftoken", response.client.cookies)
        code = self.code_from(response)
        self.assertEqual(len(receipt.normalize(code)), 20)
        tip = Tip.objects.get()
        self.assertEqual(tip.status, TipStatus.RECEIVED)
        self.assertEqual(tip.county, self.county)
        self.assertEqual(tip.place_area, self.village_a)
        self.assertTrue(tip.wants_reward)
        # Only the keyed hash of the code is kept, nothing that contains it.
        self.assertNotIn(receipt.normalize(code), str(Tip.objects.values().get()))
        self.assertEqual(
            tip.receipt_hash,
            receipt.receipt_hash(services.tips_cipher(), receipt.normalize(code)),
        )

    def test_receipt_codes_carry_at_least_80_random_bits(self) -> None:
        codes = {receipt.new_code() for _ in range(2000)}
        self.assertEqual(len(codes), 2000)
        self.assertGreaterEqual(receipt.BITS, 80)
        self.assertEqual(len(receipt.ALPHABET), 32)
        self.assertEqual(receipt.normalize("abcd-efgh jk0o-1il0-mnpq-rstv"), "")
        code = receipt.new_code()
        self.assertEqual(receipt.normalize(receipt.grouped(code).lower()), code)

    def test_the_photo_is_stored_without_gps_or_camera_metadata(self) -> None:
        response = self.report(evidence=[photo_upload()])
        self.assertContains(response, "举报已提交")
        stored = TipAttachment.objects.get()
        content = uploads.path_of(stored.stored_name).read_bytes()
        self.assertEqual(gps_of(content), {})
        self.assertNotIn(b"PhoneMaker", content)
        self.assertNotIn(b"Exif", content)
        # Nor is the reporter's file name kept anywhere.
        self.assertNotIn("王家", str(TipAttachment.objects.values().get()))
        self.assertTrue(str(uploads.path_of(stored.stored_name)).startswith(self.media))

    def test_it_refuses_other_files_and_big_ones_in_chinese(self) -> None:
        exe = SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 100)
        response = self.report(evidence=[exe])
        self.assertContains(response, "只能上传照片（JPG、PNG、WEBP）或PDF文件")
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * uploads.MAX_BYTES)
        response = self.report(evidence=[big])
        self.assertContains(response, "超过10MB")
        four = [photo_upload(f"{i}.jpg") for i in range(4)]
        response = self.report(evidence=four)
        self.assertContains(response, "最多上传3个文件")
        self.assertFalse(Tip.objects.exists())

    def test_a_pdf_is_kept_as_a_document(self) -> None:
        pdf = SimpleUploadedFile("a.pdf", PDF)
        self.report(evidence=[pdf])
        self.assertEqual(TipAttachment.objects.get().kind, "pdf")

    def test_it_refuses_a_submission_without_proof_of_work_or_a_replayed_one(
        self,
    ) -> None:
        response = self.report(pow_nonce="")
        self.assertContains(response, "提交校验未通过")
        work = solved("report")
        self.code_from(self.report(**work))
        response = self.report(**work)
        self.assertContains(response, "提交校验未通过")
        self.assertEqual(Tip.objects.count(), 1)

    def test_the_poster_has_a_qr_code_of_the_report_page(self) -> None:
        response = self.client.get(reverse("report:poster"))
        self.assertContains(response, "<svg")
        self.assertContains(response, "http://testserver/report/")
        self.assertEqual(dict(response.cookies), {})

    def test_the_login_page_links_to_the_report_page(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, reverse("report:start"))


class FollowUpTests(PublicTestCase):
    def test_the_reporter_reads_the_question_and_answers_with_the_code(self) -> None:
        filed = file_tip(self.county)
        services.ask_reporter(
            by=self.tips, tip=filed.tip, body="诊所的具体门牌号是多少？"
        )
        response = self.follow_up(receipt.grouped(filed.code).lower())
        self.assertContains(response, "诊所的具体门牌号是多少？")
        self.assertContains(response, "已受理")
        self.assertEqual(dict(response.cookies), {})
        response = self.client.post(
            reverse("report:reply"),
            {"code": filed.code, "body": "东街12号，二楼。", **solved("reply")},
        )
        self.assertContains(response, "已收到您的回复")
        message = TipMessage.objects.get(from_reporter=True)
        self.assertEqual(message.body, "东街12号，二楼。")
        self.assertIsNone(message.author)

    def test_a_wrong_code_shows_nothing_and_the_same_page_as_a_limited_one(
        self,
    ) -> None:
        filed = file_tip(self.county)
        wrong = self.follow_up(receipt.new_code())
        malformed = self.follow_up("1234")
        Tip.objects.filter(pk=filed.tip.pk).update(
            follow_up_hour=_this_hour(), follow_up_count=services.FOLLOW_UPS_PER_HOUR
        )
        limited = self.follow_up(filed.code)
        pages = [_without_challenge(r.content.decode()) for r in (wrong, limited)]
        self.assertEqual(pages[0], pages[1])
        self.assertContains(wrong, "没有可以显示的内容")
        self.assertNotContains(wrong, "镇东头某诊所")
        self.assertEqual(_without_challenge(malformed.content.decode()), pages[0])

    def test_right_and_wrong_codes_both_answer_after_the_same_floor(self) -> None:
        filed = file_tip(self.county)
        with override_settings(TIPS_FOLLOW_UP_SECONDS=0.2):
            for code in (filed.code, receipt.new_code()):
                started = time.monotonic()
                self.follow_up(code)
                self.assertGreaterEqual(time.monotonic() - started, 0.2)

    def test_a_wrong_code_cannot_post_an_answer(self) -> None:
        file_tip(self.county)
        response = self.client.post(
            reverse("report:reply"),
            {"code": receipt.new_code(), "body": "冒充", **solved("reply")},
        )
        self.assertContains(response, "没有可以显示的内容")
        self.assertFalse(TipMessage.objects.exists())

    def test_answers_are_limited_per_code_and_day(self) -> None:
        filed = file_tip(self.county)
        for i in range(services.REPLIES_PER_DAY):
            services.reporter_reply(tip=filed.tip, body=f"补充{i}")
        response = self.client.post(
            reverse("report:reply"),
            {"code": filed.code, "body": "再补充", **solved("reply")},
        )
        self.assertContains(response, "今天的补充次数已达上限")


class NoTraceTests(PublicTestCase):
    def test_the_contact_is_unreadable_in_the_database_without_the_tips_key(
        self,
    ) -> None:
        filed = file_tip(self.county, contact="13912345678 王先生", name="王某某")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT contact_encrypted, name_encrypted FROM tips_tip WHERE id = %s",
                [filed.tip.pk],
            )
            contact_raw, name_raw = cursor.fetchone()
        self.assertNotIn("13912345678", contact_raw)
        self.assertNotIn("王", name_raw)
        self.assertTrue(contact_raw.startswith("v1:"))
        # The registry key (the one an administrator of the people registry holds)
        # cannot open it.
        self.assertNotEqual(settings.FIELD_ENCRYPTION_KEY, settings.TIPS_ENCRYPTION_KEY)
        with self.assertRaises(InvalidTag):
            identity_cipher().decrypt(contact_raw)
        other_key = "b3RoZXIta2V5LW9mLTMyLWJ5dGVzLW5vdC10aGUtdGlwcy1rZXk="
        with self.assertRaises(InvalidTag):
            cipher_for(other_key, "OTHER").decrypt(contact_raw)
        self.assertEqual(
            services.tips_cipher().decrypt(contact_raw), "13912345678 王先生"
        )

    def test_serving_the_public_pages_logs_no_client_address(self) -> None:
        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        handler = Keep(level=logging.DEBUG)
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        # django.request sits under "django", whose level Django sets to INFO.
        request_logger = logging.getLogger("django.request")
        try:
            self.client.get(reverse("report:start"), REMOTE_ADDR=CLIENT_ADDRESS)
            code = self.code_from(self.report(evidence=[photo_upload()]))
            self.follow_up(code)
            self.follow_up(receipt.new_code())
            self.client.post(reverse("report:reply"), {}, REMOTE_ADDR=CLIENT_ADDRESS)
            self.client.get("/report/no-such-page/", REMOTE_ADDR=CLIENT_ADDRESS)
            self.client.get(reverse("report:reply"), REMOTE_ADDR=CLIENT_ADDRESS)
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        warnings = [r for r in records if r.name == "django.request"]
        self.assertTrue(warnings, "the 404 and 405 are logged, so the test sees them")
        self.assertTrue(request_logger.filters)
        for record in records:
            text = record.getMessage() + repr(vars(record))
            self.assertNotIn(CLIENT_ADDRESS, text)
            self.assertNotIn("MarkerPhone", text)
            self.assertIsNone(getattr(record, "request", None))
        self.assertFalse(AuditEntry.objects.filter(ip_address=CLIENT_ADDRESS).exists())
        self.assertFalse(AuditEntry.objects.exclude(ip_address=None).exists())

    def test_staff_pages_still_record_the_address(self) -> None:
        filed = file_tip(self.county)
        self.login(self.tips)
        self.client.get(
            reverse("tips:tip_detail", args=[filed.tip.pk]), REMOTE_ADDR="10.1.2.3"
        )
        self.assertTrue(AuditEntry.objects.filter(ip_address="10.1.2.3").exists())

    def test_public_routes_are_listed_as_public(self) -> None:
        from srbgov.core.tests.test_url_coverage import NOT_AREA_SCOPED

        for name in PUBLIC_ROUTES:
            self.assertEqual(NOT_AREA_SCOPED.get(name), "public, anonymous")


def _this_hour() -> Any:
    from django.utils import timezone

    return timezone.now().replace(minute=0, second=0, microsecond=0)


def _without_challenge(html: str) -> str:
    return re.sub(r'name="pow_challenge" value="[^"]*"', "", html)
