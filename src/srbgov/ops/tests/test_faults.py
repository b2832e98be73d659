"""Fault drill: the upload directory is full. A real, tiny file system (tmpfs of 256 KiB)
is mounted as PRIVATE_MEDIA_ROOT and filled to its last page, so the kernel itself
answers ENOSPC in the middle of the upload's write: nothing in srbgov is mocked. The
user gets the Chinese error, and neither a row nor a file is left (docs/operations.md,
"Load and faults"; docs/uploads.md). Needs mount rights (root in a container); skipped
elsewhere, the mocked variants in oversight/tests cover the logic there.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from typing import Any, ClassVar

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from srbgov.audit.models import AuditEntry
from srbgov.files.models import StoredFile
from srbgov.providers.models import Facility, TerminationVerification
from srbgov.providers.tests.builders import days_ago, make_facility
from srbgov.testing import BaseTestCase, make_id_number

FILLER = "filler.bin"


def _mount_tmpfs(path: str, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def noisy_jpeg() -> bytes:
    """A photo-like JPEG of some 60 KB (noise does not compress), so that even after
    cleaning it is larger than the room left."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (300, 200), rng.randbytes(300 * 200 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _fill(root: str, *, leave: int) -> None:
    """Fill the file system but `leave` bytes (rounded to its blocks)."""
    stats = os.statvfs(root)
    free = stats.f_bavail * stats.f_frsize
    with open(Path(root) / FILLER, "wb") as filler:
        filler.write(b"\0" * max(0, free - leave))


class FullUploadDirectoryTests(BaseTestCase):
    facility: ClassVar[Facility]
    media: ClassVar[str]

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="srbgov-full-disk-")
        if not _mount_tmpfs(cls.media, "256k"):
            os.rmdir(cls.media)
            raise unittest.SkipTest("cannot mount a tmpfs here")
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        subprocess.run(["umount", cls.media], check=False)
        os.rmdir(cls.media)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.facility = make_facility(by=cls.health_a, area=cls.town_a)

    def setUp(self) -> None:
        for entry in Path(self.media).iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def post(self) -> Any:
        self.login(self.health_a)
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
                "evidence": SimpleUploadedFile("诊断证明.jpg", noisy_jpeg()),
            },
        )

    def stored(self) -> list[str]:
        return sorted(
            str(p.relative_to(self.media))
            for p in Path(self.media).rglob("*")
            if p.is_file() and ".slots" not in p.parts
        )

    def test_a_full_upload_directory_refuses_cleanly_and_keeps_nothing(self) -> None:
        # One page free: the write starts, then the kernel refuses the rest.
        _fill(self.media, leave=4096)
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "服务器存储空间已满")
        self.assertFalse(TerminationVerification.objects.exists())
        self.assertFalse(StoredFile.objects.exists())
        self.assertEqual(self.stored(), [FILLER])
        # No audit entry claims a record that was not kept.
        self.assertFalse(
            AuditEntry.objects.filter(
                object_type="providers.terminationverification"
            ).exists()
        )

    def test_the_same_upload_succeeds_once_there_is_room(self) -> None:
        _fill(self.media, leave=4096)
        self.post()
        (Path(self.media) / FILLER).unlink()
        response = self.post()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TerminationVerification.objects.count(), 1)
        self.assertEqual(len(self.stored()), 1)
