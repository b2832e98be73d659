"""Staff pages for tip-offs: the tip officer's triage, the township's view of assigned
tips, rewards (four eyes) and statistics without identities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts.roles import (
    can_decide_tip_rewards,
    can_decrypt_tipster,
    can_handle_tips,
)
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate
from srbgov.files.serve import file_response
from srbgov.reports.xlsx import rows_to_xlsx, xlsx_response
from srbgov.tips import services, uploads
from srbgov.tips.access import (
    get_attachment_for_user,
    get_reward_for_user,
    get_tip_for_user,
    rewards_for_user,
    tips_for_user,
)
from srbgov.tips.exports import stats_workbook
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
)
from srbgov.tips.models import RewardStatus, Tip
from srbgov.tips.queries import tip_stats


def _filtered(request: AuthedRequest) -> tuple[TipFilterForm, Any]:
    tips = tips_for_user(request.user).select_related("township", "place_area")
    form = TipFilterForm(request.GET or None, scope=request.user.scope)
    if form.is_valid():
        d = form.cleaned_data
        for field in ("status", "category", "township"):
            if d[field]:
                tips = tips.filter(**{field: d[field]})
    return form, tips


@authed
def tip_list(request: AuthedRequest) -> HttpResponse:
    form, tips = _filtered(request)
    page, query = paginate(request, tips)
    return render(
        request,
        "tips/tip_list.html",
        {"form": form, "page": page, "query": query},
    )


@authed
def tip_export(request: AuthedRequest) -> HttpResponse:
    """The list as .xlsx: what, where, when, status; never contact or identity."""
    _form, tips = _filtered(request)
    rows = [
        (
            t.reference,
            t.received_on,
            t.get_category_display(),
            t.place_area.name if t.place_area else "",
            t.township.name if t.township else "",
            t.get_status_display(),
            t.decided_on,
        )
        for t in tips.iterator(chunk_size=1000)
    ]
    headers = [
        _("编号"),
        _("受理日期"),
        _("举报事项"),
        _("发生地"),
        _("承办乡镇"),
        _("状态"),
        _("核查结论日期"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="tips.tip",
        object_repr=_("举报线索"),
        detail={"rows": len(rows), "filters": request.GET.dict()},
    )
    content = rows_to_xlsx(title=_("举报线索"), headers=headers, rows=rows)
    return xlsx_response(content, _("举报线索"))


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


@authed
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


@authed
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


@authed
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


@authed
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


@authed
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


@authed
@require_POST
def tip_close(request: AuthedRequest, pk: int) -> HttpResponse:
    tip = _handled(request, pk)
    try:
        services.close_tip(by=request.user, tip=tip)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("tips:tip_detail", pk=tip.pk)


@authed
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


@authed
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


@authed
def attachment(request: AuthedRequest, tip_pk: int, pk: int) -> HttpResponse:
    item = get_attachment_for_user(request.user, tip_pk, pk)
    return file_response(
        uploads.relative(item.stored_name),
        content_type=item.content_type,
        filename=item.display_name,
    )


@authed
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


@authed
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


@authed
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


@authed
def reward_list(request: AuthedRequest) -> HttpResponse:
    rewards = _rewards(request)
    page, query = paginate(request, rewards)
    return render(
        request,
        "tips/reward_list.html",
        {
            "page": page,
            "query": query,
            "statuses": RewardStatus.choices,
            "status": request.GET.get("status", ""),
        },
    )


@authed
def reward_export(request: AuthedRequest) -> HttpResponse:
    rewards = _rewards(request)
    rows = [
        (
            r.tip.reference,
            r.get_kind_display(),
            r.amount,
            r.get_status_display(),
            r.proposed_by.username,
            r.proposed_on,
            r.decided_by.username if r.decided_by else "",
            r.decided_on,
            r.paid_on,
            r.get_paid_method_display() if r.paid_method else "",
            _("回执码") if r.signed_by_code else (_("具名") if r.paid_on else ""),
        )
        for r in rewards
    ]
    headers = [
        _("举报编号"),
        _("奖励类别"),
        _("金额（元）"),
        _("状态"),
        _("提出人"),
        _("提出日期"),
        _("审批人"),
        _("审批日期"),
        _("发放日期"),
        _("发放方式"),
        _("签收方式"),
    ]
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="tips.reward",
        object_repr=_("举报奖励"),
        detail={"rows": len(rows)},
    )
    content = rows_to_xlsx(title=_("举报奖励"), headers=headers, rows=rows)
    return xlsx_response(content, _("举报奖励"))


def _stats(request: AuthedRequest) -> tuple[StatsForm, Any]:
    tips = tips_for_user(request.user)
    form = StatsForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    rewards = (
        rewards_for_user(request.user) if can_decide_tip_rewards(request.user) else None
    )
    return form, tip_stats(tips, rewards, request.user.scope, year)


@authed
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


@authed
def stats_export(request: AuthedRequest) -> HttpResponse:
    _form, figures = _stats(request)
    record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="tips.tip",
        object_repr=_("举报统计"),
        detail={"year": figures.year},
    )
    return xlsx_response(stats_workbook(figures), _("举报统计"))
