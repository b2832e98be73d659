from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running srbgov in production: health, request logs, headers, outage page."""

    name = "srbgov.ops"
    verbose_name = _("运行维护")
