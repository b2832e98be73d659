from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillageReportsConfig(AppConfig):
    name = "srbgov.villagereports"
    verbose_name = _("村级月报")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from srbgov.core.context import NAVIGATION
        from srbgov.core.home import HomeFigure, register
        from srbgov.villagereports import access

        # core imports no feature app: the entry is added here, once (docs/architecture.md).
        entry = (_("村级月报"), "villagereports:report_list", access.can_see_reports)
        if entry[1] not in [name for _label, name, _allowed in NAVIGATION]:
            NAVIGATION.insert(len(NAVIGATION) - 4, entry)
        register(
            HomeFigure(
                key="villagereports_waiting",
                label=_("村级月报：待处理"),
                url_name="villagereports:report_list",
                allowed=access.can_see_reports,
                count=access.waiting_count,
            )
        )
