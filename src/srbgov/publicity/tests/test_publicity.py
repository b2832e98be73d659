"""Publicity and training: recording with photos (metadata stripped), the counts the
assessment indicators read, plan progress, exports and scope (docs/care.md §4)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from srbgov.files.tests.samples import jpeg_with_gps, marks_in
from srbgov.publicity import services
from srbgov.publicity.models import Activity, ActivityPhoto, PublicityPlan
from srbgov.publicity.queries import activity_counts, activity_total, plan_progress
from srbgov.testing import BaseTestCase, covers_scope

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@time_machine.travel(NOW, tick=False)
class PublicityTest(BaseTestCase):
    media: ClassVar[Path]
    plan: ClassVar[PublicityPlan]
    activity: ClassVar[Activity]

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = Path(tempfile.mkdtemp())
        super().setUpClass()
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = services.save_plan(
            by=cls.zhen_a,
            area=cls.town_a,
            year=2026,
            name="2026年宣传计划",
            targets={"banner": 3, "training": 1},
        )
        for day, kind, items in [(3, "banner", 20), (4, "banner", 15)]:
            services.record_activity(
                by=cls.cun_a,
                area=cls.village_a,
                kind=kind,
                held_on=date(2026, 5, day),
                place="一村村委会",
                items=items,
                plan=cls.plan,
            )
        cls.activity = services.record_activity(
            by=cls.zhen_b,
            area=cls.village_c,
            kind="training",
            held_on=date(2026, 5, 5),
            place="乙镇会议室",
            participants=30,
        )

    def test_the_counts_per_area_and_period_are_what_was_recorded(self) -> None:
        a = activity_counts(area=self.town_a, start=YEAR[0], end=YEAR[1])
        assert (a["banner"].activities, a["banner"].items) == (2, 35)
        assert a["training"].activities == 0
        county = activity_counts(area=self.county, start=YEAR[0], end=YEAR[1])
        assert county["training"].participants == 30
        assert activity_total(area=self.county, start=YEAR[0], end=YEAR[1]) == 3
        may4 = date(2026, 5, 4)
        assert activity_total(area=self.village_a, start=may4, end=may4) == 1
        assert activity_total(area=self.other_county, start=YEAR[0], end=YEAR[1]) == 0

    def test_the_plan_is_measured_against_its_targets(self) -> None:
        rows = {p.kind: p for p in plan_progress(area=self.town_a, year=2026)}
        assert (rows["banner"].target, rows["banner"].done, rows["banner"].met) == (
            3,
            2,
            False,
        )
        assert rows["training"].done == 0

    def test_photos_go_through_the_pipeline_without_metadata(self) -> None:
        self.login(self.cun_a)
        photo = SimpleUploadedFile(
            "IMG_1.jpg", jpeg_with_gps(), content_type="image/jpeg"
        )
        response = self.client.post(
            reverse("publicity:activity_create"),
            {
                "area": self.village_a.pk,
                "kind": "care_for_girls",
                "held_on": "2026-05-20",
                "place": "一村小学",
                "items": "0",
                "participants": "80",
                "photos": [photo],
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        stored = ActivityPhoto.objects.get()
        content = (self.media / stored.file.path).read_bytes()
        assert marks_in(content) == []
        served = self.client.get(reverse("publicity:activity_photo", args=[stored.pk]))
        assert served.status_code == 200

    def test_the_list_exports_what_it_shows(self) -> None:
        self.login(self.zhen_a)
        page = self.client.get(reverse("publicity:activity_list"))
        self.assertContains(page, "一村")
        sheet = load_workbook(
            BytesIO(self.client.get(reverse("publicity:activity_export")).content)
        ).active
        assert sheet is not None
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(r)]
        assert len(rows) == 2
        plan_sheet = self.client.get(reverse("publicity:plan_export"))
        assert plan_sheet.status_code == 200

    @covers_scope(
        "publicity:activity_list",
        "publicity:activity_export",
        "publicity:activity_create",
        "publicity:activity_detail",
        "publicity:activity_photo",
        "publicity:plan_list",
        "publicity:plan_export",
        "publicity:plan_create",
    )
    def test_another_area_sees_nothing(self) -> None:
        mine = Activity.objects.filter(area=self.village_a).first()
        assert mine is not None
        for user in (self.cun_b, self.zhen_b, self.other_xian):
            self.login(user)
            url = reverse("publicity:activity_detail", args=[mine.pk])
            assert self.client.get(url).status_code == 404
            listing = self.client.get(reverse("publicity:activity_list"))
            assert "一村村委会" not in listing.content.decode()
            plans = self.client.get(reverse("publicity:plan_list"))
            assert "2026年宣传计划" not in plans.content.decode()
        for user in (self.police_a, self.auditor, self.admin):
            self.login(user)
            assert (
                self.client.get(reverse("publicity:activity_list")).status_code == 404
            )
        self.login(self.cun_a)
        assert self.client.get(reverse("publicity:plan_create")).status_code == 404
        self.login(self.cun_b)
        refused = self.client.post(
            reverse("publicity:activity_create"),
            {
                "area": self.village_a.pk,
                "kind": "banner",
                "held_on": "2026-05-01",
                "place": "x",
            },
        )
        assert refused.status_code == 200  # the village is not a choice: form error
        assert not Activity.objects.filter(place="x").exists()
