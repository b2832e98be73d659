from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from srbgov.accounts import roles
from srbgov.accounts.roles import can_read_audit_log
from srbgov.areas.models import Area
from srbgov.audit.exports import ENTRIES
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.audit.services import current_status
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        required=False,
        choices=[("", "—"), *AuditAction.choices],
    )
    object_type = forms.CharField(label=gettext_lazy("对象类型"), required=False)
    object_id = forms.CharField(label=gettext_lazy("对象编号"), required=False)
    date_from = forms.DateField(label=gettext_lazy("从"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("至"), required=False, widget=DATE)


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, Any]:
    require(can_read_audit_log, request.user)
    form = AuditFilterForm(request.GET or None)
    # An auditor reads the entries of the accounts of their own area's subtree, and
    # those no account made (public tip pages); another county's log does not exist.
    entries = AuditEntry.objects.filter(
        Q(user__area__in=Area.objects.in_area(request.user.scope))
        | Q(user__isnull=True)
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["username"]:
            entries = entries.filter(username=d["username"])
        for field in ("action", "object_type", "object_id"):
            if d[field]:
                entries = entries.filter(**{field: d[field]})
        if d["date_from"]:
            entries = entries.filter(at__date__gte=d["date_from"])
        if d["date_to"]:
            entries = entries.filter(at__date__lte=d["date_to"])
    return form, entries


@authed(reach=roles.can_read_audit_log)
def entry_list(request: AuthedRequest) -> HttpResponse:
    """The auditor's view of the log. Browsing it is not itself logged: it holds no
    personal record, only who touched which record."""
    form, entries = _filtered(request)
    page, query = paginate(request, entries, per_page=settings.PAGE_SIZE * 2)
    last_check, chain = current_status()
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": ENTRIES.page(page.object_list),
            "last_check": last_check,
            "chain": chain,
        },
    )


@authed(reach=roles.can_read_audit_log)
def entry_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _filtered(request)
    return ENTRIES.response(request, entries)
