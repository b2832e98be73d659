from __future__ import annotations

import io
from datetime import date

from django.core.management import call_command
from django.test import TestCase

from srbgov.accounts.models import Role, User
from srbgov.areas.models import Area, AreaLevel
from srbgov.people import identity
from srbgov.people.crypto import identity_cipher
from srbgov.people.models import Child, Woman


class DemoCountyTests(TestCase):
    def test_it_loads_a_believable_county_once_and_prints_a_login_per_role(
        self,
    ) -> None:
        out = io.StringIO()
        call_command("load_demo_county", stdout=out)
        townships = set(
            Area.objects.filter(level=AreaLevel.TOWNSHIP).values_list("name", flat=True)
        )
        self.assertEqual(townships, {"湫坡头镇", "中水镇", "松坪乡", "炉山镇"})
        for township in Area.objects.filter(level=AreaLevel.TOWNSHIP):
            self.assertTrue(8 <= township.children.count() <= 12, township)
        self.assertEqual(
            set(User.objects.values_list("role", flat=True)), set(Role.values)
        )
        for user in User.objects.all():
            self.assertIn(user.username, out.getvalue())
        women = Woman.objects.count()
        # Mothers of ~20,000 births over ten years join the women served (issue 4 demo).
        self.assertTrue(2000 <= women <= 20000, women)
        cipher = identity_cipher()
        for woman in Woman.objects.order_by("?")[:50]:
            parsed = identity.parse(
                cipher.decrypt(woman.id_number_encrypted),
                today=date(2026, 11, 29),
                expect_sex="F",
            )
            self.assertEqual(parsed.birth_on, woman.birth_on)
        years = {d.year for d in Child.objects.values_list("birth_on", flat=True)}
        self.assertGreaterEqual(len(years), 8)

        call_command("load_demo_county", stdout=io.StringIO())
        self.assertEqual(Woman.objects.count(), women)
        # Extra logins: cun_b, zhen_zs, and xian_cw (the second person of care batches).
        self.assertEqual(User.objects.count(), len(Role.values) + 3)
