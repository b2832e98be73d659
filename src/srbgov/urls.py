from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("srbgov.core.urls")),
    path("accounts/", include("srbgov.accounts.urls")),
    path("areas/", include("srbgov.areas.urls")),
    path("people/", include("srbgov.people.urls")),
    path("audit/", include("srbgov.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sysadmin/", admin.site.urls),
]
