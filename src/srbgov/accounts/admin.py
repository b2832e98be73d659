from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import Role, User


@admin.register(User)
class SrbgovUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "area",
        "is_active",
        "locked_until",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("角色与辖区"),
            {
                "fields": (
                    "role",
                    "area",
                    "phone",
                    "failed_login_count",
                    "locked_until",
                )
            },
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("角色与辖区"), {"fields": ("role", "area", "first_name", "last_name")}),
    )
    autocomplete_fields = ("area",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", "") == Role.ADMIN

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return getattr(request.user, "role", "") == Role.ADMIN

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Accounts are deactivated, never deleted: the audit log refers to them.
        return False
