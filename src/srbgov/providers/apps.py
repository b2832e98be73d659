from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def keeps_registers(user: Any) -> bool:
    """The facility clerk and the health center work in the exam and delivery
    registers daily: they get them in the navigation (docs/registers.md §2)."""
    from srbgov.accounts import roles
    from srbgov.accounts.models import Role

    return roles.is_facility_clerk(user) or getattr(user, "role", None) == (
        Role.HEALTH_CENTER
    )


class ProvidersConfig(AppConfig):
    name = "srbgov.providers"
    verbose_name = _("医疗机构与从业人员")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from srbgov.core.context import NAVIGATION
        from srbgov.providers import home

        home.register_home_items()  # verifications waiting, registry gaps (docs/homes.md)
        # core imports no feature app: the entries are added here, once, after the
        # facilities (docs/architecture.md).
        names = [name for _label, name, _allowed in NAVIGATION]
        after = names.index("providers:facility_list") + 1
        for entry in (
            (_("分娩登记"), "providers:delivery_list", keeps_registers),
            (_("B超检查登记"), "providers:exam_list", keeps_registers),
        ):
            if entry[1] not in names:
                NAVIGATION.insert(after, entry)
