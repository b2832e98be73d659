"""Input that used to be accepted but wrong (issue 10 item 9, docs/security.md §5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from srbgov.people.models import Woman
from srbgov.pregnancies import services
from srbgov.pregnancies.models import Pregnancy, Visit
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.testing import BaseTestCase, make_id_number, make_woman

TZ = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 6, 17, 9, 0, tzinfo=TZ), tick=False)
class DoubleSubmissionTests(BaseTestCase):
    fang: ClassVar[Woman]
    pregnancy: ClassVar[Pregnancy]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")
        cls.pregnancy = make_pregnancy(by=cls.cun_a, woman=cls.fang, weeks=20)

    def test_three_posts_of_one_visit_form_save_one_visit(self) -> None:
        self.login(self.cun_a)
        url = reverse("pregnancies:visit_create", args=[self.pregnancy.pk])
        shown = self.client.get(url)
        key = shown.context["form"]["submission_key"].value()
        self.assertContains(shown, f'value="{key}"')
        data = {
            "visited_on": "2026-06-16",
            "visitors": "王芳、李娟",
            "mode": "home",
            "finding": "pregnant",
            "submission_key": str(key),
        }
        for _ in range(3):
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.objects.filter(pregnancy=self.pregnancy).count(), 1)
        # A new form (a new key) is a new visit.
        data["submission_key"] = str(uuid.uuid4())
        self.client.post(url, data)
        self.assertEqual(Visit.objects.filter(pregnancy=self.pregnancy).count(), 2)

    def test_a_key_used_by_someone_else_is_refused(self) -> None:
        key = uuid.uuid4()
        services.record_visit(
            by=self.cun_a,
            pregnancy=self.pregnancy,
            visited_on=date(2026, 6, 16),
            visitors="王芳、李娟",
            mode="home",
            finding="pregnant",
            submission_key=key,
        )
        with self.assertRaisesMessage(ValidationError, "其他用户"):
            services.record_visit(
                by=self.zhen_a,
                pregnancy=self.pregnancy,
                visited_on=date(2026, 6, 16),
                visitors="王芳、李娟",
                mode="home",
                finding="pregnant",
                submission_key=key,
            )

    def test_two_posts_of_one_registration_form_save_one_pregnancy(self) -> None:
        juan = make_woman(by=self.cun_a, village=self.village_a, name="李娟")
        self.login(self.cun_a)
        url = reverse("pregnancies:pregnancy_register")
        data = {
            "woman": juan.pk,
            "lmp_on": "2026-05-01",
            "responsible_persons": "王芳、李娟",
            "submission_key": str(uuid.uuid4()),
        }
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        pregnancy = Pregnancy.objects.get(woman=juan)
        target = reverse("pregnancies:pregnancy_detail", args=[pregnancy.pk])
        self.assertRedirects(first, target)
        self.assertRedirects(second, target)


@time_machine.travel(datetime(2026, 6, 17, 9, 0, tzinfo=TZ), tick=False)
class RegistrationAgeTests(BaseTestCase):
    def test_a_pregnancy_for_a_76_year_old_is_refused_in_chinese(self) -> None:
        old = make_woman(
            by=self.cun_a,
            village=self.village_a,
            id_number=make_id_number(birth_on=date(1950, 3, 1)),
        )
        self.login(self.cun_a)
        response = self.client.post(
            reverse("pregnancies:pregnancy_register"),
            {
                "woman": old.pk,
                "lmp_on": "2026-05-01",
                "responsible_persons": "王芳、李娟",
            },
        )
        self.assertContains(response, "76 周岁")
        self.assertContains(response, "12–60")
        self.assertFalse(Pregnancy.objects.filter(woman=old).exists())

    def test_the_limits_themselves_are_accepted(self) -> None:
        for born, lmp in (
            (date(1966, 5, 1), date(2026, 5, 1)),
            (date(2014, 4, 1), date(2026, 5, 1)),
        ):
            woman = make_woman(
                by=self.cun_a,
                village=self.village_a,
                id_number=make_id_number(birth_on=born),
            )
            services.register_pregnancy(
                by=self.cun_a,
                woman=woman,
                lmp_on=lmp,
                responsible_persons="王芳、李娟",
            )
        self.assertEqual(Pregnancy.objects.count(), 2)


class PolicyEditorTests(BaseTestCase):
    def test_deeply_nested_json_is_a_form_error_not_a_500(self) -> None:
        from srbgov.pregnancies.forms import PolicyForm, json_nesting

        deep = "[" * 200_000 + "]" * 200_000
        form = PolicyForm(data={"policy": deep}, builtins=[])
        self.assertFalse(form.is_valid())
        self.assertIn("太长", "".join(str(e) for e in form.errors["policy"]))
        nested = '{"a":' * 50 + "1" + "}" * 50
        form = PolicyForm(data={"policy": nested}, builtins=[])
        self.assertFalse(form.is_valid())
        self.assertIn("嵌套太深", "".join(str(e) for e in form.errors["policy"]))
        # Brackets inside strings are not nesting.
        self.assertEqual(json_nesting('{"note": "[[[[[[[[[[[[\\"]]"}'), 1)
