"""Staff pages for tip-offs: the tip officer's triage, the township's view of assigned
tips, rewards (four eyes) and statistics without identities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.accounts.roles import (
    can_decide_tip_rewards,
    can_decrypt_tipster,
    can_edit_tip_policy,
    can_handle_tips,
)
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate
from srbgov.files.serve import file_response
from srbgov.reports.exports import send_workbook
from srbgov.tips import services, uploads
from srbgov.tips.access import (
    get_attachment_for_user,
    get_reward_for_user,
    get_tip_for_user,
    rewards_for_user,
    tips_for_user,
)
from srbgov.tips.exports import REWARDS, TIPS, stats_workbook
from srbgov.tips.forms import (
    AssignForm,
    DecideForm,
    LinkCaseForm,
    OpenCaseForm,
    PaymentForm,
    QuestionForm,
    RevealForm,
    RewardDecisionForm,
    RewardProposalForm,
    StatsForm,
    TipFilterForm,
    TipPolicyForm,
)
from srbgov.tips.models import RewardStatus, Tip
from srbgov.tips.queries import awaiting_reply, tip_stats


def _filtered(request: AuthedRequest) -> tuple[TipFilterForm, Any]:
    tips = tips_for_user(request.user).select_related("township", "place_area")
    form = TipFilterForm(request.GET or None, scope=request.user.scope)
    if form.is_valid():
        d = form.cleaned_data
        for field in ("status", "category", "township"):
            if d[field]:
                tips = tips.filter(**{field: d[field]})
        if d["awaiting_reply"]:
            tips = awaiting_reply(tips)
    return form, tips


@authed(reach=roles.can_read_tips)
def tip_list(request: AuthedRequest) -> HttpResponse:
    form, tips = _filtered(request)
    page, query = paginate(request, tips)
    return render(
        request,
        "tips/tip_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": TIPS.page(page.object_list),
        },
    )


@authed(reach=roles.can_read_tips)
def tip_export(request: AuthedRequest) -> HttpResponse:
    """The list as .xlsx: what, where, when, status; never contact or identity."""
    _form, tips = _filtered(request)
    return TIPS.response(request, tips)


def _detail(request: AuthedRequest, tip: Tip, **bound: forms.Form) -> HttpResponse:
    user = request.user
    handler = can_handle_tips(user)
    reward = getattr(tip, "reward", None)
    context: dict[str, Any] = {
        "tip": tip,
        "attachments": list(tip.attachments.select_related("message")),
        "reward": reward,
        "handler": handler,
        "can_reveal": can_decrypt_tipster(user),
        "can_decide_reward": can_decide_tip_rewards(user)
        and reward is not None
        and reward.status == RewardStatus.PROPOSED
        and reward.proposed_by_id != user.pk,
        "policy": services.policy_for(tip.county),
    }
    if handler:
        # The conversation stays with the tip officer: answers may identify the reporter.
        context["messages_"] = list(tip.messages.select_related("author"))
        context["assign_form"] = bound.get("assign") or AssignForm(
            county=tip.county, initial={"township": tip.township_id}
        )
        context["decide_form"] = bound.get("decide") or DecideForm()
        context["link_form"] = bound.get("link") or LinkCaseForm(
            cases=services.cases_to_link(tip)
        )
        context["open_case_form"] = bound.get("open_case") or OpenCaseForm(
            county=tip.county,
            initial={
                "township": tip.township_id,
                "title": tip.get_category_display(),
            },
        )
        context["question_form"] = bound.get("question") or QuestionForm()
        context["proposal_form"] = bound.get("proposal") or RewardProposalForm()
        context["payment_form"] = bound.get("payment") or PaymentForm(
            initial={"paid_on": timezone.localdate()}
        )
    context["decision_form"] = bound.get("decision") or RewardDecisionForm()
    return render(request, "tips/tip_detail.html", context)


@authed(reach=roles.can_read_tips)
def tip_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, get_tip_for_user(request.user, pk))


def _handled(request: AuthedRequest, pk: int) -> Tip:
    require(can_handle_tips, request.user)
    return get_tip_for_user(request.user, pk, log_read=False)


def _apply(
    request: AuthedRequest, tip: Tip, name: str, form: forms.Form, action: Any
) -> HttpResponse:
    """Validate, call one service, and redirect; or show the page with the errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("已保存。"))
            return redirect("tips:tip_detail", pk=tip.pk)
    # Some forms are shown only in some states: say what went wrong at the top too.
    problems = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, _("未保存：") + "；".join(problems))
    return _detail(request, tip, **{name: form})


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    form = AssignForm(request.POST, county=tip.county)
    return _apply(
        request,
        tip,
        "assign",
        form,
        lambda d: services.assign_township(
            by=request.user, tip=tip, township=d["township"]
        ),
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_link_case(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    return _apply(
        request,
        tip,
        "link",
        LinkCaseForm(request.POST, cases=services.cases_to_link(tip)),
        lambda d: services.link_case(by=request.user, tip=tip, case=d["case"]),
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_open_case(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    return _apply(
        request,
        tip,
        "open_case",
        OpenCaseForm(request.POST, county=tip.county),
        lambda d: services.open_case_from_tip(by=request.user, tip=tip, **d),
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    return _apply(
        request,
        tip,
        "decide",
        DecideForm(request.POST),
        lambda d: services.decide(
            by=request.user, tip=tip, verified=d["verified"], reason=d["reason"]
        ),
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_close(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    try:
        services.close_tip(by=request.user, tip=tip)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("tips:tip_detail", pk=tip.pk)


@authed(reach=roles.can_handle_tips)
@require_POST
def tip_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    return _apply(
        request,
        tip,
        "question",
        QuestionForm(request.POST),
        lambda d: services.ask_reporter(by=request.user, tip=tip, body=d["body"]),
    )


@authed(reach=roles.can_decrypt_tipster)
def tip_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """Decrypt the reporter's contact: asks for a reason, logs it, shows it once."""
    require(can_decrypt_tipster, request.user)
    tip = get_tip_for_user(request.user, pk, log_read=False)
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.reveal_contact(
                by=request.user, tip=tip, reason=form.cleaned_data["reason"]
            )
        except ValidationError as problem:
            form.add_error("reason", problem.messages)
    response = render(
        request,
        "tips/tip_reveal.html",
        {"tip": tip, "form": form, "revealed": revealed},
    )
    response["Cache-Control"] = "no-store"
    return response


@authed(reach=roles.can_read_tips)
def attachment(request: AuthedRequest, tip_pk: int, pk: int) -> HttpResponse:
    item = get_attachment_for_user(request.user, tip_pk, pk)
    return file_response(
        uploads.relative(item.stored_name),
        content_type=item.content_type,
        filename=item.display_name,
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def reward_propose(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    return _apply(
        request,
        tip,
        "proposal",
        RewardProposalForm(request.POST),
        lambda d: services.propose_reward(
            by=request.user,
            tip=tip,
            kind=d["kind"],
            amount=d["amount"],
            reason=d["reason"],
        ),
    )


@authed(reach=roles.can_decide_tip_rewards)
@require_POST
def reward_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    reward = get_reward_for_user(request.user, pk)
    tip = get_tip_for_user(request.user, reward.tip_id, log_read=False)
    return _apply(
        request,
        tip,
        "decision",
        RewardDecisionForm(request.POST),
        lambda d: services.decide_reward(
            by=request.user, reward=reward, approve=d["approve"], note=d["note"]
        ),
    )


@authed(reach=roles.can_handle_tips)
@require_POST
def reward_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_handle_tips, request.user)
    reward = get_reward_for_user(request.user, pk)
    tip = get_tip_for_user(request.user, reward.tip_id, log_read=False)
    return _apply(
        request,
        tip,
        "payment",
        PaymentForm(request.POST),
        lambda d: services.pay_reward(
            by=request.user,
            reward=reward,
            paid_on=d["paid_on"],
            method=d["method"],
            receipt_code=d["receipt_code"],
            signer_name=d["signer_name"],
            note=d["note"],
        ),
    )


def _rewards(request: AuthedRequest) -> Any:
    rewards = rewards_for_user(request.user).select_related(
        "tip", "proposed_by", "decided_by"
    )
    status = request.GET.get("status", "")
    if status in RewardStatus.values:
        rewards = rewards.filter(status=status)
    return rewards


@authed(reach=roles.can_decide_tip_rewards)
def reward_list(request: AuthedRequest) -> HttpResponse:
    rewards = _rewards(request)
    page, query = paginate(request, rewards)
    return render(
        request,
        "tips/reward_list.html",
        {
            "page": page,
            "query": query,
            "table": REWARDS.page(page.object_list),
            "statuses": RewardStatus.choices,
            "status": request.GET.get("status", ""),
        },
    )


@authed(reach=roles.can_decide_tip_rewards)
def reward_export(request: AuthedRequest) -> HttpResponse:
    return REWARDS.response(request, _rewards(request))


def _stats(request: AuthedRequest) -> tuple[StatsForm, Any]:
    tips = tips_for_user(request.user)
    form = StatsForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    rewards = (
        rewards_for_user(request.user) if can_decide_tip_rewards(request.user) else None
    )
    return form, tip_stats(tips, rewards, request.user.scope, year)


@authed(reach=roles.can_read_tips)
def stats(request: AuthedRequest) -> HttpResponse:
    form, figures = _stats(request)
    tables = [
        (_("按举报事项"), figures.by_category),
        (_("按乡镇"), figures.by_township),
        (_("按月份"), figures.by_month),
    ]
    return render(
        request,
        "tips/stats.html",
        {"form": form, "stats": figures, "tables": tables},
    )


@authed(reach=roles.can_read_tips)
def stats_export(request: AuthedRequest) -> HttpResponse:
    _form, figures = _stats(request)
    return send_workbook(
        request,
        content=stats_workbook(figures),
        filename=_("举报统计"),
        object_type="tips.tip",
        detail={"year": figures.year},
    )


@authed(reach=can_edit_tip_policy)
def policy_edit(request: AuthedRequest) -> HttpResponse:
    """The county's reward policy (有奖举报政策), edited by its administrator; every
    save is audited with the values before and after."""
    require(can_edit_tip_policy, request.user)
    county = request.user.scope
    if county.parent_id is not None:
        raise Http404
    policy = services.policy_for(county)
    form = TipPolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.TIP_POLICY_FIELDS}
        try:
            services.save_policy(by=request.user, county=county, values=values)
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(request, _("有奖举报政策已保存。"))
            return redirect("tips:policy")
    return render(request, "tips/policy_form.html", {"form": form, "county": county})
