from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "srbgov.oversight"
    verbose_name = _("专项整治与案件查处")

    def ready(self) -> None:
        # The facility page shows its inspections (providers may not import oversight).
        from srbgov.oversight import queries
        from srbgov.providers import hooks

        hooks.FACILITY_PANELS["inspection_years"] = queries.inspections_by_year
        from srbgov.oversight import home

        home.register_home_items()  # open cases (docs/homes.md)
