from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from srbgov.accounts import roles
from srbgov.areas.models import Area
from srbgov.audit.models import AuditEntry
from srbgov.core.home import actions_for, figures_for, summaries_for, work_list
from srbgov.core.http import AuthedRequest, authed
from srbgov.people.models import Woman


@authed
def home(request: AuthedRequest) -> HttpResponse:
    """A home page for the role: what it looks after and where to start."""
    user = request.user
    area = user.scope
    figures: list[tuple[str, int, str, Any]] = []
    if roles.can_manage_people(user):
        figures.append(
            ("women", Woman.objects.in_area(area).count(), "people:woman_list", "")
        )
    if roles.can_manage_areas(user):
        figures.append(
            (
                "villages",
                Area.objects.in_area(area).villages().count(),
                "areas:area_list",
                "",
            )
        )
    if roles.can_read_audit_log(user):
        today = timezone.localdate()
        figures.append(
            (
                "audit_today",
                AuditEntry.objects.filter(at__date=today).count(),
                "audit:entry_list",
                "",
            )
        )
    figures += figures_for(user)
    return render(
        request,
        "core/home.html",
        {
            "figures": figures,
            "area": area,
            "sections": work_list(user=user),
            "actions": actions_for(user=user),
            "summaries": summaries_for(user=user),
        },
    )
