"""Scoped getters for campaigns, inspections and cases: declarations over the scope
primitive (srbgov.core.scope, docs/access.md).

Campaigns are seen by those who inspect (卫生院, 计生办, county): their own area's and
those of the areas above them (a county campaign is carried out by every township).
Cases: 计生办 and county of the area; the health center (卫生院) its township's cases,
where it completes its tasks and adds records; the police (派出所) only the cases
referred to them in their township. Surveys of unlicensed practice: those who inspect. Everything else answers 404.
"""

from __future__ import annotations

from srbgov.accounts import roles
from srbgov.accounts.models import User
from srbgov.alerts.models import Alert
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user
from srbgov.oversight.models import (
    Campaign,
    Case,
    CaseTask,
    Department,
    Inspection,
    InvestigationRecord,
    Survey,
    SurveyVisit,
)


def campaigns_for_user(user: User) -> ScopedQuerySet[Campaign]:
    require(roles.can_run_inspections, user)
    scope = user.scope
    above = [a.pk for a in scope.ancestors()]
    # A campaign of an area above is carried out here too: the subtree, plus those.
    return (
        Campaign.objects.visible_to(user) | Campaign.objects.filter(area__in=above)
    ).select_related("area")


def get_campaign_for_user(user: User, pk: object, *, log_read: bool = True) -> Campaign:
    return get_for_user(campaigns_for_user(user), user, pk, log_read=log_read)


def inspections_for_user(user: User) -> ScopedQuerySet[Inspection]:
    require(roles.can_run_inspections, user)
    return Inspection.objects.visible_to(user)


def get_inspection_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> Inspection:
    inspections = inspections_for_user(user).select_related(
        "campaign", "facility", "facility__area", "followed_up_by"
    )
    return get_for_user(inspections, user, pk, log_read=log_read)


def cases_for_user(user: User) -> ScopedQuerySet[Case]:
    in_area = Case.objects.visible_to(user)
    if roles.is_police(user):
        return in_area.filter(referred_to_police_at__isnull=False)
    # The health center works its township's cases (tasks, records): 中水镇 plan.
    require(roles.can_work_cases, user)
    return in_area


def task_department(user: User) -> str:
    """The department whose tasks the user may complete; "" for all of them."""
    if roles.is_police(user):
        return Department.POLICE
    if roles.is_health_center(user):
        return Department.HEALTH_CENTER
    return ""


def get_case_for_user(user: User, pk: object, *, log_read: bool = True) -> Case:
    """A case file names people (practitioners, intermediaries): every opening is
    logged."""
    cases = cases_for_user(user).select_related(
        "area",
        "subject_facility",
        "subject_practitioner",
        "inspection",
        "inspection__facility",
        "alert",
    )
    return get_for_user(cases, user, pk, log_read=log_read)


def get_task_for_user(user: User, pk: object, *, log_read: bool = True) -> CaseTask:
    """The police may work the 派出所 tasks of the cases referred to them (the others
    do not exist for them). The health center sees every task of its township's
    cases; the view lets it complete the 卫生院 ones only (`task_department`)."""
    tasks = CaseTask.objects.filter(case__in=cases_for_user(user))
    if roles.is_police(user):
        tasks = tasks.filter(department=Department.POLICE)
    return get_for_user(tasks.select_related("case"), user, pk, log_read=log_read)


def get_record_for_user(user: User, pk: object) -> InvestigationRecord:
    """An investigation record (笔录) of a case the user may open; the case's read is
    what the caller logs."""
    records = InvestigationRecord.objects.filter(case__in=cases_for_user(user))
    return get_for_user(
        records.select_related("attachment", "case"), user, pk, log_read=False
    )


def alert_for_case(user: User, pk: object) -> Alert:
    """An open alert of the user's area, to open a case from."""
    require(roles.can_manage_cases, user)
    return get_for_user(Alert.objects.visible_to(user).open(), user, pk)


def surveys_for_user(user: User) -> ScopedQuerySet[Survey]:
    require(roles.can_run_inspections, user)
    return Survey.objects.visible_to(user)


def get_survey_for_user(user: User, pk: object, *, log_read: bool = True) -> Survey:
    """A survey names private persons and places: every opening is logged."""
    return get_for_user(
        surveys_for_user(user).select_related("area"), user, pk, log_read=log_read
    )


def get_visit_for_user(user: User, pk: object) -> SurveyVisit:
    visits = SurveyVisit.objects.filter(survey__in=surveys_for_user(user))
    return get_for_user(visits.select_related("survey"), user, pk, log_read=False)
