from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "srbgov.assessment"
    verbose_name = _("考核")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The built-in indicator kinds register themselves on import (docs/assessment.md),
        # the supervision indicator with them (organisation.py).
        from srbgov.assessment import access, indicators, organisation  # noqa: F401
        from srbgov.core.context import NAVIGATION
        from srbgov.core.home import HomeFigure, register
        from srbgov.workplans.hooks import register_target_source

        # core imports no feature app: the entry is added here, once (docs/architecture.md).
        entry = (_("考核"), "assessment:scorecard", access.can_see_assessment)
        if entry[1] not in [name for _label, name, _allowed in NAVIGATION]:
            NAVIGATION.insert(len(NAVIGATION) - 4, entry)

        # A responsibility book copies the year's indicators as its targets.
        register_target_source(organisation.book_targets)
        register(
            HomeFigure(
                key="assessment_rectifications",
                label=_("考核：待完成的整改任务"),
                url_name="assessment:rectification_list",
                allowed=access.can_see_assessment,
                count=lambda user: (
                    access.rectifications_for_user(user).unfinished().count()
                ),
            )
        )
