from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SrbgovAdminConfig(AdminConfig):
    default_site = "srbgov.accounts.admin_app.SrbgovAdminSite"


class SrbgovAdminSite(admin.AdminSite):
    """Django admin for reference data, open only to the system administrator role.

    No model holding a person's record is registered here: the administrator manages
    users and areas, never women's or tipsters' data (DESIGN §3)."""

    site_header = _("出生人口性别比综合治理信息平台 · 系统管理")
    site_title = _("系统管理")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "role", "") == "admin")
