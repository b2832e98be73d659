from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkPlansConfig(AppConfig):
    name = "srbgov.workplans"
    verbose_name = _("组织与实施方案")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from srbgov.core.context import NAVIGATION
        from srbgov.core.home import HomeFigure, register
        from srbgov.workplans import access

        entry = (_("实施方案"), "workplans:plan_list", access.can_see_plans)
        if entry[1] not in [name for _label, name, _allowed in NAVIGATION]:
            NAVIGATION.insert(len(NAVIGATION) - 4, entry)
        # Overdue tasks show on their owner's home page (issue 14 item 4).
        register(
            HomeFigure(
                key="workplans_overdue_tasks",
                label=_("实施方案：我的逾期任务"),
                url_name="workplans:plan_list",
                allowed=access.can_see_plans,
                count=lambda user: access.overdue_tasks_for(user).count(),
            )
        )
        # Supervision items past their deadline, for the area's officers and the
        # visited village (docs/assessment.md §4).
        register(
            HomeFigure(
                key="workplans_overdue_supervision",
                label=_("督查：逾期未整改的问题"),
                url_name="workplans:supervision_list",
                allowed=access.can_see_plans,
                count=lambda user: access.overdue_items_for(user).count(),
            )
        )
