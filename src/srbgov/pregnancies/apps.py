from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PregnanciesConfig(AppConfig):
    name = "srbgov.pregnancies"
    verbose_name = _("孕情跟踪服务")
