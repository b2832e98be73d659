"""Staff uploads (pledge scans, diagnoses, investigation records) go through the same
pipeline as tip uploads: no metadata kept, polyglots refused, 0600 on disk, nothing left
behind by a rollback or a full disk, served as a sandboxed attachment, in scope only."""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from srbgov.files import storage
from srbgov.files.models import StoredFile
from srbgov.files.services import store_upload
from srbgov.files.tests import samples
from srbgov.files.tests.samples import marks_in
from srbgov.oversight import services as oversight_services
from srbgov.oversight.models import CaseSource, SubjectKind
from srbgov.oversight.tests.builders import make_campaign, make_inspection
from srbgov.providers import services as provider_services
from srbgov.providers.models import Facility, Pledge, TerminationVerification
from srbgov.providers.tests.builders import PDF, days_ago, make_facility
from srbgov.testing import TemporaryMediaTestCase, make_id_number

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


def files_under(root: str) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file() and ".slots" not in p.parts]


class StaffUploadTestCase(TemporaryMediaTestCase):
    facility: ClassVar[Facility]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)

    def setUp(self) -> None:
        # A committed file of an earlier test stays (that is the point); start empty.
        shutil.rmtree(self.media, ignore_errors=True)
        Path(self.media).mkdir()

    def post_verification(self, name: str, content: bytes) -> Any:
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
                "evidence": SimpleUploadedFile(name, content),
            },
        )

    def download_verification(self) -> Any:
        verification = TerminationVerification.objects.get()
        return self.client.get(
            reverse("providers:verification_file", args=[verification.pk])
        )


class StaffMetadataTests(StaffUploadTestCase):
    def test_a_diagnosis_photo_with_gps_comes_back_without_it(self) -> None:
        photo = samples.jpeg_with_gps(size=(320, 240))
        self.assertIn(b"PhoneMaker", photo)
        self.post_verification("诊断证明.jpg", photo)
        response = self.download_verification()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(marks_in(response.content), [])
        image = Image.open(io.BytesIO(response.content))
        self.assertEqual(dict(image.getexif().get_ifd(samples.GPS_IFD)), {})
        self.assertEqual(image.size, (320, 240))

    def test_a_diagnosis_pdf_comes_back_without_author_xmp_or_script(self) -> None:
        self.post_verification("诊断证明.pdf", samples.pdf_with_metadata())
        response = self.download_verification()
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
        self.assertEqual(marks_in(response.content), [])

    def test_files_that_only_begin_like_a_jpeg_or_a_pdf_are_refused(self) -> None:
        for name, content in (
            ("诊断.jpg", samples.POLYGLOTS["jpeg-html"]),
            ("诊断.pdf", samples.POLYGLOTS["pdf-html"]),
            ("诊断.png", samples.POLYGLOTS["png-html"]),
        ):
            response = self.post_verification(name, content)
            self.assertContains(response, "只能上传 PDF 或图片（JPG、PNG）文件。")
        self.assertFalse(TerminationVerification.objects.exists())
        self.assertFalse(StoredFile.objects.exists())
        self.assertEqual(files_under(self.media), [])

    def test_a_pledge_scan_and_an_investigation_record_lose_their_metadata_too(
        self,
    ) -> None:
        pledge = provider_services.record_pledge(
            by=self.health_a,
            facility=self.facility,
            practitioner=None,
            signer_name="李院长",
            signed_on=days_ago(3),
            expires_on=days_ago(-300),
            scan=SimpleUploadedFile("责任书.png", samples.png_with_text()),
        )
        case = oversight_services.open_case(
            by=self.zhen_a,
            area=self.town_a,
            title="B超非法鉴定",
            source=CaseSource.INSPECTION,
            summary="检查发现",
            subject_kind=SubjectKind.FACILITY,
            subject_facility=self.facility,
            inspection=make_inspection(
                by=self.health_a,
                campaign=make_campaign(by=self.zhen_a, name="甲镇春季整治"),
                facility=self.facility,
            ),
        )
        entry = oversight_services.add_investigation_record(
            by=self.zhen_a,
            case=case,
            recorded_on=days_ago(0),
            interviewee="王某",
            investigators=["张计生", "杨民警"],
            content="询问笔录",
            attachment=SimpleUploadedFile("笔录.pdf", samples.pdf_with_metadata()),
        )
        self.client.force_login(self.zhen_a)
        for url in (
            reverse("providers:pledge_file", args=[pledge.pk]),
            reverse("oversight:case_record_file", args=[entry.pk]),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(marks_in(response.content), [], url)


class StaffStorageTests(StaffUploadTestCase):
    def test_files_are_stored_0600_in_0700_folders_outside_the_web_root(self) -> None:
        self.post_verification("诊断证明.pdf", PDF)
        path = storage.absolute(StoredFile.objects.get().path)
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(path.parent.stat().st_mode), 0o700)
        self.assertTrue(path.is_relative_to(Path(self.media).resolve()))

    def test_downloads_are_sandboxed_attachments_and_404_outside_the_area(
        self,
    ) -> None:
        self.post_verification("诊断证明.pdf", PDF)
        pledge = provider_services.record_pledge(
            by=self.health_a,
            facility=self.facility,
            practitioner=None,
            signer_name="李院长",
            signed_on=days_ago(3),
            expires_on=days_ago(-300),
            scan=SimpleUploadedFile("责任书.jpg", samples.jpeg_with_gps()),
        )
        urls = [
            reverse(
                "providers:verification_file",
                args=[TerminationVerification.objects.get().pk],
            ),
            reverse("providers:pledge_file", args=[pledge.pk]),
        ]
        for url in urls:
            self.client.force_login(self.health_a)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            for header, value in HEADERS.items():
                self.assertEqual(response[header], value, (url, header))
            # A picture too is a download, never shown inline by the browser.
            self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
            for outsider in (self.zhen_b, self.other_xian, self.cun_a, self.police_a):
                self.client.force_login(outsider)
                self.assertEqual(self.client.get(url).status_code, 404, outsider)

    def test_a_service_that_fails_after_writing_its_file_leaves_no_file(self) -> None:
        # diagnosis_facility is checked by full_clean, after the file was written.
        with self.assertRaises(ValidationError):
            provider_services.request_verification(
                by=self.health_a,
                facility=self.facility,
                woman_name="孙丽",
                id_number=make_id_number(),
                reason="fetal_defect",
                diagnosis_facility="",
                diagnosis="胎儿严重畸形",
                diagnosed_on=days_ago(1),
                evidence=SimpleUploadedFile("诊断证明.pdf", PDF),
            )
        self.assertFalse(StoredFile.objects.exists())
        self.assertEqual(files_under(self.media), [])

    def test_a_rolled_back_transaction_takes_its_file_with_it(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            stored = store_upload(
                by=self.health_a,
                upload=SimpleUploadedFile("诊断证明.pdf", PDF),
                folder="verifications",
            )
            self.assertTrue(storage.absolute(stored.path).is_file())
            raise RuntimeError("the caller fails after the upload")
        self.assertEqual(files_under(self.media), [])
        # A savepoint rolled back inside a transaction that commits: the same.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    store_upload(
                        by=self.health_a,
                        upload=SimpleUploadedFile("a.pdf", PDF),
                        folder="verifications",
                    )
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(files_under(self.media), [])

    def test_a_committed_transaction_keeps_its_file(self) -> None:
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            stored = store_upload(
                by=self.health_a,
                upload=SimpleUploadedFile("诊断证明.pdf", PDF),
                folder="verifications",
            )
        self.assertTrue(storage.absolute(stored.path).is_file())

    def test_a_full_disk_gives_a_clear_chinese_error_and_keeps_nothing(self) -> None:
        real_write = os.write

        def half_then_full(fd: int, data: Any) -> int:
            # Some bytes reach the disk, then there is no room for the rest.
            if len(data) > 64:
                real_write(fd, bytes(data[:64]))
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

        with mock.patch("srbgov.files.storage.os.write", half_then_full):
            response = self.post_verification(
                "诊断证明.jpg", samples.jpeg_with_gps(size=(320, 240))
            )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "服务器存储空间已满")
        self.assertFalse(TerminationVerification.objects.exists())
        self.assertFalse(StoredFile.objects.exists())
        self.assertEqual(files_under(self.media), [])

    def test_a_full_disk_on_the_pledge_form_too(self) -> None:
        with mock.patch(
            "srbgov.files.storage._write_new",
            side_effect=OSError(errno.ENOSPC, "No space left on device"),
        ):
            self.client.force_login(self.health_a)
            response = self.client.post(
                reverse("providers:pledge_create", args=[self.facility.pk]),
                {
                    "signer_name": "李院长",
                    "signed_on": days_ago(3).isoformat(),
                    "expires_on": days_ago(-300).isoformat(),
                    "scan": SimpleUploadedFile("责任书.pdf", PDF),
                },
            )
        self.assertContains(response, "服务器存储空间已满")
        self.assertFalse(Pledge.objects.exists())
