from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "srbgov.providers"
    verbose_name = _("医疗机构与从业人员")

    def ready(self) -> None:
        from srbgov.providers import home

        home.register_home_items()  # verifications waiting, registry gaps (docs/homes.md)
