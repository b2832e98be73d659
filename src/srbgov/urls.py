from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from srbgov.ops.health import healthz

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
    # The language switch works before login too; the Django admin is not mounted: users
    # are managed on the scoped, audited pages of accounts (docs/administration.md).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("operations/", include("srbgov.operations.urls")),
    path("exchange/", include("srbgov.exchange.urls")),
    path("reconciliation/", include("srbgov.reconciliation.urls")),
    path("api/", include("srbgov.restapi.urls")),
    path("assessment/", include("srbgov.assessment.urls")),
    path("village-reports/", include("srbgov.villagereports.urls")),
    path("work-plans/", include("srbgov.workplans.urls")),
    path("care/", include("srbgov.care.urls")),
    path("publicity/", include("srbgov.publicity.urls")),
]

# An unreachable database answers 503 with a page that needs no database (srbgov.ops).
handler500 = "srbgov.ops.views.server_error"
# ...and so does a session that could not be saved for the same reason.
handler400 = "srbgov.ops.views.bad_request"
