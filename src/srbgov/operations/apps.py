from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "srbgov.operations"
    verbose_name = _("运维")

    def ready(self) -> None:
        # The administrator's home page shows the open operations alerts (core/home.py).
        from srbgov.accounts.roles import can_see_jobs
        from srbgov.core.home import HomeFigure, register
        from srbgov.operations.access import visible_jobs
        from srbgov.operations.models import OpsAlert

        register(
            HomeFigure(
                key="ops_alerts",
                label=_("定时任务：未解除的运维告警"),
                url_name="operations:job_list",
                allowed=can_see_jobs,
                # Only the alerts about jobs this user sees (operations/access.py).
                count=lambda user: OpsAlert.objects.filter(
                    closed_at__isnull=True,
                    job__in=[job.name for job in visible_jobs(user)],
                ).count(),
            )
        )
