"""Test base with personas (imported only by tests).

The small world every view test starts from, and who may see what in it:

    示范县 520999  ── 甲镇 101 ── 一村 201   cun_a    (village worker): 一村 only
                  │            └─ 二村 202   cun_b    (village worker): 二村 only
                  │            zhen_a   (township officer): 甲镇 and both its villages
                  │            police_a (police), health_a (health center): 甲镇, no women
                  └─ 乙镇 102 ── 三村 201   zhen_b   (township officer): 乙镇 only
    示范县 county: xian (county officer) sees all of 示范县; auditor reads the log only;
                   admin manages users and areas, no personal records;
                   tips (tip officer): no women.
    邻县 520998   ── 丙镇 101 ── 四村 201   other_county (county officer): 邻县 only
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, TypeVar

from django.db import connection
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts.models import MFA_REQUIRED_ROLES, Role, User
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.triggers import install as install_audit_triggers
from srbgov.people import identity
from srbgov.people.models import Woman
from srbgov.people.services import ChildData, SpouseData, register_woman

PASSWORD = "persona-password-2026"

# Named routes that have an out-of-scope test, filled in as test modules are imported;
# srbgov/core/tests/test_url_coverage.py fails for any route missing here.
SCOPE_COVERED: set[str] = set()

F = TypeVar("F", bound=Callable[..., Any])


def covers_scope(*url_names: str) -> Callable[[F], F]:
    """Mark a test as the out-of-scope (404) test for these named routes."""

    def mark(test: F) -> F:
        SCOPE_COVERED.update(url_names)
        return test

    return mark


def make_area(code: str, name: str, parent: Area | None = None) -> Area:
    if parent is None:
        level = AreaLevel.COUNTY
    elif parent.level == AreaLevel.COUNTY:
        level = AreaLevel.TOWNSHIP
    else:
        level = AreaLevel.VILLAGE
    return Area.objects.create(code=code, name=name, level=level, parent=parent)


def make_user(username: str, role: Role, area: Area) -> User:
    """A persona. One whose role requires a second factor has a confirmed TOTP device
    (`totp_code(user)` gives its current code)."""
    user = User(username=username, role=role, area=area, last_name=username)
    user.set_password(PASSWORD)
    user.save()
    if role in MFA_REQUIRED_ROLES:
        TOTPDevice.objects.create(user=user, name="persona", confirmed=True)
    return user


def totp_code(user: User) -> str:
    """The current code of the user's device. Forgets the last code used, so that a
    test may log the same persona in twice within one 30-second step."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


_sequence = iter(range(1, 10**6))


def make_id_number(
    *,
    birth_on: date = date(1995, 3, 8),
    sex: identity.Sex = "F",
    address: str = "520999",
) -> str:
    return identity.make_number(address, birth_on, next(_sequence) % 500, sex)


def make_woman(
    *,
    by: User,
    village: Area,
    name: str = "王芳",
    id_number: str | None = None,
    phone: str = "",
    children: list[ChildData] | None = None,
    spouse: SpouseData | None = None,
) -> Woman:
    return register_woman(
        by=by,
        name=name,
        id_number=id_number or make_id_number(),
        village=village,
        phone=phone,
        children=children or [],
        spouse=spouse,
    )


class Personas:
    county: ClassVar[Area]
    town_a: ClassVar[Area]
    town_b: ClassVar[Area]
    village_a: ClassVar[Area]
    village_b: ClassVar[Area]
    village_c: ClassVar[Area]
    other_county: ClassVar[Area]
    other_village: ClassVar[Area]
    cun_a: ClassVar[User]
    cun_b: ClassVar[User]
    zhen_a: ClassVar[User]
    zhen_b: ClassVar[User]
    police_a: ClassVar[User]
    health_a: ClassVar[User]
    xian: ClassVar[User]
    auditor: ClassVar[User]
    admin: ClassVar[User]
    tips: ClassVar[User]
    other_xian: ClassVar[User]

    @classmethod
    def make_personas(cls) -> None:
        cls.county = make_area("520999000000", "示范县")
        cls.town_a = make_area("520999101000", "甲镇", cls.county)
        cls.town_b = make_area("520999102000", "乙镇", cls.county)
        cls.village_a = make_area("520999101201", "一村", cls.town_a)
        cls.village_b = make_area("520999101202", "二村", cls.town_a)
        cls.village_c = make_area("520999102201", "三村", cls.town_b)
        cls.other_county = make_area("520998000000", "邻县")
        other_town = make_area("520998101000", "丙镇", cls.other_county)
        cls.other_village = make_area("520998101201", "四村", other_town)
        cls.cun_a = make_user("cun_a", Role.VILLAGE_WORKER, cls.village_a)
        cls.cun_b = make_user("cun_b", Role.VILLAGE_WORKER, cls.village_b)
        cls.zhen_a = make_user("zhen_a", Role.TOWNSHIP_OFFICER, cls.town_a)
        cls.zhen_b = make_user("zhen_b", Role.TOWNSHIP_OFFICER, cls.town_b)
        cls.police_a = make_user("police_a", Role.POLICE, cls.town_a)
        cls.health_a = make_user("health_a", Role.HEALTH_CENTER, cls.town_a)
        cls.xian = make_user("xian", Role.COUNTY_OFFICER, cls.county)
        cls.auditor = make_user("auditor", Role.AUDITOR, cls.county)
        cls.admin = make_user("admin", Role.ADMIN, cls.county)
        cls.tips = make_user("tips", Role.TIP_OFFICER, cls.county)
        cls.other_xian = make_user("other_xian", Role.COUNTY_OFFICER, cls.other_county)

    @classmethod
    def more_villages(cls, in_town_a: int, in_town_b: int) -> list[Area]:
        """The county grown by villages 甲镇3村… and 乙镇2村… (the statistics need
        more villages than the personas' three to form a county family)."""
        return [
            make_area(f"520999101{203 + i:03d}", f"甲镇{i + 3}村", cls.town_a)
            for i in range(in_town_a)
        ] + [
            make_area(f"520999102{202 + i:03d}", f"乙镇{i + 2}村", cls.town_b)
            for i in range(in_town_b)
        ]


class VerifiedClient(Client):
    """`force_login` as if the user had also passed the second factor, when they have a
    device: tests of other pages need not type codes. The login tests in accounts go
    through the real two steps."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


class BaseTestCase(Personas, TestCase):
    client_class = VerifiedClient

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def login(self, user: User) -> None:
        self.client.force_login(user)


class TemporaryMediaTestCase(BaseTestCase):
    """A test case whose stored files (`PRIVATE_MEDIA_ROOT`) live in a folder of its
    own for the class, removed afterwards: uploads made by `setUpTestData` survive
    every test of the class and nothing is left on disk (docs/uploads.md)."""

    media: ClassVar[str]
    media_prefix: ClassVar[str] = "srbgov-test-files-"

    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix=cls.media_prefix)
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)


class AuditSafeTransactionTestCase(TransactionTestCase):
    """TransactionTestCase empties every table after each test, and the audit log's
    database triggers refuse exactly that; lift them for the flush, and only then."""

    def _fixture_teardown(self) -> None:
        vendor = connection.vendor
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            elif vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")
        try:
            super()._fixture_teardown()  # type: ignore[misc]
        finally:
            install_audit_triggers()
            with connection.cursor() as cursor:
                if vendor == "postgresql":
                    cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
