from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "srbgov.monitoring"
    verbose_name = _("出生性别比监测")

    def ready(self) -> None:
        # Count every live birth in the transaction that records it (docs/design.md §7).
        from srbgov.monitoring.counts import count_birth
        from srbgov.pregnancies import hooks

        if count_birth not in hooks.BIRTH_RECORDED:
            hooks.BIRTH_RECORDED.append(count_birth)
        from srbgov.monitoring import home

        home.register_home_items()  # the SRB summary (docs/homes.md)
