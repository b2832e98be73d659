from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.people import services
from srbgov.people.access import get_woman_for_user, women_for_user
from srbgov.people.exports import WOMEN
from srbgov.people.forms import (
    ChildFormSet,
    ConfirmIdentityForm,
    WomanForm,
    WomanSearchForm,
    children_from,
    children_initial,
    woman_initial,
)
from srbgov.people.queries import search_women


def _filtered(request: AuthedRequest) -> tuple[WomanSearchForm, Any]:
    women = women_for_user(request.user)
    form = WomanSearchForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, search_women(women, today=timezone.localdate(), filters=filters)


@authed(reach=roles.can_manage_people)
def woman_list(request: AuthedRequest) -> HttpResponse:
    form, women = _filtered(request)
    page, query = paginate(request, women)
    return render(
        request,
        "people/woman_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": WOMEN.page(page.object_list),
            "searched": bool(request.GET.get("q")),
        },
    )


@authed(reach=roles.can_manage_people)
def woman_export(request: AuthedRequest) -> HttpResponse:
    _form, women = _filtered(request)
    return WOMEN.response(request, women)


@authed(reach=roles.can_manage_people)
def woman_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    woman = get_woman_for_user(request.user, pk)
    children = list(woman.children.all())
    return render(
        request,
        "people/woman_detail.html",
        {
            "woman": woman,
            "children": children,
            "age": woman.age_on(timezone.localdate()),
            "confirm_form": ConfirmIdentityForm(),
        },
    )


@authed(reach=roles.can_manage_people)
@require_POST
def woman_confirm_id(request: AuthedRequest, pk: int) -> HttpResponse:
    """Match / no match for a typed number (docs/security.md §1)."""
    woman = get_woman_for_user(request.user, pk, log_read=False)
    form = ConfirmIdentityForm(request.POST)
    if form.is_valid():
        typed = form.cleaned_data["id_number"]
        if services.confirm_identity_number(by=request.user, woman=woman, typed=typed):
            messages.success(request, _("身份证号码一致。"))
        else:
            messages.error(request, _("身份证号码不一致。"))
    return redirect("people:woman_detail", pk=woman.pk)


def _save(
    request: AuthedRequest, form: WomanForm, formset: Any, woman: Any
) -> HttpResponse | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = form.cleaned_data
    kwargs = dict(
        by=request.user,
        name=data["name"],
        village=data["village"],
        id_number=data["id_number"],
        phone=data["phone"],
        household=data["household"],
        note=data["note"],
        spouse=form.spouse(),
        children=children_from(formset),
    )
    try:
        with transaction.atomic():
            saved = (
                services.update_woman(woman=woman, **kwargs)
                if woman
                else services.register_woman(**kwargs)
            )
    except services.DuplicateWoman as duplicate:
        form.add_error("id_number", duplicate.messages[0])
        if request.user.scope.contains(duplicate.existing.village):
            form.existing = duplicate.existing  # type: ignore[attr-defined]
        return None
    except ValidationError as problem:
        add_service_errors(form, problem)
        return None
    messages.success(request, _("已保存：%(name)s") % {"name": saved.name})
    return redirect("people:woman_detail", pk=saved.pk)


@authed(reach=roles.can_manage_people)
def woman_create(request: AuthedRequest) -> HttpResponse:
    women_for_user(request.user)  # 404 for roles without the registry
    form = WomanForm(request.POST or None, user=request.user)
    formset = ChildFormSet(request.POST or None, prefix="children")
    if request.method == "POST" and (done := _save(request, form, formset, None)):
        return done
    return render(
        request,
        "people/woman_form.html",
        {"form": form, "formset": formset, "woman": None},
    )


@authed(reach=roles.can_manage_people)
def woman_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    woman = get_woman_for_user(request.user, pk, log_read=request.method != "POST")
    form = WomanForm(
        request.POST or None,
        user=request.user,
        woman=woman,
        initial=woman_initial(woman),
    )
    formset = ChildFormSet(
        request.POST or None, prefix="children", initial=children_initial(woman)
    )
    if request.method == "POST" and (done := _save(request, form, formset, woman)):
        return done
    return render(
        request,
        "people/woman_form.html",
        {"form": form, "formset": formset, "woman": woman},
    )
