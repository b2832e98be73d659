"""The scope primitive and the one getter (srbgov.core.scope, docs/access.md)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.core.scope import MAX_ID, area_of, get_for_user, is_scoped, parse_id
from srbgov.monitoring.tests.builders import ended_outcome, make_birth
from srbgov.people.models import Woman
from srbgov.pregnancies.access import get_birth_for_user
from srbgov.pregnancies.models import Birth
from srbgov.testing import BaseTestCase, make_woman
from srbgov.tips.models import Tip
from srbgov.tips.tests.builders import file_tip

# Digits that str.isdigit() or int() accept but a URL id must not: superscripts,
# Arabic-Indic, Devanagari, full-width.
NON_ASCII_DIGITS = ["²", "٣", "७", "１２", "3²", "١٢"]


@given(st.integers(min_value=1, max_value=MAX_ID))
def test_an_ascii_id_parses_to_itself(value: int) -> None:
    assert parse_id(str(value)) == value
    assert parse_id(value) == value


@given(st.text(max_size=25))
def test_any_other_text_is_a_404_never_another_error(text: str) -> None:
    try:
        value = parse_id(text)
    except Http404:
        return
    assert text.isascii() and text.isdigit() and str(value) == text.lstrip("0")


@pytest.mark.parametrize(
    "raw", [*NON_ASCII_DIGITS, "", "0", "-1", " 1", "1\n", "1.0", str(MAX_ID + 1), True]
)
def test_malformed_ids_are_404(raw: object) -> None:
    with pytest.raises(Http404):
        parse_id(raw)


# Models that hold area data but are scoped elsewhere, with the reason.
NOT_SCOPED_HERE = {
    # The auditor's page narrows entries to accounts of the auditor's area itself
    # (audit/views.py); the log has no area of its own.
    "audit.auditentry": "narrowed by the account's area in audit/views.py",
    "files.storedfile": "reached only through the scoped record that holds it",
    "operations.jobrun": "installation-wide job runs; the account that started one is "
    "no area record (operations/access.py gates them by role)",
}


def _points_to_area(model: type[models.Model]) -> bool:
    return any(
        f.is_relation
        and (f.many_to_one or f.one_to_one)
        and not f.auto_created
        and isinstance(f.related_model, type)
        and issubclass(f.related_model, models.Model)
        and (f.related_model._meta.label == "areas.Area" or is_scoped(f.related_model))
        for f in model._meta.get_fields()
    )


def test_every_model_that_points_to_an_area_declares_its_path() -> None:
    missing: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("srbgov."):
            continue
        for model in config.get_models():
            label = model._meta.label_lower
            if label in NOT_SCOPED_HERE or is_scoped(model):
                continue
            if _points_to_area(model):
                missing.append(label)
    assert not missing, f"models with an area but no area_path: {missing}"


class GetterTests(BaseTestCase):
    fang: ClassVar[Woman]
    birth: ClassVar[Birth]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fang = make_woman(by=cls.cun_a, village=cls.village_a, name="王芳")
        outcome = ended_outcome(by=cls.cun_a, woman=cls.fang, on=date(2025, 6, 1))
        cls.birth = make_birth(
            outcome=outcome, village=cls.village_a, sex="F", born_on=date(2025, 6, 1)
        )

    def test_missing_malformed_and_out_of_scope_are_the_same_404_and_logged(
        self,
    ) -> None:
        for user, pk in (
            (self.cun_b, self.fang.pk),
            (self.other_xian, self.fang.pk),
            (self.xian, self.fang.pk + 1000),
            (self.xian, "٣"),
        ):
            with self.assertRaises(Http404):
                get_for_user(Woman, user, pk)
            self.assertTrue(
                AuditEntry.objects.filter(
                    action=AuditAction.DENIED,
                    username=user.username,
                    object_type="people.woman",
                    object_id=str(pk),
                ).exists()
            )
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.READ).exists())

    def test_an_opened_record_is_logged_as_a_read(self) -> None:
        for user in (self.cun_a, self.zhen_a, self.xian):
            self.assertEqual(get_for_user(Woman, user, str(self.fang.pk)), self.fang)
        self.assertEqual(
            AuditEntry.objects.filter(
                action=AuditAction.READ, object_id=str(self.fang.pk)
            ).count(),
            3,
        )

    def test_opening_a_birth_is_logged_like_every_other_read(self) -> None:
        get_birth_for_user(self.zhen_a, self.birth.pk)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.READ,
                object_type="pregnancies.birth",
                object_id=str(self.birth.pk),
                username="zhen_a",
            ).exists()
        )
        with self.assertRaises(Http404):
            get_birth_for_user(self.zhen_b, self.birth.pk)

    def test_area_of_follows_the_declared_path(self) -> None:
        self.assertEqual(area_of(self.birth), self.village_a)
        self.assertEqual(area_of(self.fang.children.get()), self.village_a)
        self.assertEqual(area_of(self.village_a), self.village_a)


class CoalescedPathTests(BaseTestCase):
    def test_a_tip_belongs_to_its_county_until_a_township_is_assigned(self) -> None:
        tip = file_tip(self.county).tip
        self.assertIn(tip, Tip.objects.visible_to(self.tips))
        self.assertNotIn(tip, Tip.objects.visible_to(self.zhen_a))
        self.assertEqual(area_of(tip), self.county)
        Tip.objects.filter(pk=tip.pk).update(township=self.town_a)
        self.assertIn(tip, Tip.objects.visible_to(self.zhen_a))
        self.assertIn(tip, Tip.objects.visible_to(self.tips))
        self.assertNotIn(tip, Tip.objects.visible_to(self.zhen_b))
        self.assertNotIn(tip, Tip.objects.visible_to(self.other_xian))


class QueryParameterTests(BaseTestCase):
    """Ids in query strings and paths: ASCII digits only; anything else is 404."""

    def test_unicode_digits_in_query_ids_are_404_not_500(self) -> None:
        cases = [
            (self.cun_a, "pregnancies:pregnancy_register", "woman"),
            (self.zhen_a, "oversight:case_create", "inspection"),
            (self.zhen_a, "oversight:case_create", "alert"),
            (self.health_a, "providers:verification_create", "termination"),
        ]
        for user, name, parameter in cases:
            self.login(user)
            for raw in NON_ASCII_DIGITS:
                url = f"{reverse(name)}?{parameter}={raw}"
                self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_unicode_digits_in_path_ids_are_404(self) -> None:
        self.login(self.xian)
        for raw in NON_ASCII_DIGITS:
            self.assertEqual(self.client.get(f"/people/{raw}/").status_code, 404)
            self.assertEqual(self.client.get(f"/alerts/{raw}/").status_code, 404)
