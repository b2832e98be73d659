"""The organisation of the work and its plans (docs/assessment.md §4).

`plans`: the leading group, its office and departments, work plans with phases and tasks.
`organisation`: responsibility books (责任书), joint meetings (联席会议) and supervision
visits (督查) with their rectification items.
"""

from srbgov.workplans.models.organisation import (
    BookStatus,
    ItemStatus,
    JointMeeting,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionItemQuerySet,
    SupervisionVisit,
)
from srbgov.workplans.models.plans import (
    Body,
    Member,
    Phase,
    PlanTask,
    PlanTaskQuerySet,
    WorkPlan,
)

__all__ = [
    "Body",
    "BookStatus",
    "ItemStatus",
    "JointMeeting",
    "Member",
    "Phase",
    "PlanTask",
    "PlanTaskQuerySet",
    "ResponsibilityBook",
    "SupervisionItem",
    "SupervisionItemQuerySet",
    "SupervisionVisit",
    "WorkPlan",
]
