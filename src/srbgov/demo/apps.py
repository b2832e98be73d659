from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "srbgov.demo"
    verbose_name = _("示范县演示数据")
