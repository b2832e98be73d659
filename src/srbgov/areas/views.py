from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from srbgov.accounts import roles
from srbgov.accounts.roles import can_manage_areas
from srbgov.areas import services
from srbgov.areas.forms import AreaForm, AreaImportForm
from srbgov.areas.models import Area
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.scope import get_for_user


def _get_area(request: AuthedRequest, pk: int) -> Area:
    return get_for_user(Area.objects.visible_to(request.user), request.user, pk)


@authed(reach=roles.can_manage_areas)
def area_list(request: AuthedRequest) -> HttpResponse:
    require(can_manage_areas, request.user)
    areas = Area.objects.in_area(request.user.scope).select_related("parent")
    return render(
        request,
        "areas/area_list.html",
        {"areas": areas, "import_form": AreaImportForm()},
    )


def _apply(
    request: AuthedRequest, form: AreaForm, area: Area | None
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        saved = services.save_area(by=request.user, area=area, **form.cleaned_data)
    except ValidationError as problem:
        add_service_errors(form, problem)
        return None
    if not request.user.scope.contains(saved):
        raise Http404
    messages.success(request, _("已保存：%(name)s") % {"name": saved.name})
    return redirect("areas:area_list")


@authed(reach=roles.can_manage_areas)
def area_create(request: AuthedRequest) -> HttpResponse:
    require(can_manage_areas, request.user)
    form = AreaForm(request.POST or None)
    if request.method == "POST" and (done := _apply(request, form, None)):
        return done
    return render(request, "areas/area_form.html", {"form": form, "area": None})


@authed(reach=roles.can_manage_areas)
def area_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_manage_areas, request.user)
    area = _get_area(request, pk)
    form = AreaForm(
        request.POST or None, initial={"code": area.code, "name": area.name}
    )
    if request.method == "POST" and (done := _apply(request, form, area)):
        return done
    return render(request, "areas/area_form.html", {"form": form, "area": area})


@authed(reach=roles.can_manage_areas)
def area_import(request: AuthedRequest) -> HttpResponse:
    require(can_manage_areas, request.user)
    form = AreaImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="strict") if _is_gb(raw) else ""
        try:
            result = services.import_areas_csv(by=request.user, text=text)
        except ValidationError as problem:
            messages.error(
                request,
                _("导入失败，未写入任何数据：%(why)s")
                % {"why": "；".join(problem.messages)},
            )
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 个，更新 %(u)d 个。")
                % {"c": result.created, "u": result.updated},
            )
    return redirect("areas:area_list")


def _is_gb(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True
