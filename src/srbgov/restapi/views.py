"""The pages where API tokens are issued and revoked (docs/api.md, "Tokens")."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.providers.access import kept_facilities_for_user
from srbgov.restapi import access, tokens
from srbgov.restapi.exports import TOKENS
from srbgov.restapi.forms import ClientForm, TokenFilterForm, TokenForm


def docs_policy(view: Any) -> Any:
    """The documentation page's own policy: the site's, except that Swagger UI may add
    `<style>` elements (it draws its layout so). Styles cannot run script; scripts
    stay `'self'` only, so the page still runs nothing but our static files."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = (
            settings.SRBGOV_CONTENT_SECURITY_POLICY.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'", 1
            )
        )
        return response

    return wrapped


def _filtered(request: AuthedRequest) -> tuple[TokenFilterForm, Any]:
    form = TokenFilterForm(request.GET or None)
    rows = access.tokens_for_user(request.user).select_related("facility")
    if form.is_valid() and (state := form.cleaned_data["state"]):
        rows = rows.filter(revoked_at__isnull=state == "live")
    return form, rows


@authed(reach=roles.can_issue_api_tokens)
def token_list(request: AuthedRequest) -> HttpResponse:
    form, rows = _filtered(request)
    page, query = paginate(request, rows)
    return render(
        request,
        "restapi/token_list.html",
        {"form": form, "page": page, "query": query, "personal": TokenForm()},
    )


@authed(reach=roles.can_issue_api_tokens)
def token_export(request: AuthedRequest) -> HttpResponse:
    _form, rows = _filtered(request)
    return TOKENS.response(request, rows)


def _issued(request: AuthedRequest, issued: tuple[Any, str]) -> HttpResponse:
    # Rendered, never redirected: the token exists only in this one response.
    token, key = issued
    response = render(
        request, "restapi/token_issued.html", {"token": token, "key": key}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@authed(reach=roles.can_issue_api_tokens)
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    issued = run_service(
        form, lambda d: tokens.issue_personal_token(by=request.user, name=d["name"])
    )
    if issued is None:
        messages.error(
            request, " ".join(str(m) for e in form.errors.values() for m in e)
        )
        return redirect("restapi:token_list")
    return _issued(request, issued)


@authed(reach=roles.can_issue_api_tokens)
def client_create(request: AuthedRequest) -> HttpResponse:
    facilities = kept_facilities_for_user(request.user).exclude(kind="pharmacy")
    form = ClientForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and (
        issued := run_service(
            form, lambda d: tokens.issue_facility_client(by=request.user, **d)
        )
    ):
        return _issued(request, issued)
    return render_form(
        request,
        form,
        title=_("签发机构接口令牌"),
        cancel_url=reverse("restapi:token_list"),
        intro=_(
            "机构的信息系统用此令牌推送分娩和终止妊娠登记、读取本机构的记录，"
            "权限与该机构的登记员相同。令牌只显示一次，请立即交给机构的系统管理员。"
        ),
    )


@require_POST
@authed(reach=roles.can_issue_api_tokens)
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = access.get_token_for_user(request.user, pk, log_read=False)
    try:
        tokens.revoke_token(by=request.user, token=token)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, _("令牌已撤销，使用它的请求将被拒绝。"))
    return redirect("restapi:token_list")
