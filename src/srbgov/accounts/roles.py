"""Named role predicates: one line each, no boolean trees (docs/access.md)."""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role

PEOPLE_ROLES = frozenset(
    {Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_manage_people(user: Any) -> bool:
    return _role(user) in PEOPLE_ROLES


def can_read_audit_log(user: Any) -> bool:
    return _role(user) == Role.AUDITOR


def can_manage_areas(user: Any) -> bool:
    return _role(user) == Role.ADMIN


def can_manage_users(user: Any) -> bool:
    return _role(user) == Role.ADMIN


# Provider oversight (“两非”监管, issue 5).
FACILITY_KEEPERS = frozenset(
    {Role.HEALTH_CENTER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER}
)
CASE_MANAGERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def can_keep_facilities(user: Any) -> bool:
    return _role(user) in FACILITY_KEEPERS


def is_facility_clerk(user: Any) -> bool:
    return _role(user) == Role.FACILITY_CLERK


def can_see_facilities(user: Any) -> bool:
    return can_keep_facilities(user) or is_facility_clerk(user)


# Import from Excel (issue 13): the registry's roles and the keepers of the facility
# registers; each imports only the kinds its role writes (docs/import.md §1a).
IMPORTERS = frozenset({*PEOPLE_ROLES, *FACILITY_KEEPERS, Role.FACILITY_CLERK})


def can_import(user: Any) -> bool:
    return _role(user) in IMPORTERS


def can_review_terminations(user: Any) -> bool:
    return _role(user) == Role.TOWNSHIP_OFFICER


def can_certify_terminations(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_add_drugs(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_run_inspections(user: Any) -> bool:
    return _role(user) in FACILITY_KEEPERS


def can_manage_cases(user: Any) -> bool:
    return _role(user) in CASE_MANAGERS


def can_see_cases(user: Any) -> bool:
    return can_work_cases(user) or _role(user) == Role.POLICE


def is_police(user: Any) -> bool:
    return _role(user) == Role.POLICE


# Tip-offs (有奖举报): the tip officer handles them; the county officer also reads them
# (to approve rewards), a township officer reads those assigned to the township. Only
# the tip officer can decrypt a reporter's contact (docs/design.md §3).
TIP_READER_ROLES = frozenset(
    {Role.TIP_OFFICER, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER}
)
TIP_REWARD_ROLES = frozenset({Role.TIP_OFFICER, Role.COUNTY_OFFICER})


def can_read_tips(user: Any) -> bool:
    return _role(user) in TIP_READER_ROLES


def can_handle_tips(user: Any) -> bool:
    return _role(user) == Role.TIP_OFFICER


def can_decrypt_tipster(user: Any) -> bool:
    return _role(user) == Role.TIP_OFFICER


def can_edit_tip_policy(user: Any) -> bool:
    return _role(user) == Role.ADMIN


def can_decide_tip_rewards(user: Any) -> bool:
    return _role(user) in TIP_REWARD_ROLES


# Pregnancy follow-up (孕情跟踪服务, issue 3) and the alert queue.
ALERT_WORKERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def can_follow_pregnancies(user: Any) -> bool:
    return _role(user) in PEOPLE_ROLES


def can_edit_schedule_policies(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


def can_work_alerts(user: Any) -> bool:
    return _role(user) in ALERT_WORKERS


# Reconciliation of facility and village records (issue 13 item 3): the township
# officer works her township's month; the county officer any township of the county.
def can_reconcile(user: Any) -> bool:
    return _role(user) in ALERT_WORKERS


# SRB statistics (出生性别比监测, issue 4): village workers see their village only.
def can_see_srb_statistics(user: Any) -> bool:
    return _role(user) in PEOPLE_ROLES


def can_edit_srb_policy(user: Any) -> bool:
    return _role(user) == Role.COUNTY_OFFICER


# Scheduled jobs (定时任务, issue 12): installation-wide, no personal data.
def can_see_jobs(user: Any) -> bool:
    return _role(user) in {Role.ADMIN, Role.COUNTY_OFFICER}


# The REST API (docs/api.md): keepers of facilities issue their facilities' clients, and
# the township and county roles that read lists may hold a token of their own.
def can_issue_api_tokens(user: Any) -> bool:
    return _role(user) in FACILITY_KEEPERS


# Priority villages and units (重点村、重点单位, issue 17 item 6): the township officer
# designates; the keepers of facilities and the county read them.
def can_designate_priorities(user: Any) -> bool:
    return _role(user) == Role.TOWNSHIP_OFFICER


def can_see_priorities(user: Any) -> bool:
    return _role(user) in FACILITY_KEEPERS


# Cases (issue 17 item 4): the health center takes part in its township's cases
# (tasks, investigation records) without opening, assigning or disposing of them.
CASE_WORKERS = frozenset({*CASE_MANAGERS, Role.HEALTH_CENTER})


def can_work_cases(user: Any) -> bool:
    return _role(user) in CASE_WORKERS


def is_health_center(user: Any) -> bool:
    return _role(user) == Role.HEALTH_CENTER
