from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PregnanciesConfig(AppConfig):
    name = "srbgov.pregnancies"
    verbose_name = _("孕情跟踪服务")

    def ready(self) -> None:
        # A facility's termination register closes her pregnancy here
        # (providers/hooks.py: providers may not import this app).
        from srbgov.accounts.roles import can_follow_pregnancies
        from srbgov.core.home import HomeFigure, register
        from srbgov.pregnancies import exam_patterns, home, queries, terminations
        from srbgov.pregnancies.access import pregnancies_for_user
        from srbgov.pregnancies.models import PregnancyStatus
        from srbgov.providers import hooks

        hooks.register(hooks.TERMINATION_REGISTERED, terminations.on_registered)
        hooks.register(hooks.TERMINATION_CERTIFIED, terminations.on_certified)
        hooks.register(hooks.EXAM_RECORDED, exam_patterns.on_exam_recorded)
        hooks.PATTERN_PASSES["exam_then_disappearance"] = (
            exam_patterns.raise_exam_disappearance_alerts
        )
        hooks.FACILITY_PANELS["births"] = queries.births_by_sex_at
        # The home page shows the pregnancies under follow-up (core/home.py).
        register(
            HomeFigure(
                key="pregnant",
                label=_("本辖区孕期中的孕情"),
                url_name="pregnancies:pregnancy_list",
                allowed=can_follow_pregnancies,
                count=lambda user: (
                    pregnancies_for_user(user)
                    .filter(status=PregnancyStatus.PREGNANT)
                    .count()
                ),
            )
        )
        home.register_home_items()  # the work list (docs/homes.md)
