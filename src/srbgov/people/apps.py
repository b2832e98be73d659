from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "srbgov.people"
    verbose_name = _("育龄妇女")

    def ready(self) -> None:
        from srbgov.people import checks  # noqa: F401  (registers the key check)
