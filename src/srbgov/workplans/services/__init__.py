"""Every write of the organisation and the plans: keyword-only, atomic, audited.

`plans`: members, work plans and their tasks. `organisation`: responsibility books, joint
meetings with their follow-up tasks, supervision visits and their rectification items.
"""

from srbgov.workplans.services.organisation import (
    add_meeting_task,
    add_supervision_item,
    draft_book,
    record_meeting,
    record_supervision,
    report_item,
    review_item,
    sign_book,
)
from srbgov.workplans.services.plans import (
    add_member,
    add_task,
    create_plan,
    report_progress,
)

__all__ = [
    "add_meeting_task",
    "add_member",
    "add_supervision_item",
    "add_task",
    "create_plan",
    "draft_book",
    "record_meeting",
    "record_supervision",
    "report_item",
    "report_progress",
    "review_item",
    "sign_book",
]
