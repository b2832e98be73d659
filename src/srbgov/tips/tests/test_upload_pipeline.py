"""The public tip form: the same pipeline (PDF metadata too), a bound on concurrent
anonymous uploads that holds across processes, a proof of work that costs more with
files, and the reply page that no longer looks up a code without the work."""

from __future__ import annotations

import errno
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srbgov.files.gate import anonymous_upload_slot, slots
from srbgov.files.tests import samples
from srbgov.files.tests.samples import marks_in
from srbgov.tips import pow, uploads
from srbgov.tips.models import Tip, TipAttachment, TipStatus
from srbgov.tips.tests.builders import file_tip, solved
from srbgov.tips.tests.test_public import PublicTestCase


def under_bits(challenge: str, *, at_least: int, below: int) -> str:
    """A nonce that passes `at_least` zero bits but not `below`."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if at_least <= pow.leading_zero_bits(digest) < below:
            return str(nonce)
        nonce += 1


class TipUploadTests(PublicTestCase):
    def test_a_tip_pdf_is_stored_without_author_xmp_or_script(self) -> None:
        pdf = SimpleUploadedFile("举报材料.pdf", samples.pdf_with_metadata())
        self.assertContains(self.report(evidence=[pdf]), "举报已提交")
        stored = TipAttachment.objects.get()
        self.assertEqual(stored.kind, "pdf")
        self.assertEqual(marks_in(uploads.path_of(stored.stored_name).read_bytes()), [])

    def test_polyglots_are_refused_on_the_public_form(self) -> None:
        for name in ("jpeg-html", "pdf-html"):
            upload = SimpleUploadedFile("x.jpg", samples.POLYGLOTS[name])
            response = self.report(evidence=[upload])
            self.assertContains(response, "第1个文件不是照片或PDF文件")
        self.assertFalse(Tip.objects.exists())

    def test_the_staff_download_of_a_tip_photo_is_a_sandboxed_attachment(self) -> None:
        self.report(evidence=[SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())])
        tip = Tip.objects.get()
        url = reverse("tips:attachment", args=[tip.pk, tip.attachments.get().pk])
        self.client.force_login(self.tips)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(
            response["Content-Security-Policy"], "default-src 'none'; sandbox"
        )
        for outsider in (self.other_xian, self.zhen_a, self.auditor):
            self.client.force_login(outsider)
            self.assertEqual(self.client.get(url).status_code, 404, outsider)


class UploadSlotTests(PublicTestCase):
    def photo(self) -> Any:
        return SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())

    def test_when_every_slot_is_taken_an_upload_is_refused_busy_not_500(self) -> None:
        with anonymous_upload_slot(), anonymous_upload_slot():
            self.assertEqual(slots(), 2)
            response = self.report(evidence=[self.photo()])
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Retry-After"], "60")
            self.assertContains(response, "服务器忙", status_code=503)
            self.assertFalse(Tip.objects.exists())
            # A tip without files needs no slot.
            self.assertContains(self.report(), "举报已提交")
        self.assertContains(self.report(evidence=[self.photo()]), "举报已提交")
        self.assertEqual(Tip.objects.count(), 2)

    def test_the_slots_hold_across_processes(self) -> None:
        # Another worker process of the server holds both slots.
        script = textwrap.dedent(
            f"""
            import fcntl, os, sys, time
            folder = {str(Path(self.media) / ".slots")!r}
            os.makedirs(folder, exist_ok=True)
            fds = [os.open(os.path.join(folder, f"anonymous-{{n}}.lock"),
                           os.O_RDWR | os.O_CREAT, 0o600) for n in range(2)]
            for fd in fds:
                fcntl.flock(fd, fcntl.LOCK_EX)
            print("held", flush=True)
            sys.stdin.read()
            """
        )
        holder = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None
            self.assertEqual(holder.stdout.readline().strip(), "held")
            response = self.report(evidence=[self.photo()])
            self.assertEqual(response.status_code, 503)
        finally:
            holder.communicate("")
        # The holder ended; the kernel released its locks.
        self.assertContains(self.report(evidence=[self.photo()]), "举报已提交")


class ProofOfWorkCostTests(PublicTestCase):
    def test_a_submission_with_files_needs_the_upload_difficulty(self) -> None:
        self.assertGreater(pow.upload_difficulty(), pow.difficulty())
        challenge = pow.issue("report")
        cheap = under_bits(
            challenge, at_least=pow.difficulty(), below=pow.upload_difficulty()
        )
        work = {"pow_challenge": challenge, "pow_nonce": cheap}
        photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())
        response = self.report(evidence=[photo], **work)
        self.assertContains(response, "提交校验未通过")
        self.assertFalse(Tip.objects.exists())
        # The same work is enough for a tip without files.
        self.assertContains(self.report(**work), "举报已提交")

    def test_an_empty_or_non_numeric_nonce_is_never_work(self) -> None:
        # At the tests' 4 bits, one empty nonce in 16 used to pass by chance.
        for _ in range(64):
            challenge = pow.issue("report")
            for nonce in ("", " ", "١٢", "-1", "1e3"):
                self.assertFalse(pow.check(challenge, nonce, purpose="report"), nonce)

    def test_the_page_tells_the_browser_both_difficulties(self) -> None:
        page = self.client.get(reverse("report:new")).content.decode()
        self.assertIn(f'data-bits="{pow.difficulty()}"', page)
        self.assertIn(f'data-upload-bits="{pow.upload_difficulty()}"', page)


class ReplyProofOfWorkTests(PublicTestCase):
    def test_the_reply_page_without_proof_of_work_looks_nothing_up(self) -> None:
        filed = file_tip(self.county)
        before = Tip.objects.get().follow_up_count
        for work in ({}, {"pow_challenge": "forged", "pow_nonce": "1"}):
            response = self.client.post(
                reverse("report:reply"), {"code": filed.code, "body": "补充", **work}
            )
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "提交校验未通过")
            # Neither the tip's status nor a right-code page: the same as any code.
            self.assertNotContains(response, "举报处理进度")
            self.assertNotContains(response, filed.tip.get_status_display())
        tip = Tip.objects.get()
        self.assertEqual(tip.follow_up_count, before)
        self.assertFalse(tip.messages.exists())
        self.assertEqual(tip.status, TipStatus.RECEIVED)

    def test_with_the_work_the_reply_is_saved(self) -> None:
        filed = file_tip(self.county)
        response = self.client.post(
            reverse("report:reply"),
            {"code": filed.code, "body": "东街12号", **solved("reply")},
        )
        self.assertContains(response, "已收到您的回复")


class ReplyAttachmentTests(PublicTestCase):
    def reply(self, code: str, **extra: Any) -> Any:
        return self.client.post(
            reverse("report:reply"),
            {"code": code, "body": "这是诊所门口的照片。", **solved("reply"), **extra},
        )

    def test_the_reporter_answers_with_a_photo_stored_without_gps(self) -> None:
        filed = file_tip(self.county)
        photo = SimpleUploadedFile("IMG_0002.jpg", samples.jpeg_with_gps())
        response = self.reply(filed.code, evidence=[photo])
        self.assertContains(response, "已收到您的回复")
        self.assertContains(response, "附1个文件")
        message = filed.tip.messages.get()
        stored = TipAttachment.objects.get()
        self.assertEqual((stored.message, stored.position), (message, 1))
        self.assertEqual(marks_in(uploads.path_of(stored.stored_name).read_bytes()), [])
        # The tip officer sees it among the tip's files, marked as the answer's.
        self.client.force_login(self.tips)
        page = self.client.get(reverse("tips:tip_detail", args=[filed.tip.pk]))
        self.assertContains(page, "附件1.jpg")
        self.assertContains(page, "补充")

    def test_an_answer_with_files_needs_the_upload_work_and_a_free_slot(self) -> None:
        filed = file_tip(self.county)
        challenge = pow.issue("reply")
        cheap = under_bits(
            challenge, at_least=pow.difficulty(), below=pow.upload_difficulty()
        )
        photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())
        response = self.client.post(
            reverse("report:reply"),
            {
                "code": filed.code,
                "body": "照片",
                "pow_challenge": challenge,
                "pow_nonce": cheap,
                "evidence": [photo],
            },
        )
        self.assertContains(response, "提交校验未通过")
        with anonymous_upload_slot(), anonymous_upload_slot():
            photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())
            response = self.reply(filed.code, evidence=[photo])
            self.assertContains(response, "服务器忙", status_code=503)
        self.assertFalse(TipAttachment.objects.exists())
        self.assertFalse(filed.tip.messages.exists())


class TipFullDiskTests(PublicTestCase):
    def test_a_full_disk_refuses_the_tip_cleanly_and_keeps_nothing(self) -> None:
        photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_gps())
        with mock.patch(
            "srbgov.files.storage._write_new",
            side_effect=OSError(errno.ENOSPC, "No space left on device"),
        ):
            response = self.report(evidence=[photo])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "服务器存储空间已满")
        self.assertFalse(Tip.objects.exists())
        self.assertFalse(TipAttachment.objects.exists())
        tips_folder = Path(self.media) / "tips"
        self.assertEqual(
            list(tips_folder.iterdir()) if tips_folder.exists() else [], []
        )
