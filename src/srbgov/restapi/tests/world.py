"""The API tests' world (imported only by tests): on top of the personas
(srbgov/testing.py), two facilities of 甲镇, one of 乙镇, each with a termination
operator and an API client, and personal tokens of the township officers.

    client_a   甲镇卫生院 (甲镇)      sees its own register only
    client_a2  甲镇妇幼门诊 (甲镇)    another facility of the same township
    client_b   乙镇卫生院 (乙镇)      another township
    token_zhen_a / token_zhen_b      the township officers of 甲镇 / 乙镇
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from django.core.cache import cache
from rest_framework.test import APIClient

from srbgov.accounts.models import Role, User
from srbgov.providers.models import Facility, FacilityKind, Practitioner
from srbgov.providers.tests.builders import days_ago, make_facility, make_practitioner
from srbgov.restapi.tokens import issue_facility_client, issue_personal_token
from srbgov.testing import BaseTestCase, make_id_number, make_user

_certificates = itertools.count(1)


class ApiWorld(BaseTestCase):
    health_b: ClassVar[User]
    facility_a: ClassVar[Facility]
    facility_a2: ClassVar[Facility]
    facility_b: ClassVar[Facility]
    operator_a: ClassVar[Practitioner]
    operator_b: ClassVar[Practitioner]
    key_a: ClassVar[str]
    key_a2: ClassVar[str]
    key_b: ClassVar[str]
    key_zhen_a: ClassVar[str]
    key_zhen_b: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.health_b = make_user("health_b", Role.HEALTH_CENTER, cls.town_b)
        cls.facility_a = make_facility(by=cls.health_a, area=cls.town_a)
        cls.facility_a2 = make_facility(
            by=cls.health_a,
            area=cls.village_a,
            name="甲镇妇幼门诊",
            kind=FacilityKind.CLINIC,
        )
        cls.facility_b = make_facility(
            by=cls.health_b, area=cls.town_b, name="乙镇卫生院"
        )
        cls.operator_a = make_practitioner(by=cls.health_a, facility=cls.facility_a)
        cls.operator_b = make_practitioner(by=cls.health_b, facility=cls.facility_b)
        _t, cls.key_a = issue_facility_client(
            by=cls.health_a, facility=cls.facility_a, name="甲镇卫生院HIS"
        )
        _t, cls.key_a2 = issue_facility_client(
            by=cls.health_a, facility=cls.facility_a2, name="门诊系统"
        )
        _t, cls.key_b = issue_facility_client(
            by=cls.health_b, facility=cls.facility_b, name="乙镇卫生院HIS"
        )
        _t, cls.key_zhen_a = issue_personal_token(by=cls.zhen_a, name="甲镇汇总")
        _t, cls.key_zhen_b = issue_personal_token(by=cls.zhen_b, name="乙镇汇总")

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the throttle counts of earlier tests

    def api(self, key: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    def termination_body(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "woman_name": "孙丽",
            "id_number": make_id_number(),
            "terminated_on": days_ago(2).isoformat(),
            "gestational_weeks": 8,
            "method": "aspiration",
            "operator": self.operator_a.pk,
            "medical_reason": "本人要求",
        }
        body.update(changes)
        return body

    def delivery_body(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "mother_name": "周敏",
            "mother_id_number": make_id_number(),
            "village_code": self.village_a.code,
            "delivered_on": days_ago(1).isoformat(),
            "children": [
                {
                    "sex": "F",
                    "birth_certificate_number": f"P52{next(_certificates):07d}",
                }
            ],
        }
        body.update(changes)
        return body

    def exam_body(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "woman_name": "赵芳",
            "id_number": make_id_number(),
            "village_code": self.village_a.code,
            "examined_on": days_ago(3).isoformat(),
            "gestational_weeks": 16,
            "purpose": "routine",
            "device_serial": "SN-API-1",
            "operator_name": "王医生",
        }
        body.update(changes)
        return body
