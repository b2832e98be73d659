from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestapiConfig(AppConfig):
    name = "srbgov.restapi"
    verbose_name = _("数据接口")
