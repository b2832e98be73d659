from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from srbgov.accounts.models import Role
from srbgov.providers.models import FacilityClerk
from srbgov.providers.services import assign_facility_clerk


@admin.register(FacilityClerk)
class FacilityClerkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Where the administrator links a facility clerk to a facility (it was a field of
    the user before; accounts no longer knows facilities, docs/decisions.md). Saving
    goes through the audited service, which checks the role and the area."""

    list_display = ("user", "facility", "assigned_at")
    fields = ("user", "facility")
    autocomplete_fields = ("user",)
    raw_id_fields = ("facility",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", "") == Role.ADMIN

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return getattr(request.user, "role", "") == Role.ADMIN

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: FacilityClerk, form: Any, change: bool
    ) -> None:
        link = assign_facility_clerk(
            by=request.user,  # type: ignore[arg-type]
            clerk=obj.user,
            facility=obj.facility,
        )
        obj.pk = link.pk
