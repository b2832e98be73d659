"""Scoped getters for campaigns, inspections and cases (STYLE §5.4).

Campaigns are seen by those who inspect (卫生院, 计生办, county): their own area's and
those of the areas above them (a county campaign is carried out by every township).
Cases: 计生办 and county of the area; the police (派出所) only the cases referred to
them in their township. Everything else answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from srbgov.accounts import roles
from srbgov.accounts.models import User
from srbgov.alerts.models import Alert
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.http import require
from srbgov.oversight.models import Campaign, Case, CaseTask, Inspection


def _denied(user: User, object_type: str, pk: int) -> Http404:
    record(
        user=user, action=AuditAction.DENIED, object_type=object_type, object_id=str(pk)
    )
    return Http404()


def campaigns_for_user(user: User) -> QuerySet[Campaign]:
    require(roles.can_run_inspections, user)
    scope = user.scope
    above = [a.pk for a in scope.ancestors()]
    return Campaign.objects.filter(
        Q(area__code__startswith=scope.scope_prefix) | Q(area__in=above)
    ).select_related("area")


def get_campaign_for_user(user: User, pk: int) -> Campaign:
    campaign = campaigns_for_user(user).filter(pk=pk).first()
    if campaign is None:
        raise _denied(user, "oversight.campaign", pk)
    return campaign


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    require(roles.can_run_inspections, user)
    return Inspection.objects.filter(
        facility__area__code__startswith=user.scope.scope_prefix
    )


def get_inspection_for_user(user: User, pk: int) -> Inspection:
    inspection = (
        inspections_for_user(user)
        .select_related("campaign", "facility", "facility__area", "followed_up_by")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise _denied(user, "oversight.inspection", pk)
    return inspection


def cases_for_user(user: User) -> QuerySet[Case]:
    in_area = Case.objects.filter(area__code__startswith=user.scope.scope_prefix)
    if roles.is_police(user):
        return in_area.filter(referred_to_police_at__isnull=False)
    require(roles.can_manage_cases, user)
    return in_area


def get_case_for_user(user: User, pk: int, *, log_read: bool = True) -> Case:
    """A case file names people (practitioners, intermediaries): every opening is
    logged."""
    case = (
        cases_for_user(user)
        .select_related(
            "area",
            "subject_facility",
            "subject_practitioner",
            "inspection",
            "inspection__facility",
            "alert",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise _denied(user, "oversight.case", pk)
    if log_read:
        record(user=user, action=AuditAction.READ, obj=case)
    return case


def get_task_for_user(user: User, pk: int) -> CaseTask:
    """The police may work the 派出所 tasks of the cases referred to them."""
    tasks = CaseTask.objects.filter(case__in=cases_for_user(user))
    if roles.is_police(user):
        tasks = tasks.filter(department="police")
    task = tasks.select_related("case").filter(pk=pk).first()
    if task is None:
        raise _denied(user, "oversight.casetask", pk)
    return task


def alert_for_case(user: User, pk: int) -> Alert:
    """An open alert of the user's area, to open a case from."""
    require(roles.can_manage_cases, user)
    alert = Alert.objects.in_area(user.scope).open().filter(pk=pk).first()
    if alert is None:
        raise _denied(user, "alerts.alert", pk)
    return alert
