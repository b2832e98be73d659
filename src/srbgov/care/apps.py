from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "srbgov.care"
    verbose_name = _("关爱女孩")

    def ready(self) -> None:
        from srbgov.care.home import register_home_items
        from srbgov.care.households import refresh_for_birth
        from srbgov.pregnancies.hooks import BIRTH_RECORDED

        # A live birth re-derives the mother's household in the birth's transaction
        # (docs/care.md §1); everything else is caught by the set-based refresh.
        if refresh_for_birth not in BIRTH_RECORDED:
            BIRTH_RECORDED.append(refresh_for_birth)
        # The township's reviews and the county's approvals on their home pages.
        register_home_items()
