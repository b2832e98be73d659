"""考核: scorecards with drill-down, indicators, vetoes and rectification (docs/assessment.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment import access, exports, services
from srbgov.assessment.forms import (
    ExplainForm,
    IndicatorForm,
    OpenRectificationsForm,
    PeriodForm,
    ReviewForm,
    VetoForm,
)
from srbgov.assessment.indicators import REGISTRY, Period
from srbgov.assessment.models import Level
from srbgov.assessment.scorecard import (
    Scorecard,
    build_scorecard,
    county_of,
    figure_text,
    indicators_for,
    target_text,
)
from srbgov.core.forms import flash_outcome, render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.providers.services import priority_village_ids
from srbgov.reports.exports import Table, send_table


def _scorecard(request: AuthedRequest) -> tuple[Scorecard, PeriodForm]:
    """The scorecard the query string asks for, within the user's area."""
    area = (
        access.get_area_for_user(request.user, request.GET["area"])
        if request.GET.get("area")
        else access.areas_for_user(request.user).get(pk=request.user.scope.pk)
    )
    form = PeriodForm(request.GET or None)
    default = Level.TOWNSHIP if area.level == AreaLevel.COUNTY else Level.VILLAGE
    year, month, level = form.period_values(default_level=default)
    if area.level == AreaLevel.VILLAGE:
        level = Level.VILLAGE
    return build_scorecard(area=area, level=level, period=Period.of(year, month)), form


def priority_ids(card: Scorecard) -> set[int]:
    """The priority villages (重点村, docs/registers.md §7) on the period's last day,
    or today if that is sooner: the scorecard marks them, it does not score them."""
    on = min(card.period.end, timezone.localdate())
    return priority_village_ids(area=card.area, on=on)


def scorecard_table(card: Scorecard) -> Table:
    headers = [_("单位"), _("乡镇")]
    for indicator in card.indicators:
        headers += [
            f"{indicator.name}",
            _("%(name)s得分") % {"name": indicator.name},
        ]
    headers += [_("得分"), _("满分"), _("得分率"), _("一票否决"), _("排名")]
    headers.append(_("重点村"))
    priority = priority_ids(card)
    rows: list[list[Any]] = []
    for row in card.rows:
        cells: list[Any] = [row.unit.name, row.township]
        by_kind = {c.indicator.kind: c for c in row.cells}
        for indicator in card.indicators:
            cell = by_kind.get(indicator.kind)
            cells += [cell.text, cell.figure.score] if cell else ["", ""]
        cells += [
            row.total.score,
            row.total.possible,
            f"{row.total.percent}%" if row.total.percent is not None else "",
            "；".join(v.get_kind_display() for v in row.vetoes),
            row.rank or "",
        ]
        cells.append(_("是") if row.unit.pk in priority else "")
        rows.append(cells)
    return Table(headers=[str(h) for h in headers], rows=rows)


@authed(reach=access.can_see_assessment)
def scorecard(request: AuthedRequest) -> HttpResponse:
    card, form = _scorecard(request)
    return render(
        request,
        "assessment/scorecard.html",
        {
            "card": card,
            "form": form,
            "query": request.GET.urlencode(),
            "targets": {i.kind: i for i in card.indicators},
            "may_open": access.can_review_assessment(request.user)
            and card.area.level != AreaLevel.VILLAGE,
            "open_form": OpenRectificationsForm(),
            "priority": priority_ids(card),
        },
    )


@authed(reach=access.can_see_assessment)
def scorecard_export(request: AuthedRequest) -> HttpResponse:
    card, _form = _scorecard(request)
    return send_table(
        request,
        title=_("考核评分表"),
        filename=_("考核评分表-%(area)s-%(period)s")
        % {"area": card.area.name, "period": card.period.label},
        object_type="assessment.scorecard",
        table=scorecard_table(card),
        notes=[card.srb_note] if card.srb_note else [],
    )


@authed(reach=access.can_see_assessment)
def indicator_records(request: AuthedRequest) -> HttpResponse:
    """The drill-down: the records behind one unit's figure, each counted or not."""
    unit = (
        access.get_area_for_user(request.user, request.GET["area"])
        if request.GET.get("area")
        else request.user.scope
    )
    kind = REGISTRY.get(request.GET.get("kind", "on_time_registration"))
    if kind is None or kind.records is None:
        raise Http404
    form = PeriodForm(request.GET)
    year, month, _level = form.period_values(default_level=Level.VILLAGE)
    period = Period.of(year, month)
    level = Level.VILLAGE if unit.level == AreaLevel.VILLAGE else Level.TOWNSHIP
    card = build_scorecard(area=unit, level=level, period=period)
    cell = next(
        (c for r in card.rows for c in r.cells if c.indicator.kind == kind.key), None
    )
    rows = kind.records(request.user, unit, period)
    return render(
        request,
        "assessment/indicator_records.html",
        {
            "unit": unit,
            "kind": kind,
            "period": period,
            "cell": cell,
            "target": target_text(cell.figure) if cell else "",
            "figure": figure_text(cell.figure) if cell else "",
            "rows": rows,
        },
    )


# --- indicators (the county officer) -----------------------------------------------------


@authed(reach=access.can_define_indicators)
def indicator_list(request: AuthedRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    year, _month, _level = form.period_values(default_level=Level.VILLAGE)
    county = county_of(request.user.scope)
    saved = access.indicators_for_user(request.user).filter(year=year)
    levels = [
        (label, value, indicators_for(county=county, year=year, level=value))
        for value, label in Level.choices
    ]
    return render(
        request,
        "assessment/indicator_list.html",
        {
            "year": year,
            "levels": levels,
            "saved_levels": set(saved.values_list("level", flat=True)),
            "kinds": REGISTRY,
        },
    )


@require_POST
@authed(reach=access.can_define_indicators)
def indicator_adopt(request: AuthedRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    year, _month, level = form.period_values(default_level=Level.VILLAGE)
    county = county_of(request.user.scope)
    access.indicators_for_user(request.user)
    with flash_outcome(request, done=_("已按默认指标建立，可逐项修改。")):
        services.adopt_default_indicators(
            by=request.user, county=county, year=year, level=level
        )
    return redirect(f"{reverse('assessment:indicator_list')}?year={year}")


@authed(reach=access.can_define_indicators)
def indicator_create(request: AuthedRequest) -> HttpResponse:
    access.indicators_for_user(request.user)
    county = county_of(request.user.scope)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and (
        item := run_service(
            form, lambda d: services.save_indicator(by=request.user, county=county, **d)
        )
    ):
        return redirect(f"{reverse('assessment:indicator_list')}?year={item.year}")
    return render_form(
        request,
        form,
        title=_("新增考核指标"),
        cancel_url=reverse("assessment:indicator_list"),
    )


@authed(reach=access.can_define_indicators)
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_indicator_for_user(request.user, pk)
    initial = {
        f: getattr(item, f)
        for f in (
            "year",
            "level",
            "kind",
            "name",
            "target",
            "weight",
            "rule",
            "position",
        )
    }
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_indicator(
            by=request.user, county=item.county, indicator=item, **d
        ),
    ):
        return redirect(f"{reverse('assessment:indicator_list')}?year={item.year}")
    return render_form(
        request,
        form,
        title=_("修改考核指标"),
        cancel_url=reverse("assessment:indicator_list"),
    )


# --- vetoes ------------------------------------------------------------------------------


@authed(reach=access.can_see_assessment)
def veto_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, access.vetoes_for_user(request.user))
    return render(
        request,
        "assessment/veto_list.html",
        {
            "page": page,
            "query": query,
            "may_record": access.can_review_assessment(request.user),
        },
    )


@authed(reach=access.can_see_assessment)
def veto_export(request: AuthedRequest) -> HttpResponse:
    return exports.VETOES.response(request, access.vetoes_for_user(request.user))


@authed(reach=access.can_review_assessment)
def veto_create(request: AuthedRequest) -> HttpResponse:
    form = VetoForm(request.POST or None)

    def save(d: dict[str, Any]) -> object:
        village = (
            access.areas_for_user(request.user)
            .filter(code=d["village_code"], level=AreaLevel.VILLAGE)
            .first()
        )
        if village is None:
            raise ValidationError({"village_code": _("本辖区内没有这个村。")})
        return services.record_veto(
            by=request.user,
            village=village,
            kind=d["kind"],
            confirmed_on=d["confirmed_on"],
            description=d["description"],
            case_number=d["case_number"],
        )

    if request.method == "POST" and run_service(form, save):
        return redirect("assessment:veto_list")
    return render_form(
        request,
        form,
        title=_("登记一票否决事项"),
        cancel_url=reverse("assessment:veto_list"),
        intro=_(
            "查实的非医学需要胎儿性别鉴定、选择性别终止妊娠、遗弃或溺杀女婴，取消该村当年考核资格。"
        ),
    )


# --- rectification -----------------------------------------------------------------------


@authed(reach=access.can_see_assessment)
def rectification_list(request: AuthedRequest) -> HttpResponse:
    tasks = access.rectifications_for_user(request.user)
    page, query = paginate(request, tasks)
    return render(
        request,
        "assessment/rectification_list.html",
        {
            "page": page,
            "query": query,
            "overdue": tasks.overdue(on=timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@authed(reach=access.can_see_assessment)
def rectification_export(request: AuthedRequest) -> HttpResponse:
    return exports.RECTIFICATIONS.response(
        request, access.rectifications_for_user(request.user)
    )


@require_POST
@authed(reach=access.can_review_assessment)
def rectification_open(request: AuthedRequest) -> HttpResponse:
    card, _form = _scorecard(request)
    if card.area.level == AreaLevel.VILLAGE:
        raise Http404
    form = OpenRectificationsForm(request.POST)
    if form.is_valid():
        try:
            opened = services.open_rectifications(
                by=request.user, scorecard=card, deadline=form.cleaned_data["deadline"]
            )
            messages.success(
                request, _("已下发整改任务 %(n)s 个。") % {"n": len(opened)}
            )
        except ValidationError as problem:
            messages.error(request, "；".join(problem.messages))
    else:
        messages.error(request, _("请填写整改期限。"))
    return redirect("assessment:rectification_list")


@authed(reach=access.can_see_assessment)
def rectification_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access.get_rectification_for_user(request.user, pk)
    explain = ExplainForm(
        initial={"explanation": task.explanation, "measures": task.measures}
    )
    return render(
        request,
        "assessment/rectification_detail.html",
        {
            "task": task,
            "explain_form": explain if access.may_explain(request.user, task) else None,
            "review_form": ReviewForm()
            if access.may_review(request.user, task)
            else None,
        },
    )


@require_POST
@authed(reach=access.can_see_assessment)
def rectification_explain(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access.get_rectification_for_user(request.user, pk, log_read=False)
    if not access.may_explain(request.user, task):
        # In the user's area, but the unit's own to explain: say so, do nothing.
        messages.error(request, _("整改说明由被考核单位填写。"))
        return redirect("assessment:rectification_detail", pk=task.pk)
    form = ExplainForm(request.POST)
    if run_service(
        form,
        lambda d: services.explain_rectification(by=request.user, task=task, **d),
    ):
        messages.success(request, _("整改说明已提交，等待审核。"))
    else:
        messages.error(request, "；".join(str(e) for e in form.errors.values()))
    return redirect("assessment:rectification_detail", pk=task.pk)


@require_POST
@authed(reach=access.can_review_assessment)
def rectification_review(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access.get_rectification_for_user(request.user, pk, log_read=False)
    if not access.may_review(request.user, task):
        messages.error(request, _("整改说明由上一级审核。"))
        return redirect("assessment:rectification_detail", pk=task.pk)
    form = ReviewForm(request.POST)
    if run_service(
        form, lambda d: services.review_rectification(by=request.user, task=task, **d)
    ):
        messages.success(request, _("已审核。"))
    else:
        messages.error(request, "；".join(str(e) for e in form.errors.values()))
    return redirect("assessment:rectification_detail", pk=task.pk)


def unit_url(unit: Area) -> str:
    return f"{reverse('assessment:scorecard')}?area={unit.pk}"
