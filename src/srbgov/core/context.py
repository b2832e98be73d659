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
    (_("孕情跟踪"), "pregnancies:pregnancy_list", roles.can_follow_pregnancies),
    (_("育龄妇女"), "people:woman_list", roles.can_manage_people),
    (_("数据导入"), "exchange:index", roles.can_import),
    (_("预警"), "alerts:alert_list", roles.can_work_alerts),
    (_("性别比监测"), "monitoring:overview", roles.can_see_srb_statistics),
    (_("医疗机构"), "providers:facility_list", roles.can_see_facilities),
    (_("重点村和单位"), "providers:priority_list", roles.can_see_priorities),
    (_("数据比对"), "reconciliation:index", roles.can_reconcile),
    (_("专项整治"), "oversight:campaign_list", roles.can_run_inspections),
    (_("案件查处"), "oversight:case_list", roles.can_see_cases),
    (_("有奖举报"), "tips:tip_list", roles.can_read_tips),
    (_("关爱女孩"), "care:household_list", roles.can_manage_people),
    (_("宣传培训"), "publicity:activity_list", roles.can_manage_people),
    (_("随访规则"), "pregnancies:policy_list", roles.can_edit_schedule_policies),
    (_("接口令牌"), "restapi:token_list", roles.can_issue_api_tokens),
    (_("行政区划"), "areas:area_list", roles.can_manage_areas),
    (_("用户管理"), "accounts:user_list", roles.can_manage_users),
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
