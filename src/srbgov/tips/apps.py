from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "srbgov.tips"
    verbose_name = _("有奖举报")

    def ready(self) -> None:
        from srbgov.tips.logs import protect_request_loggers

        protect_request_loggers()
        from srbgov.tips import home

        home.register_home_items()  # new tips, rewards waiting (docs/homes.md)
