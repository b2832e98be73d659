"""The pages where tokens are issued and revoked (docs/api.md, "Tokens")."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from rest_framework.test import APIClient

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.providers.models import FacilityClerk
from srbgov.restapi.models import ApiToken
from srbgov.restapi.tests.world import ApiWorld
from srbgov.testing import covers_scope

TOKEN = re.compile(r"srb_[A-Za-z0-9_-]{43}")


class TokenPageTests(ApiWorld):
    def test_it_issues_a_facility_client_shown_once_and_revokes_it(self) -> None:
        self.login(self.health_a)
        page = self.client.post(
            "/api/tokens/client/new/",
            {"facility": self.facility_a.pk, "name": "县医院HIS"},
        )
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page["Cache-Control"], "no-store")
        (key,) = TOKEN.findall(page.content.decode())
        token = ApiToken.objects.get(name="县医院HIS")
        self.assertEqual(token.facility, self.facility_a)
        self.assertEqual(
            FacilityClerk.objects.get(user=token.user).facility, self.facility_a
        )
        self.assertFalse(token.user.has_usable_password())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(
            client.get("/api/v1/me/").json()["facility"], self.facility_a.pk
        )
        # The list shows its prefix, never the token again.
        listing = self.client.get("/api/tokens/").content.decode()
        self.assertIn(token.prefix, listing)
        self.assertNotIn(key, listing)
        self.client.post(f"/api/tokens/{token.pk}/revoke/")
        self.assertEqual(client.get("/api/v1/me/").status_code, 401)
        token.user.refresh_from_db()
        self.assertFalse(token.user.is_active)
        actions = AuditEntry.objects.filter(
            object_type="restapi.apitoken", object_id=str(token.pk)
        ).values_list("action", flat=True)
        self.assertEqual(
            sorted(actions), sorted([AuditAction.CREATE, AuditAction.UPDATE])
        )

    def test_a_personal_token_acts_as_its_user(self) -> None:
        self.login(self.zhen_a)
        page = self.client.post("/api/tokens/new/", {"name": "汇总表"})
        (key,) = TOKEN.findall(page.content.decode())
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        me = client.get("/api/v1/me/").json()
        self.assertEqual((me["username"], me["facility"]), ("zhen_a", None))

    @covers_scope(
        "restapi:token_list",
        "restapi:token_export",
        "restapi:token_create",
        "restapi:client_create",
        "restapi:token_revoke",
    )
    def test_keepers_of_another_township_and_other_roles_get_404(self) -> None:
        token = ApiToken.objects.get(facility=self.facility_a)
        self.login(self.health_b)
        self.assertEqual(
            self.client.post(f"/api/tokens/{token.pk}/revoke/").status_code, 404
        )
        self.assertNotIn(token.prefix, self.client.get("/api/tokens/").content.decode())
        # A facility of another township cannot be chosen for a client.
        page = self.client.post(
            "/api/tokens/client/new/", {"facility": self.facility_a.pk, "name": "x"}
        )
        self.assertFalse(TOKEN.findall(page.content.decode()))
        token.refresh_from_db()
        self.assertTrue(token.is_live)
        for user in (self.cun_a, self.police_a, self.auditor):
            self.login(user)
            for url in (
                "/api/tokens/",
                "/api/tokens/export.xlsx",
                "/api/tokens/client/new/",
            ):
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
            self.assertEqual(self.client.post("/api/tokens/new/").status_code, 404)

    def test_the_export_lists_what_the_page_lists_without_the_secret(self) -> None:
        self.login(self.health_a)
        response = self.client.get("/api/tokens/export.xlsx?state=live")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(names, {"甲镇卫生院HIS", "门诊系统"})
        cells = " ".join(
            str(c) for row in sheet.iter_rows(values_only=True) for c in row
        )
        self.assertNotIn(self.key_a, cells)
