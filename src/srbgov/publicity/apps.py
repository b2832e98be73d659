from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "srbgov.publicity"
    verbose_name = _("宣传培训")

    def ready(self) -> None:
        # The assessment never imports this app; its indicator kinds come from here
        # (docs/assessment.md: adding an indicator kind).
        from srbgov.publicity.indicators import register_kinds

        register_kinds()
