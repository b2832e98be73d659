"""Malformed query-string input answers like any other bad id (docs/access.md): a 404
or the page without the filter, never a 500. PostgreSQL refuses a NUL character in
text, so a value passed to the database or to the audit log unchecked is a 500 there
and not on SQLite: this runs on both in `make test`."""

from __future__ import annotations

from django.urls import reverse

from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.testing import BaseTestCase, VerifiedClient


class MalformedQueryTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A 500 comes back as a response, so the status is what is checked.
        self.client = VerifiedClient(raise_request_exception=False)
        self.client.force_login(self.zhen_a)

    def test_a_nul_or_an_overlong_value_is_never_a_server_error(self) -> None:
        overdue = reverse("pregnancies:worklist", args=["overdue"])
        cases = {
            f"{overdue}?village=%00": 200,
            reverse("pregnancies:worklist_export", args=["overdue"])
            + "?village=%00": 200,
            f"{overdue}?village={'9' * 5000}": 200,
            reverse("alerts:alert_list") + "?age=%00": 200,
            reverse("pregnancies:pregnancy_list") + "?alerted=%00": 200,
            reverse("oversight:case_create") + "?visit=%00": 404,
            reverse("oversight:case_create") + "?visit=1%002": 404,
        }
        for url, status in cases.items():
            with self.subTest(url=url[:80]):
                self.assertEqual(self.client.get(url).status_code, status)

    def test_the_denied_probe_is_logged_with_its_id_escaped(self) -> None:
        url = reverse("oversight:case_create") + "?visit=1%002"
        self.assertEqual(self.client.get(url).status_code, 404)
        entry = AuditEntry.objects.filter(
            action=AuditAction.DENIED, user=self.zhen_a
        ).latest("pk")
        self.assertEqual(entry.object_id, "1\\x002")
