from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "srbgov.alerts"
    verbose_name = _("预警")

    def ready(self) -> None:
        # The home page shows the open alerts of the user's area (core/home.py).
        from srbgov.accounts.roles import can_work_alerts
        from srbgov.alerts.access import alerts_for_user
        from srbgov.core.home import HomeFigure, register

        register(
            HomeFigure(
                key="open_alerts",
                label=_("本辖区待处理的预警"),
                url_name="alerts:alert_list",
                allowed=can_work_alerts,
                count=lambda user: alerts_for_user(user).open().count(),
            )
        )
        from srbgov.alerts import home

        home.register_home_items()  # open alerts by kind (docs/homes.md)
