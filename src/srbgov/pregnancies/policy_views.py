"""The county officer's visit-schedule policies (随访规则), per county or township."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.accounts.roles import can_edit_schedule_policies
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.scope import get_for_user
from srbgov.pregnancies.forms import PolicyForm
from srbgov.pregnancies.models import SchedulePolicy
from srbgov.pregnancies.policies import (
    BUILTIN_LABELS,
    DEFAULT_POLICY,
    builtin_policy,
    parse_policy,
    policy_label,
    save_policy,
)
from srbgov.schedules import BUILTIN_POLICIES, policy_from_dict, policy_to_dict


def _policy_area(request: AuthedRequest, pk: int) -> Area:
    require(can_edit_schedule_policies, request.user)
    areas = Area.objects.visible_to(request.user).exclude(level=AreaLevel.VILLAGE)
    return get_for_user(areas, request.user, pk)


@authed(reach=roles.can_edit_schedule_policies)
def policy_list(request: AuthedRequest) -> HttpResponse:
    require(can_edit_schedule_policies, request.user)
    areas = Area.objects.in_area(request.user.scope).exclude(level=AreaLevel.VILLAGE)
    policies = SchedulePolicy.objects.visible_to(request.user)
    stored = {p.area_id: p for p in policies.filter(area__in=areas)}
    rows = []
    for area in areas:
        own = stored.get(area.pk)
        rows.append(
            {
                "area": area,
                "own": own,
                "label": policy_label(policy_from_dict(own.data)) if own else "",
            }
        )
    return render(
        request,
        "pregnancies/policy_list.html",
        {"rows": rows, "default_label": policy_label(DEFAULT_POLICY)},
    )


@authed(reach=roles.can_edit_schedule_policies)
def policy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    area = _policy_area(request, pk)
    own = SchedulePolicy.objects.in_area(area).filter(area=area).first()
    current = own.data if own else policy_to_dict(DEFAULT_POLICY)
    builtins = [(key, str(BUILTIN_LABELS[key])) for key in BUILTIN_POLICIES]
    form = PolicyForm(
        request.POST or None,
        builtins=builtins,
        initial={"policy": json.dumps(current, ensure_ascii=False, indent=2)},
    )
    if request.method == "POST" and form.is_valid():
        start = form.cleaned_data["start_from"]
        data = (
            policy_to_dict(builtin_policy(start))
            if start
            else form.cleaned_data["policy"]
        )
        try:
            parse_policy(data)
            save_policy(by=request.user, area=area, data=data)
        except ValidationError as problem:
            form.add_error("policy", problem.messages)
        else:
            messages.success(
                request, _("已保存%(area)s的随访规则。") % {"area": area.name}
            )
            return redirect("pregnancies:policy_list")
    return render(
        request,
        "pregnancies/policy_form.html",
        {"form": form, "area": area, "own": own},
    )
