"""Reads: the facility's own records, the township's and county's lists; 404 outside,
never 403; every read of a person audited (docs/api.md)."""

from __future__ import annotations

import hashlib
import re

from django.test import Client

from srbgov.alerts.models import AlertKind
from srbgov.alerts.services import raise_alert
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.pregnancies.tests.builders import make_pregnancy
from srbgov.restapi.models import ApiToken
from srbgov.restapi.tests.world import ApiWorld
from srbgov.restapi.tokens import revoke_token
from srbgov.testing import covers_scope, make_woman


class FacilityReadTests(ApiWorld):
    def push(self, key: str, **changes: object) -> dict[str, object]:
        kind = changes.pop("kind", "termination")
        body = (
            self.termination_body(**changes)
            if kind == "termination"
            else self.delivery_body(**changes)
        )
        path = (
            "/api/v1/terminations/" if kind == "termination" else "/api/v1/deliveries/"
        )
        created = self.api(key).post(path, body, format="json")
        assert created.status_code == 201, created.json()
        return created.json()  # type: ignore[no-any-return]

    @covers_scope(
        "restapi:termination_detail",
        "restapi:delivery_detail",
        "restapi:facility_detail",
        "restapi:facility_list",
    )
    def test_tokens_of_another_facility_get_404_on_this_facilitys_records(
        self,
    ) -> None:
        entry = self.push(self.key_a)
        delivery = self.push(self.key_a, kind="delivery")
        urls = [
            f"/api/v1/terminations/{entry['id']}/",
            f"/api/v1/deliveries/{delivery['id']}/",
            f"/api/v1/facilities/{self.facility_a.pk}/",
        ]
        for url in urls:
            self.assertEqual(self.api(self.key_a).get(url).status_code, 200, url)
            for outsider in (self.key_a2, self.key_b, self.key_zhen_b):
                response = self.api(outsider).get(url)
                self.assertEqual(response.status_code, 404, (url, outsider[:8]))
                self.assertEqual(set(response.json()), {"detail"})
        # Missing answers exactly like forbidden.
        missing = self.api(self.key_b).get("/api/v1/terminations/999999/")
        forbidden = self.api(self.key_b).get(urls[0])
        self.assertEqual(missing.json(), forbidden.json())
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED,
                object_type="providers.terminationrecord",
                object_id=str(entry["id"]),
            ).exists()
        )
        # Lists hold the principal's own rows only.
        own = self.api(self.key_a2).get("/api/v1/terminations/").json()
        self.assertEqual(own["count"], 0)
        facilities = self.api(self.key_a).get("/api/v1/facilities/").json()
        self.assertEqual([f["id"] for f in facilities["results"]], [self.facility_a.pk])

    def test_the_township_reads_its_facilities_registers(self) -> None:
        entry = self.push(self.key_a)
        rows = self.api(self.key_zhen_a).get("/api/v1/terminations/").json()
        self.assertEqual([r["id"] for r in rows["results"]], [entry["id"]])
        self.assertEqual(
            self.api(self.key_zhen_b).get("/api/v1/terminations/").json()["count"], 0
        )


class ListReadTests(ApiWorld):
    @covers_scope(
        "restapi:woman_list",
        "restapi:woman_detail",
        "restapi:pregnancy_list",
        "restapi:pregnancy_detail",
        "restapi:alert_list",
        "restapi:alert_detail",
    )
    def test_users_of_another_township_or_county_get_404_and_lists_are_audited(
        self,
    ) -> None:
        woman = make_woman(by=self.cun_a, village=self.village_a, name="王芳")
        pregnancy = make_pregnancy(by=self.cun_a, woman=woman, weeks=12)
        alert, _new = raise_alert(
            kind=AlertKind.VISIT_OVERDUE,
            area=self.village_a,
            subject_type="pregnancies.pregnancy",
            subject_id=pregnancy.pk,
            summary="逾期未访",
        )
        records = {
            "women": woman.pk,
            "pregnancies": pregnancy.pk,
            "alerts": alert.pk,
        }
        for kind, pk in records.items():
            listed = self.api(self.key_zhen_a).get(f"/api/v1/{kind}/")
            self.assertEqual(listed.status_code, 200)
            self.assertEqual([r["id"] for r in listed.json()["results"]], [pk])
            url = f"/api/v1/{kind}/{pk}/"
            self.assertEqual(self.api(self.key_zhen_a).get(url).status_code, 200)
            self.assertEqual(self.api(self.key_zhen_b).get(url).status_code, 404)
            self.assertEqual(
                self.api(self.key_zhen_b).get(f"/api/v1/{kind}/").json()["count"], 0
            )
            # A facility client reaches no registry list at all.
            self.assertEqual(self.api(self.key_a).get(url).status_code, 404)
            self.assertEqual(
                self.api(self.key_a).get(f"/api/v1/{kind}/").status_code, 404
            )
        self.login(self.other_xian)
        self.assertEqual(self.client.get(f"/api/v1/women/{woman.pk}/").status_code, 404)
        # Masked as the pages mask it; the list read logged with the ids it returned.
        row = self.api(self.key_zhen_a).get("/api/v1/women/").json()["results"][0]
        self.assertEqual(row["id_number_masked"], woman.id_number_masked)
        self.assertTrue(row["id_number_masked"].endswith("****"))
        logged = AuditEntry.objects.filter(
            action=AuditAction.READ, object_type="people.woman", user=self.zhen_a
        )
        self.assertTrue(any(e.detail.get("ids") == [woman.pk] for e in logged))
        self.assertTrue(logged.filter(object_id=str(woman.pk)).exists())

    def test_since_filters_and_a_bad_date_is_400_in_chinese(self) -> None:
        make_woman(by=self.cun_a, village=self.village_a)
        rows = self.api(self.key_zhen_a).get("/api/v1/women/?since=2999-01-01").json()
        self.assertEqual(rows["count"], 0)
        bad = self.api(self.key_zhen_a).get("/api/v1/women/?since=yesterday")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("since", bad.json()["errors"])
        self.assertEqual(
            self.api(self.key_zhen_a).get("/api/v1/women/?page=99").status_code, 404
        )


class AuthenticationTests(ApiWorld):
    @covers_scope("restapi:me")
    def test_unknown_revoked_and_missing_tokens_get_401(self) -> None:
        self.assertEqual(self.api(self.key_a).get("/api/v1/me/").status_code, 200)
        me = self.api(self.key_a).get("/api/v1/me/").json()
        self.assertEqual(me["facility"], self.facility_a.pk)
        self.assertEqual(me["role"], "facility_clerk")
        nobody = Client().get("/api/v1/me/")
        self.assertEqual(nobody.status_code, 401)
        wrong = self.api("srb_" + "x" * 43).get("/api/v1/me/")
        self.assertEqual(wrong.status_code, 401)
        self.assertIn("令牌无效或已撤销", wrong.json()["detail"])
        token = ApiToken.objects.get(facility=self.facility_a)
        revoke_token(by=self.health_a, token=token)
        self.assertEqual(self.api(self.key_a).get("/api/v1/me/").status_code, 401)
        # A village worker's session reaches no facility endpoint.
        self.login(self.cun_a)
        self.assertEqual(self.client.get("/api/v1/me/").status_code, 404)

    def test_only_the_hash_of_a_token_is_stored(self) -> None:
        token = ApiToken.objects.get(facility=self.facility_a)
        self.assertEqual(
            token.key_hash, hashlib.sha256(self.key_a.encode()).hexdigest()
        )
        values = ApiToken.objects.values_list()
        self.assertFalse(any(self.key_a in str(row) for row in values))
        self.assertEqual(token.prefix, self.key_a[:12])

    def test_a_session_without_its_second_factor_is_refused(self) -> None:
        plain = Client()
        plain.force_login(self.xian)  # a county officer: second factor required
        self.assertEqual(plain.get("/api/v1/women/").status_code, 401)
        self.login(self.xian)  # VerifiedClient: passed the second factor
        self.assertEqual(self.client.get("/api/v1/women/").status_code, 200)


class SchemaPageTests(ApiWorld):
    def test_the_schema_and_its_page_come_from_our_own_files(self) -> None:
        schema = self.api(self.key_a).get("/api/schema/?format=json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/deliveries/", schema.json()["paths"])
        self.assertEqual(Client().get("/api/schema/").status_code, 401)
        self.login(self.zhen_a)
        page = self.client.get("/api/docs/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn(
            "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", html
        )
        self.assertNotIn("cdn", html.lower())
        # No inline script: the page's policy (script-src 'self') would block it.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        self.assertTrue(scripts)
        self.assertTrue(
            all("src=" in attrs and not body.strip() for attrs, body in scripts)
        )
        init = re.search(r'<script src="([^"]*\?script=[^"]*)"', html)
        assert init is not None
        self.assertEqual(
            self.client.get(init.group(1).replace("&amp;", "&")).status_code, 200
        )
