"""Who sees the organisation and the plans (docs/access.md): the township and county
officers of the area write them; the village worker reads them and their own tasks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from srbgov.accounts.models import Role, User
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, area_filter, get_for_user
from srbgov.workplans.models import (
    Body,
    JointMeeting,
    Member,
    PlanTask,
    PlanTaskQuerySet,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionItemQuerySet,
    SupervisionVisit,
    WorkPlan,
)

READERS = frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})
WRITERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_see_plans(user: Any) -> bool:
    return _role(user) in READERS


def can_write_plans(user: Any) -> bool:
    return _role(user) in WRITERS


def plans_for_user(user: User) -> ScopedQuerySet[WorkPlan]:
    """The plans of the user's area (its subtree)."""
    require(can_see_plans, user)
    return WorkPlan.objects.visible_to(user)


def get_plan_for_user(user: User, pk: object) -> WorkPlan:
    return get_for_user(plans_for_user(user), user, pk, log_read=False)


def members_for_user(user: User) -> ScopedQuerySet[Member]:
    require(can_see_plans, user)
    return Member.objects.visible_to(user)


def tasks_for_user(user: User) -> PlanTaskQuerySet:
    require(can_see_plans, user)
    return PlanTask.objects.visible_to(user)


def get_task_for_user(user: User, pk: object) -> PlanTask:
    return get_for_user(tasks_for_user(user), user, pk, log_read=False)


def overdue_tasks_for(user: User) -> PlanTaskQuerySet:
    """The owner's overdue tasks (the home page figure): past their deadline, not done."""
    if not can_see_plans(user):
        return PlanTask.objects.none()
    # The user's own tasks, also those of a plan above their area (a village worker who
    # owns a task of the township's plan): owning a task is the user's own business.
    return PlanTask.objects.filter(owner=user).overdue(on=timezone.localdate())


# --- 责任书, 联席会议, 督查 (docs/assessment.md §4): the same readers and writers ---


def books_for_user(user: User) -> ScopedQuerySet[ResponsibilityBook]:
    """The books the user's area issued or signed (a village sees its own book)."""
    require(can_see_plans, user)
    return ResponsibilityBook.objects.visible_to(user)


def get_book_for_user(user: User, pk: object) -> ResponsibilityBook:
    return get_for_user(
        books_for_user(user).select_related("issuer", "party_area", "party_unit"),
        user,
        pk,
    )


def can_issue_book(user: User, book: ResponsibilityBook) -> bool:
    """Only the issuing level records the signature (the party only reads its book)."""
    return can_write_plans(user) and user.scope.pk == book.issuer_id


def meetings_for_user(user: User) -> ScopedQuerySet[JointMeeting]:
    require(can_see_plans, user)
    return JointMeeting.objects.visible_to(user)


def get_meeting_for_user(user: User, pk: object) -> JointMeeting:
    return get_for_user(meetings_for_user(user), user, pk)


def visits_for_user(user: User) -> ScopedQuerySet[SupervisionVisit]:
    """Visits the user's area organised or received (a village sees visits to it)."""
    require(can_see_plans, user)
    return SupervisionVisit.objects.visible_to(user)


def get_visit_for_user(user: User, pk: object) -> SupervisionVisit:
    return get_for_user(
        visits_for_user(user).select_related("area", "visited_area", "visited_unit"),
        user,
        pk,
    )


def items_for_user(user: User) -> SupervisionItemQuerySet:
    require(can_see_plans, user)
    return SupervisionItem.objects.visible_to(user)


def get_item_for_user(user: User, pk: object) -> SupervisionItem:
    return get_for_user(
        items_for_user(user).select_related("visit"), user, pk, log_read=False
    )


def can_review_item(user: User, item: SupervisionItem) -> bool:
    """The organising level (or above) reviews; the visited village does not."""
    return can_write_plans(user) and user.scope.contains(item.visit.area)


def overdue_items_for(user: User) -> SupervisionItemQuerySet:
    """Unfinished rectification items past their deadline in the user's area."""
    if not can_see_plans(user):
        return SupervisionItem.objects.none()
    return items_for_user(user).overdue(on=timezone.localdate())


def task_owners_for(user: User) -> QuerySet[User]:
    """Accounts that may own a task of the user's area: its officers and workers."""
    require(can_write_plans, user)
    return User.objects.filter(
        area_filter(User, user.scope), is_active=True, role__in=READERS
    ).order_by("area__code", "username")


def departments_for(user: User) -> ScopedQuerySet[Member]:
    """The member units (成员单位) of the user's own level: book parties, visited units."""
    return members_for_user(user).filter(area=user.scope, body=Body.DEPARTMENT)
