"""Uploaded evidence: stored outside the web root, served only through a scoped view,
refused when it is not a PDF or image (by content) or is over the size limit."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from srbgov.files.models import StoredFile
from srbgov.files.storage import absolute
from srbgov.providers.models import Facility, TerminationVerification
from srbgov.providers.tests.builders import PDF, PNG, days_ago, make_facility
from srbgov.testing import BaseTestCase, make_id_number

MEDIA = tempfile.mkdtemp(prefix="srbgov-test-private-")


@override_settings(PRIVATE_MEDIA_ROOT=MEDIA)
class EvidenceUploadTests(BaseTestCase):
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)

    def post(self, upload: SimpleUploadedFile) -> object:
        self.client.force_login(self.health_a)
        return self.client.post(
            reverse("providers:verification_create"),
            {
                "woman_name": "孙丽",
                "id_number": make_id_number(),
                "facility": self.facility.pk,
                "reason": "fetal_defect",
                "diagnosis_facility": "示范县人民医院",
                "diagnosis": "胎儿严重畸形",
                "diagnosed_on": days_ago(1).isoformat(),
                "evidence": upload,
            },
        )

    def test_it_stores_a_pdf_outside_the_web_root_and_serves_it_only_in_scope(
        self,
    ) -> None:
        self.post(SimpleUploadedFile("诊断.pdf", PDF, content_type="application/pdf"))
        verification = TerminationVerification.objects.get()
        path = absolute(verification.evidence.path)
        self.assertTrue(path.is_file())
        self.assertTrue(path.is_relative_to(Path(MEDIA).resolve()))
        for public in (settings.STATIC_ROOT, settings.BASE_DIR):
            self.assertFalse(path.is_relative_to(Path(public).resolve()))
        self.assertNotIn(
            verification.evidence.path,
            self.client.get(
                reverse("providers:verification_detail", args=[verification.pk])
            ).content.decode(),
        )
        # No URL serves the folder itself.
        self.assertEqual(
            self.client.get(f"/media/{verification.evidence.path}").status_code, 404
        )
        self.assertEqual(
            self.client.get(
                f"/static/../var/private/{verification.evidence.path}"
            ).status_code,
            404,
        )
        url = reverse("providers:verification_file", args=[verification.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        for outsider in (self.zhen_b, self.other_xian, self.cun_a, self.police_a):
            self.client.force_login(outsider)
            self.assertEqual(self.client.get(url).status_code, 404, outsider)

    def test_it_accepts_an_image(self) -> None:
        self.post(SimpleUploadedFile("scan.png", PNG, content_type="image/png"))
        self.assertEqual(StoredFile.objects.get().content_type, "image/png")

    def test_it_refuses_a_file_that_only_claims_to_be_a_pdf(self) -> None:
        fake = SimpleUploadedFile(
            "诊断.pdf",
            b"<html><script>alert(1)</script>",
            content_type="application/pdf",
        )
        response = self.post(fake)
        self.assertContains(response, "只能上传 PDF 或图片（JPG、PNG）文件。")  # type: ignore[arg-type]
        self.assertFalse(TerminationVerification.objects.exists())
        self.assertFalse(StoredFile.objects.exists())

    def test_it_refuses_a_pdf_renamed_to_an_executable(self) -> None:
        response = self.post(
            SimpleUploadedFile("run.exe", PDF, content_type="application/pdf")
        )
        self.assertContains(response, "只能上传 PDF 或图片")  # type: ignore[arg-type]
        self.assertFalse(StoredFile.objects.exists())

    def test_it_refuses_a_file_over_the_size_limit(self) -> None:
        with mock.patch("srbgov.files.clean.MAX_BYTES", 1024):
            response = self.post(
                SimpleUploadedFile(
                    "big.pdf", PDF + b"0" * 2048, content_type="application/pdf"
                )
            )
        self.assertContains(response, "文件太大")  # type: ignore[arg-type]
        self.assertFalse(TerminationVerification.objects.exists())

    def test_the_default_limit_is_ten_megabytes(self) -> None:
        from srbgov.files.clean import MAX_BYTES as MAX_UPLOAD_BYTES

        self.assertEqual(MAX_UPLOAD_BYTES, 10 * 1024 * 1024)
