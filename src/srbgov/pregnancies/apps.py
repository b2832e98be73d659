from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PregnanciesConfig(AppConfig):
    name = "srbgov.pregnancies"
    verbose_name = _("孕情跟踪服务")

    def ready(self) -> None:
        # A facility's termination register closes her pregnancy here
        # (providers/hooks.py: providers may not import this app).
        from srbgov.pregnancies import queries, terminations
        from srbgov.providers import hooks

        hooks.register(hooks.TERMINATION_REGISTERED, terminations.on_registered)
        hooks.register(hooks.TERMINATION_CERTIFIED, terminations.on_certified)
        hooks.FACILITY_PANELS["births"] = queries.births_by_sex_at
