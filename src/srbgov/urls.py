from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("srbgov.core.urls")),
    path("accounts/", include("srbgov.accounts.urls")),
    path("areas/", include("srbgov.areas.urls")),
    path("people/", include("srbgov.people.urls")),
    path("audit/", include("srbgov.audit.urls")),
    path("providers/", include("srbgov.providers.urls")),
    path("oversight/", include("srbgov.oversight.urls")),
    path("tips/", include("srbgov.tips.urls")),
    path("report/", include("srbgov.tips.public_urls")),
    path("pregnancies/", include("srbgov.pregnancies.urls")),
    path("alerts/", include("srbgov.alerts.urls")),
    path("monitoring/", include("srbgov.monitoring.urls")),
    path("operations/", include("srbgov.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sysadmin/", admin.site.urls),
]
