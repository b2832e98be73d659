"""Route × role × area, observed from real requests (docs/access.md).

For every named route, read from the URL configuration, and every role in `Role`:
- a role the view's declared reach (`@authed(reach=…)`) refuses gets 404;
- a role it admits gets a page (anything but 404) from each of its personas that
  contains the record's area, and 404 from each that does not (another village,
  township or county), on a record of 甲镇/一村.
Outsiders are computed from the areas (scope_world.py), never typed. A new route
without a declared reach or without a record to open, or a new role without a level
in `ROLE_LEVEL`, fails here. core/tests/test_url_coverage.py stays as a complement:
it checks that each app's own tests name a 404 case for every route.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from srbgov.accounts.models import ROLE_LEVEL, Role, User
from srbgov.areas.models import Area
from srbgov.core.http import RolePredicate, reach_of
from srbgov.core.scope import area_of
from srbgov.core.tests.scope_world import World, WorldTestCase
from srbgov.core.tests.test_url_coverage import NOT_AREA_SCOPED
from srbgov.testing import VerifiedClient

# The record each object route opens, by its name in the world.
ROUTE_RECORD = {
    "care:household_detail": "care_household",
    "care:household_confirm": "care_household",
    "care:application_create": "care_household",
    "care:application_detail": "care_application",
    "care:application_review": "care_application",
    "care:application_approve": "care_application",
    "care:application_account": "care_application",
    "care:notice_detail": "care_notice",
    "care:program_edit": "care_program",
    "care:batch_detail": "care_batch",
    "care:batch_payments_export": "care_batch",
    "care:batch_approve": "care_batch",
    "care:batch_close": "care_batch",
    "care:batch_bank_file": "care_batch",
    "care:payment_return": "care_payment",
    "publicity:activity_detail": "publicity_activity",
    "publicity:activity_photo": "publicity_photo",
    "publicity:bulletin_edit": "publicity_bulletin",
    "publicity:bulletin_publish": "publicity_bulletin",
    "publicity:bulletin_docx": "publicity_bulletin",
    "accounts:user_detail": "account",
    "accounts:user_role": "account",
    "accounts:user_profile": "account",
    "accounts:user_password_reset": "account",
    "accounts:user_state": "account",
    "accounts:request_decide": "role_request",
    "alerts:alert_detail": "alert",
    "alerts:alert_note": "alert",
    "alerts:alert_assign": "alert",
    "alerts:alert_resolve": "alert",
    "areas:area_edit": "village",
    "people:woman_detail": "woman",
    "people:woman_edit": "woman",
    "people:woman_confirm_id": "woman",
    "pregnancies:pregnancy_detail": "pregnancy",
    "pregnancies:visit_create": "pregnancy",
    "pregnancies:outcome_create": "pregnancy",
    "pregnancies:birth_certificate": "birth",
    "pregnancies:termination_approval": "outcome",
    "pregnancies:infant_death_create": "child",
    "pregnancies:policy_edit": "township",
    "providers:facility_detail": "facility",
    "providers:facility_edit": "facility",
    "providers:device_create": "facility",
    "providers:facility_clerk": "facility",
    "providers:device_edit": "device",
    "providers:device_operator_add": "device",
    "providers:practitioner_create": "facility",
    "providers:practitioner_detail": "practitioner",
    "providers:practitioner_edit": "practitioner",
    "providers:pledge_create": "facility",
    "providers:pledge_file": "pledge",
    "providers:termination_detail": "termination",
    "providers:delivery_detail": "delivery",
    "providers:delivery_certificate": "delivery",
    "providers:exam_detail": "exam",
    "providers:licence_file": "licence",
    "providers:genetic_test_detail": "genetic_test",
    "providers:genetic_test_result": "genetic_test",
    "providers:priority_detail": "priority",
    "providers:priority_renew": "priority",
    "providers:priority_end": "priority",
    "providers:verification_detail": "verification",
    "providers:verification_review": "verification",
    "providers:verification_certify": "verification",
    "providers:verification_file": "verification",
    "providers:drug_ledger": "facility",
    "providers:drug_purchase_create": "facility",
    "providers:drug_dispensing_create": "facility",
    "oversight:campaign_detail": "campaign",
    "oversight:inspection_create": "campaign",
    "oversight:inspection_detail": "inspection",
    "oversight:inspection_follow_up": "inspection",
    "oversight:case_detail": "case",
    "oversight:case_task_add": "case",
    "oversight:case_task_done": "task",
    "oversight:case_record_add": "case",
    "oversight:case_record_file": "record",
    "oversight:case_dispose": "case",
    "oversight:case_person_add": "case",
    "oversight:survey_detail": "survey",
    "oversight:survey_visits_export": "survey",
    "oversight:survey_visit_add": "survey",
    "oversight:survey_item_add": "survey_visit",
    "tips:tip_detail": "tip",
    "tips:tip_assign": "tip",
    "tips:tip_link_case": "tip",
    "tips:tip_open_case": "tip",
    "tips:tip_decide": "tip",
    "tips:tip_close": "tip",
    "tips:tip_ask": "tip",
    "tips:tip_reveal": "tip",
    "tips:attachment": "attachment",
    "tips:reward_propose": "tip",
    "tips:reward_decide": "reward",
    "tips:reward_pay": "reward",
    "exchange:job_detail": "import_job",
    "exchange:job_progress": "import_job",
    "exchange:job_report": "import_job",
    "exchange:job_import": "import_job",
    "exchange:job_discard": "import_job",
    "reconciliation:month": "township",
    "reconciliation:month_export": "township",
    "reconciliation:decide": "township",
    # The REST API (docs/api.md): the same records through the endpoints.
    "restapi:facility_detail": "facility",
    "restapi:termination_detail": "termination",
    "restapi:delivery_detail": "delivery",
    "restapi:exam_detail": "exam",
    "restapi:genetic_test_detail": "genetic_test",
    "restapi:genetic_test_result": "genetic_test",
    "restapi:woman_detail": "woman",
    "restapi:pregnancy_detail": "pregnancy",
    "restapi:alert_detail": "alert",
    "restapi:token_revoke": "api_token",
    "assessment:indicator_edit": "indicator",
    "assessment:rectification_detail": "rectification",
    "assessment:rectification_explain": "rectification",
    "assessment:rectification_review": "rectification",
    "villagereports:report_detail": "monthly_report",
    "villagereports:report_edit": "monthly_report",
    "villagereports:report_submit": "monthly_report",
    "villagereports:report_return": "monthly_report",
    "villagereports:report_approve": "monthly_report",
    "villagereports:report_reopen": "monthly_report",
    "workplans:plan_detail": "work_plan",
    "workplans:task_progress": "plan_task",
    # Responsibility books, joint meetings, supervision (docs/assessment.md §4).
    "workplans:book_detail": "responsibility_book",
    "workplans:book_sign": "responsibility_book",
    "workplans:book_scan": "responsibility_book",
    "workplans:meeting_detail": "joint_meeting",
    "workplans:meeting_task_add": "joint_meeting",
    "workplans:supervision_detail": "supervision_visit",
    "workplans:supervision_item_add": "supervision_visit",
    "workplans:item_report": "supervision_item",
    "workplans:item_review": "supervision_item",
}

# Path arguments that name no record (a list's slug), by route.
FIXED_KWARGS: dict[str, dict[str, Any]] = {
    "pregnancies:worklist": {"slug": "overdue"},
    "pregnancies:worklist_export": {"slug": "overdue"},
    "monitoring:export": {"table": "trend"},
    "assessment:document_draft": {"kind": "scorecard"},
}

# URL kwargs of a record route beyond its own pk.
EXTRA_KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "tips:attachment": lambda w: {"tip_pk": w["tip"].pk},
    "reconciliation:month": lambda w: {"year": 2026, "month": 5},
    "reconciliation:month_export": lambda w: {"year": 2026, "month": 5},
    "reconciliation:decide": lambda w: {"year": 2026, "month": 5},
}


@dataclass(frozen=True)
class Route:
    name: str
    arguments: frozenset[str]
    reach: RolePredicate | None


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or p.urlconf_name == "django.conf.urls.i18n":
                    continue  # the Django admin site and the language switch
                walk(
                    p.url_patterns,
                    f"{namespace}{p.namespace}:" if p.namespace else namespace,
                )
            elif p.name:
                found.append(
                    Route(
                        namespace + p.name,
                        frozenset(p.pattern.converters),
                        reach_of(p.callback),
                    )
                )

    walk(get_resolver().url_patterns, "")
    return found


def scoped_routes() -> list[Route]:
    return [r for r in routes() if r.name not in NOT_AREA_SCOPED]


def test_every_scoped_route_declares_its_reach_and_what_it_opens() -> None:
    problems = []
    for route in scoped_routes():
        if route.reach is None:
            problems.append(f"{route.name}: no @authed(reach=…) on its view")
        needs_record = route.arguments - set(FIXED_KWARGS.get(route.name, {}))
        if needs_record and route.name not in ROUTE_RECORD:
            problems.append(f"{route.name}: no record for {sorted(needs_record)}")
    stale = set(ROUTE_RECORD) - {r.name for r in routes()}
    assert not problems and not stale, (problems, stale)


def test_every_role_has_a_level_to_build_its_personas_at() -> None:
    roles = {str(r) for r in Role}
    assert set(ROLE_LEVEL) == roles, roles - set(ROLE_LEVEL)


class ScopeMatrixTests(WorldTestCase):
    media_prefix = "srbgov-matrix-"

    requests = 0
    clients: dict[int, tuple[VerifiedClient, str]]

    def setUp(self) -> None:
        super().setUp()
        self.clients = {}

    def status(self, user: User, url: str) -> int:
        """GET, or POST with nothing for a POST-only route; undone afterwards.

        Each persona logs in once, outside the savepoint, and every request starts
        from that session cookie again: the rollback restores the session's row, the
        cookie reset anything a response set (a route that cycles the session key).
        Logging in before every request was a third of this test's time."""
        self.requests += 1
        client, session_key = self._logged_in(user)
        point = transaction.savepoint()
        try:
            code = client.get(url).status_code
            if code == 405:
                code = client.post(url, {}).status_code
        finally:
            transaction.savepoint_rollback(point)
            client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session_key})
        return code

    def _logged_in(self, user: User) -> tuple[VerifiedClient, str]:
        if user.pk not in self.clients:
            client = VerifiedClient()
            client.force_login(user)
            key = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.clients[user.pk] = (client, key)
        return self.clients[user.pk]

    def url(
        self, route: Route, record_name: str | None
    ) -> tuple[str, models.Model | None]:
        if record_name is not None:
            record = self.world[record_name]
            extra = (
                EXTRA_KWARGS[route.name](self.world)
                if route.name in EXTRA_KWARGS
                else {}
            )
            return reverse(route.name, kwargs={"pk": record.pk, **extra}), record
        return reverse(route.name, kwargs=FIXED_KWARGS.get(route.name)), None

    def check_route(self, route: Route, record_name: str | None) -> list[str]:
        assert route.reach is not None
        url, record = self.url(route, record_name)
        area: Area | None = area_of(record) if record is not None else None
        wrong: list[str] = []
        for role in Role:
            personas = self.world.personas[role]
            inside = [u for u in personas if area is None or u.scope.contains(area)]
            outside = [u for u in personas if u not in inside]
            if not route.reach(personas[0]):
                # A role without the page: 404, at the record's own area too.
                expected = [(u, 404) for u in inside[:1] or personas[:1]]
            else:
                expected = [(u, 404) for u in outside] + [(u, 200) for u in inside]
            for user, want in expected:
                got = self.status(user, url)
                if (got == 404) != (want == 404):
                    wrong.append(f"{route.name} {user.username}: {got}, want {want}")
        return wrong

    def test_every_route_answers_each_role_and_area_as_declared(self) -> None:
        wrong: list[str] = []
        scoped = scoped_routes()
        for route in scoped:
            wrong += self.check_route(route, ROUTE_RECORD.get(route.name))
        self.assertEqual(wrong, [], "\n".join(wrong))
        # At least one request per route and role: the matrix really ran.
        self.assertGreaterEqual(self.requests, len(scoped) * len(Role))
        if os.environ.get("SRBGOV_MATRIX_REPORT"):
            print(f"scope matrix: {len(scoped)} routes, {self.requests} requests")

    @override_settings(ROOT_URLCONF="srbgov.core.tests.fixtures.leaky_urls")
    def test_the_matrix_catches_a_route_that_reads_unscoped(self) -> None:
        (leak,) = [r for r in routes() if r.name == "leak"]
        wrong = self.check_route(leak, "woman")
        # Every outsider of every role that reaches the registry sees her.
        self.assertIn("leak m_village_worker_520998101201: 200, want 404", wrong)
        self.assertIn("leak m_county_officer_520998000000: 200, want 404", wrong)
        self.assertTrue(all(line.endswith("200, want 404") for line in wrong))
