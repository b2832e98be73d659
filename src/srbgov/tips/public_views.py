"""The public tip-off pages under /report/: no account, no cookie, no address kept.

- No session: nothing here reads or writes one, so no session cookie is ever set.
- No CSRF cookie: Django's is a year-long random identifier that would link a reporter's
  visits (filing, then each follow-up). These forms are exempt from it and carry instead
  a server-signed proof-of-work challenge (pow.py) that is not tied to anyone. A forged
  cross-site submission gains nothing here: the forms act for nobody, and the receipt
  code a follow-up needs is not in any cookie either.
- The receipt code travels only in POST bodies, never in a URL (URLs end up in history,
  logs and Referer headers).
- AuditContextMiddleware skips /report/, and tips/logs.py drops the request from Django's
  request log records, so the client address and user agent are written nowhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import add_service_errors
from srbgov.tips import pow, receipt, services
from srbgov.tips.forms import POW_FAILED, FollowUpForm, ReplyForm, ReportForm
from srbgov.tips.models import RewardStatus, Tip, TipStatus

CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
FOLLOW_UP_SECONDS = 0.3
NOTHING_TO_SHOW = gettext_lazy(
    "没有可以显示的内容。请核对回执码（20位字母和数字）后重试；如仍不能查看，请稍后再试。"
)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["Content-Security-Policy"] = CSP
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return csrf_exempt(wrapper)


def steady(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer no sooner than TIPS_FOLLOW_UP_SECONDS after the request arrived, so that a
    right code (a counter update, a longer page) and a wrong one (neither) take the same
    time from outside."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        floor = float(getattr(settings, "TIPS_FOLLOW_UP_SECONDS", FOLLOW_UP_SECONDS))
        started = time.monotonic()
        response = view(request, *args, **kwargs)
        remaining = floor - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        return response

    return wrapper


def _counties() -> list[Area]:
    return list(Area.objects.filter(level=AreaLevel.COUNTY))


def _county(request: HttpRequest) -> Area:
    counties = _counties()
    code = request.GET.get("county", "")
    chosen = next((c for c in counties if c.code == code), None)
    if chosen is None and not counties:
        raise Http404
    return chosen or counties[0]


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    county = _county(request)
    return render(
        request,
        "tips/public/start.html",
        {"county": county, "policy": services.policy_for(county)},
    )


@public
def new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    busy = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.submit_tip(
                county=data["county"],
                category=data["category"],
                description=data["description"],
                place_area=data["place_area"],
                place_text=data["place_text"],
                occurred_on=data["occurred_on"],
                occurred_text=data["occurred_text"],
                contact=data["contact"],
                name=data["name"],
                wants_reward=data["wants_reward"],
                files=data["evidence"],
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
            # Too many uploads at once: a 503 with Retry-After tells scripts to back
            # off; the page says the same in words.
            busy = getattr(problem, "code", None) == "busy"
        else:
            return render(
                request,
                "tips/public/receipt.html",
                {
                    "code": receipt.grouped(filed.code),
                    "policy": services.policy_for(filed.tip.county),
                    "tip": filed.tip,
                },
            )
    response = render(
        request,
        "tips/public/new.html",
        {
            "form": form,
            "challenge": pow.issue(ReportForm.purpose),
            "bits": pow.difficulty(),
            "upload_bits": pow.upload_difficulty(),
        },
        status=503 if busy else 200,
    )
    if busy:
        response["Retry-After"] = "60"
    return response


def _lookup_page(
    request: HttpRequest,
    form: FollowUpForm | None = None,
    *,
    missed: bool,
    pow_failed: bool = False,
) -> HttpResponse:
    return render(
        request,
        "tips/public/follow_up.html",
        {
            "form": form or FollowUpForm(),
            "missed": missed,
            "pow_failed": POW_FAILED if pow_failed else "",
            "nothing": NOTHING_TO_SHOW,
            "challenge": pow.issue(FollowUpForm.purpose),
            "bits": pow.difficulty(),
        },
    )


def _status_page(
    request: HttpRequest,
    tip: Tip,
    code: str,
    reply: ReplyForm | None = None,
    *,
    replied: bool = False,
) -> HttpResponse:
    reward = getattr(tip, "reward", None)
    return render(
        request,
        "tips/public/status.html",
        {
            "tip": tip,
            "code": receipt.grouped(receipt.normalize(code)),
            "messages_": list(tip.messages.all()),
            "reward": reward,
            "reward_known": reward is not None
            and reward.status in (RewardStatus.APPROVED, RewardStatus.PAID),
            "policy": services.policy_for(tip.county),
            "reply": reply or ReplyForm(initial={"code": code}),
            "can_reply": tip.status != TipStatus.CLOSED,
            "challenge": pow.issue(ReplyForm.purpose),
            "bits": pow.difficulty(),
            "replied": replied,
        },
    )


@public
@steady
def follow_up(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _lookup_page(request, form, missed=False)
    tip = services.find_by_receipt(form.cleaned_data["code"])
    if tip is None:
        return _lookup_page(request, FollowUpForm(), missed=True)
    return _status_page(request, tip, form.cleaned_data["code"])


@public
@require_POST
@steady
def reply(request: HttpRequest) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        code = request.POST.get("code", "")
        if "code" in form.errors or not receipt.normalize(code):
            return _lookup_page(request, missed=True)
        if form.has_error(NON_FIELD_ERRORS, "pow"):
            # No look-up without the work: otherwise this page would test receipt
            # codes for free, at the speed of the network.
            return _lookup_page(request, missed=False, pow_failed=True)
        # An empty or too long answer: show the page again (it costs a look-up,
        # counted like any other).
        tip = services.find_by_receipt(code)
        if tip is None:
            return _lookup_page(request, FollowUpForm(), missed=True)
        return _status_page(request, tip, code, form)
    code = form.cleaned_data["code"]
    tip = services.find_by_receipt(code)
    if tip is None:
        return _lookup_page(request, FollowUpForm(), missed=True)
    try:
        services.reporter_reply(tip=tip, body=form.cleaned_data["body"])
    except ValidationError as problem:
        add_service_errors(form, problem)
        return _status_page(request, tip, code, form)
    return _status_page(request, tip, code, replied=True)


def report_url(request: HttpRequest, county: Area) -> str:
    base = getattr(settings, "TIPS_PUBLIC_URL", "") or request.build_absolute_uri(
        reverse("report:start")
    )
    many = Area.objects.filter(level=AreaLevel.COUNTY).count() > 1
    return f"{base}?county={county.code}" if many else base


@public
@require_GET
def poster(request: HttpRequest) -> HttpResponse:
    """A printable A4 poster (举报公告) with the QR code of the report page, drawn on the
    server as inline SVG (segno): no image service, no script."""
    county = _county(request)
    url = report_url(request, county)
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=8, border=2, title=_("举报网址二维码"))
    return render(
        request,
        "tips/public/poster.html",
        {
            "county": county,
            "policy": services.policy_for(county),
            "url": url,
            "qr_svg": mark_safe(svg),  # noqa: S308  (our own SVG of our own URL)
        },
    )
