"""Administration inside the application: scoped, two-person for sensitive roles,
audited with before/after (issue 9 item 3)."""

from __future__ import annotations

import re
import shutil
import tempfile
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts import services
from srbgov.accounts.models import Role, RoleRequest, RoleRequestStatus, User
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.testing import PASSWORD, BaseTestCase, covers_scope, make_user
from srbgov.tips.tests.builders import file_tip

CONTACT = "13912345678 王先生"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


class AdminTestCase(BaseTestCase):
    admin2: ClassVar[User]
    other_admin: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.admin2 = make_user("admin2", Role.ADMIN, cls.county)
        cls.other_admin = make_user("other_admin", Role.ADMIN, cls.other_county)

    def create(self, **values: object) -> tuple[User, str]:
        data = {
            "username": "newbie",
            "last_name": "周",
            "first_name": "新",
            "phone": "",
            "role": Role.VILLAGE_WORKER,
            "area": self.village_a.pk,
            "reason": "",
            **values,
        }
        response = self.client.post(reverse("accounts:user_create"), data)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'id="one-time-password">([^<]+)<', response.content.decode())
        assert match is not None, response.content.decode()[:2000]
        return User.objects.get(username=data["username"]), match.group(1)


class TwoPersonRuleTests(AdminTestCase):
    media: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.media = tempfile.mkdtemp()
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.media))

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def reveal(self, tip_pk: int) -> int:
        response = self.client.post(
            reverse("tips:tip_reveal", args=[tip_pk]), {"reason": "核实举报人身份"}
        )
        if response.status_code == 200:
            self.assertContains(response, CONTACT)
        return response.status_code

    def test_a_granted_tip_officer_reveals_nothing_until_a_second_admin_approves(
        self,
    ) -> None:
        tip = file_tip(self.county, contact=CONTACT).tip
        self.login(self.admin)
        officer, _password = self.create(
            username="jubao2",
            role=Role.TIP_OFFICER,
            area=self.county.pk,
            reason="举报受理室新同事",
        )
        request = RoleRequest.objects.get(user=officer)
        self.assertEqual(request.status, RoleRequestStatus.PENDING)
        self.assertEqual(officer.role, "")

        # She has chosen her own password since; before approval the account has no
        # role at all: the reveal does not exist.
        User.objects.filter(pk=officer.pk).update(must_change_password=False)
        officer.refresh_from_db()
        self.client.force_login(officer)
        self.assertEqual(self.reveal(tip.pk), 404)
        self.assertEqual(self.client.get(reverse("tips:tip_list")).status_code, 404)

        # The requester cannot approve their own request.
        self.login(self.admin)
        self.client.post(
            reverse("accounts:request_decide", args=[request.pk]),
            {"decision": "approve"},
        )
        request.refresh_from_db()
        self.assertEqual(request.status, RoleRequestStatus.PENDING)
        self.client.force_login(officer)
        self.assertEqual(self.reveal(tip.pk), 404)

        # A second administrator approves: now the role holds, behind its second factor.
        self.login(self.admin2)
        self.client.post(
            reverse("accounts:request_decide", args=[request.pk]),
            {"decision": "approve"},
        )
        officer.refresh_from_db()
        self.assertEqual((officer.role, officer.area), (Role.TIP_OFFICER, self.county))
        self.client.force_login(officer)
        response = self.client.post(
            reverse("tips:tip_reveal", args=[tip.pk]), {"reason": "核实举报人身份"}
        )
        self.assertRedirects(
            response,
            reverse("accounts:mfa_enrol") + f"?next=/tips/{tip.pk}/reveal/",
            fetch_redirect_response=False,
        )
        self.client.get(reverse("accounts:mfa_enrol"))
        device = TOTPDevice.objects.get(user=officer, confirmed=False)
        self.client.post(reverse("accounts:mfa_enrol"), {"token": code_for(device)})
        self.assertEqual(self.reveal(tip.pk), 200)

        # The auditor sees the request, the approval and the values before and after.
        self.login(self.auditor)
        entries = AuditEntry.objects.filter(object_type="accounts.rolerequest")
        asked = entries.get(action=AuditAction.CREATE)
        self.assertEqual(asked.username, "admin")
        self.assertEqual(
            (asked.detail["before"], asked.detail["after"]),
            (
                {"role": "", "area": ""},
                {"role": "tip_officer", "area": self.county.code},
            ),
        )
        approved = entries.get(detail__change="role_request_approved")
        self.assertEqual(approved.username, "admin2")
        self.assertEqual(approved.detail["requested_by"], "admin")
        self.assertEqual(approved.detail["before"]["role"], "")
        self.assertEqual(approved.detail["after"]["role"], "tip_officer")
        page = self.client.get(reverse("audit:entry_list"))
        self.assertContains(page, "role_request_approved")
        self.assertContains(
            page,
            '<tr class="changed"><td>role</td><td></td><td>tip_officer</td></tr>',
            html=False,
        )
        self.assertContains(page, "jubao2")

    def test_a_village_worker_keeps_her_role_until_the_county_role_is_approved(
        self,
    ) -> None:
        self.login(self.admin)
        self.client.post(
            reverse("accounts:user_role", args=[self.cun_b.pk]),
            {"role": Role.COUNTY_OFFICER, "area": self.county.pk, "reason": "调县局"},
        )
        self.cun_b.refresh_from_db()
        self.assertEqual(self.cun_b.role, Role.VILLAGE_WORKER)
        self.client.force_login(self.cun_b)
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 200)
        self.assertEqual(self.client.get(reverse("monitoring:policy")).status_code, 404)
        request = RoleRequest.objects.get(user=self.cun_b)
        self.login(self.admin2)
        self.client.post(
            reverse("accounts:request_decide", args=[request.pk]),
            {"decision": "reject"},
        )
        self.cun_b.refresh_from_db()
        self.assertEqual(self.cun_b.role, Role.VILLAGE_WORKER)
        self.assertEqual(
            RoleRequest.objects.get(pk=request.pk).status, RoleRequestStatus.REJECTED
        )

    def test_the_database_refuses_a_request_decided_by_its_requester(self) -> None:
        request = services.change_role(
            by=self.admin, user=self.cun_a, role=Role.AUDITOR, area=self.county
        )
        assert request is not None
        request.status = RoleRequestStatus.APPROVED
        request.decided_by = self.admin
        with self.assertRaises(IntegrityError), transaction.atomic():
            RoleRequest.objects.filter(pk=request.pk).update(
                status=RoleRequestStatus.APPROVED, decided_by=self.admin
            )

    def test_two_pending_requests_for_one_account_are_refused(self) -> None:
        services.change_role(
            by=self.admin, user=self.cun_a, role=Role.AUDITOR, area=self.county
        )
        with self.assertRaisesMessage(ValidationError, "待审批"):
            services.change_role(
                by=self.admin2, user=self.cun_a, role=Role.ADMIN, area=self.county
            )

    def test_a_role_taken_away_from_a_sensitive_holder_goes_at_once(self) -> None:
        services.change_role(
            by=self.admin, user=self.tips, role=Role.TOWNSHIP_OFFICER, area=self.town_a
        )
        self.tips.refresh_from_db()
        self.assertEqual(self.tips.role, Role.TOWNSHIP_OFFICER)
        entry = AuditEntry.objects.get(
            object_type="accounts.user", detail__change="role"
        )
        self.assertEqual(entry.detail["before"]["role"], "tip_officer")
        self.assertEqual(entry.detail["after"]["role"], "township_officer")


class ScopeAndLevelTests(AdminTestCase):
    @covers_scope(
        "accounts:user_detail",
        "accounts:user_role",
        "accounts:user_profile",
        "accounts:user_password_reset",
        "accounts:user_state",
    )
    def test_an_admin_of_another_county_gets_404_on_our_users(self) -> None:
        self.login(self.other_admin)
        pk = self.cun_a.pk
        self.assertEqual(
            self.client.get(reverse("accounts:user_detail", args=[pk])).status_code,
            404,
        )
        for name, data in (
            ("accounts:user_role", {"role": Role.VILLAGE_WORKER, "area": 1}),
            ("accounts:user_profile", {"last_name": "x"}),
            ("accounts:user_password_reset", {}),
            ("accounts:user_state", {"action": "deactivate"}),
        ):
            response = self.client.post(reverse(name, args=[pk]), data)
            self.assertEqual(response.status_code, 404, name)
        self.cun_a.refresh_from_db()
        self.assertTrue(self.cun_a.is_active)
        self.assertTrue(self.cun_a.check_password(PASSWORD))
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.DENIED, username="other_admin", object_id=str(pk)
            ).exists()
        )

    @covers_scope(
        "accounts:user_list",
        "accounts:user_create",
        "accounts:request_list",
        "accounts:request_decide",
    )
    def test_the_pages_do_not_exist_for_other_roles_and_lists_stay_in_the_county(
        self,
    ) -> None:
        for user in (self.cun_a, self.zhen_a, self.xian, self.auditor, self.tips):
            self.client.force_login(user)
            for name in (
                "accounts:user_list",
                "accounts:user_create",
                "accounts:request_list",
            ):
                self.assertEqual(
                    self.client.get(reverse(name)).status_code, 404, (user, name)
                )
        request = services.change_role(
            by=self.admin, user=self.cun_a, role=Role.AUDITOR, area=self.county
        )
        assert request is not None
        self.login(self.other_admin)
        response = self.client.post(
            reverse("accounts:request_decide", args=[request.pk]),
            {"decision": "approve"},
        )
        self.assertEqual(response.status_code, 404)
        listed = self.client.get(reverse("accounts:user_list"))
        self.assertNotContains(listed, "cun_a")
        self.assertContains(listed, "other_xian")
        self.login(self.admin)
        listed = self.client.get(reverse("accounts:user_list"), {"q": "cun"})
        self.assertContains(listed, "cun_a")
        self.assertNotContains(listed, "other_xian")
        pending = self.client.get(reverse("accounts:user_list"), {"state": "pending"})
        self.assertEqual(list(pending.context["page"].object_list), [self.cun_a])
        detail = self.client.get(reverse("accounts:user_detail", args=[self.cun_a.pk]))
        self.assertContains(detail, "重置密码")
        self.assertContains(detail, "审计员 @ 示范县")
        # The requester sees the request but no button to approve it; another does.
        requests = self.client.get(reverse("accounts:request_list"))
        self.assertContains(requests, "待另一名管理员审批")
        self.assertNotContains(requests, 'value="approve"')
        self.login(self.admin2)
        requests = self.client.get(reverse("accounts:request_list"))
        self.assertContains(requests, 'value="approve"')
        self.assertContains(self.client.get(reverse("accounts:user_create")), "用户名")

    def test_an_admin_cannot_change_their_own_role_or_state(self) -> None:
        self.login(self.admin)
        self.client.post(
            reverse("accounts:user_role", args=[self.admin.pk]),
            {"role": Role.TIP_OFFICER, "area": self.county.pk},
        )
        self.client.post(
            reverse("accounts:user_state", args=[self.admin.pk]), {"action": "lock"}
        )
        self.admin.refresh_from_db()
        self.assertEqual(self.admin.role, Role.ADMIN)
        self.assertFalse(self.admin.is_locked)
        self.assertFalse(RoleRequest.objects.exists())

    def test_a_township_admin_cannot_grant_a_county_role_or_reach_outside(
        self,
    ) -> None:
        town_admin = make_user("town_admin", Role.ADMIN, self.county)
        # A township-level administrator (the level is the area's, not the role's).
        User.objects.filter(pk=town_admin.pk).update(area=self.town_a)
        town_admin.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "不能授予高于本人级别的角色"):
            services.check_grant(
                by=town_admin, role=Role.COUNTY_OFFICER, area=self.county
            )
        with self.assertRaisesMessage(ValidationError, "只能在本辖区内授予角色"):
            services.check_grant(
                by=town_admin, role=Role.VILLAGE_WORKER, area=self.village_c
            )
        with self.assertRaisesMessage(ValidationError, "只能管理本辖区的用户"):
            services.lock(by=town_admin, user=self.zhen_b)
        with self.assertRaisesMessage(ValidationError, "村一级"):
            services.check_grant(
                by=self.admin, role=Role.VILLAGE_WORKER, area=self.town_a
            )

    def test_no_page_sets_the_superuser_or_staff_flag(self) -> None:
        self.login(self.admin)
        user, _password = self.create(is_superuser="on", is_staff="on")
        self.assertFalse(user.is_superuser or user.is_staff)


class AccountLifecycleTests(AdminTestCase):
    def test_creating_an_account_gives_a_one_time_password_to_change_at_login(
        self,
    ) -> None:
        self.login(self.admin)
        user, password = self.create()
        self.assertEqual((user.role, user.area), (Role.VILLAGE_WORKER, self.village_a))
        self.assertTrue(user.must_change_password)
        self.client.logout()
        response = self.client.post(
            reverse("accounts:login"), {"username": "newbie", "password": password}
        )
        self.assertRedirects(
            response, reverse("core:home"), fetch_redirect_response=False
        )
        self.assertRedirects(
            self.client.get(reverse("people:woman_list")),
            reverse("accounts:password_change") + "?next=%2Fpeople%2F",
            fetch_redirect_response=False,
        )
        self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": password,
                "new_password1": "a-new-long-passphrase",
                "new_password2": "a-new-long-passphrase",
            },
        )
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 200)
        created = AuditEntry.objects.get(
            action=AuditAction.CREATE, object_type="accounts.user"
        )
        self.assertIsNone(created.detail["before"])
        self.assertEqual(created.detail["after"]["role"], "village_worker")
        self.assertNotIn(password, str(AuditEntry.objects.values_list("detail")))

    def test_a_password_reset_forces_a_change_and_ends_other_sessions(self) -> None:
        self.client.force_login(self.cun_a)
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 200)
        admin_client = self.client_class()
        admin_client.force_login(self.admin)
        response = admin_client.post(
            reverse("accounts:user_password_reset", args=[self.cun_a.pk])
        )
        password = re.search(
            r'id="one-time-password">([^<]+)<', response.content.decode()
        )
        assert password is not None
        self.assertEqual(self.client.get(reverse("people:woman_list")).status_code, 302)
        self.client.post(
            reverse("accounts:login"),
            {"username": "cun_a", "password": password.group(1)},
        )
        response = self.client.get(reverse("people:woman_list"))
        self.assertTrue(
            response["Location"].startswith(reverse("accounts:password_change"))
        )
        entry = AuditEntry.objects.get(detail__change="password_reset")
        self.assertEqual(
            (
                entry.detail["before"]["must_change_password"],
                entry.detail["after"]["must_change_password"],
            ),
            (False, True),
        )

    def test_lock_unlock_deactivate_are_audited_and_nothing_is_deleted(self) -> None:
        self.login(self.admin)
        url = reverse("accounts:user_state", args=[self.cun_a.pk])
        for action in ("lock", "unlock", "deactivate", "activate", "deactivate"):
            self.client.post(url, {"action": action})
        self.cun_a.refresh_from_db()
        self.assertFalse(self.cun_a.is_active)
        changes = list(
            AuditEntry.objects.filter(
                object_type="accounts.user", object_id=str(self.cun_a.pk)
            )
            .order_by("id")
            .values_list("detail__change", flat=True)
        )
        self.assertEqual(
            changes, ["lock", "unlock", "deactivate", "activate", "deactivate"]
        )
        locked = AuditEntry.objects.filter(detail__change="lock").get()
        self.assertEqual(
            (locked.detail["before"]["locked"], locked.detail["after"]["locked"]),
            (False, True),
        )
        self.client.logout()
        response = self.client.post(
            reverse("accounts:login"), {"username": "cun_a", "password": PASSWORD}
        )
        self.assertContains(response, "用户名或密码错误")
        self.assertTrue(User.objects.filter(pk=self.cun_a.pk).exists())

    def test_an_admin_edits_a_name_and_the_auditor_sees_before_and_after(self) -> None:
        self.login(self.admin)
        self.client.post(
            reverse("accounts:user_profile", args=[self.cun_a.pk]),
            {"last_name": "李", "first_name": "秀英", "phone": "13800001111"},
        )
        self.cun_a.refresh_from_db()
        self.assertEqual(self.cun_a.get_full_name(), "秀英 李")
        entry = AuditEntry.objects.get(detail__change="profile")
        self.assertEqual(entry.detail["before"]["name"], "cun_a")
        self.assertEqual(entry.detail["after"]["phone"], "13800001111")


class DjangoAdminGoneTests(AdminTestCase):
    def test_sysadmin_does_not_exist_for_anyone_and_a_locked_login_there_is_404(
        self,
    ) -> None:
        for user in (None, self.cun_a, self.admin):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for path in ("/sysadmin/", "/sysadmin/login/", "/sysadmin/accounts/user/"):
                self.assertEqual(self.client.get(path).status_code, 404, (user, path))
        User.objects.filter(pk=self.cun_a.pk).update(is_active=False)
        self.client.logout()
        response = self.client.post(
            "/sysadmin/login/", {"username": "cun_a", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 404)
