from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.accounts import roles


def everyone(user: Any) -> bool:
    return True


# (label, url name, predicate): the navigation shows only what the role may do.
NAVIGATION: list[tuple[Any, str, Callable[[Any], bool]]] = [
    (_("首页"), "core:home", everyone),
    (_("育龄妇女"), "people:woman_list", roles.can_manage_people),
    (_("行政区划"), "areas:area_list", roles.can_manage_areas),
    (_("用户管理"), "admin:accounts_user_changelist", roles.can_manage_users),
    (_("审计日志"), "audit:entry_list", roles.can_read_audit_log),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, allowed in NAVIGATION
        if allowed(user)
    ]
    return {"nav_items": items}
