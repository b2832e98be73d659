from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "srbgov.oversight"
    verbose_name = _("专项整治与案件查处")
