from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "srbgov.audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from srbgov.audit.triggers import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self)
