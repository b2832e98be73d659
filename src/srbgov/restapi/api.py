"""The REST API's endpoints (docs/api.md): one class per URL, each a `ScopedAPIView`
(srbgov/api.py) naming its model, its role predicate and, through
`scoped_queryset`, the same access declaration its page uses. So a token or a user
reaches here exactly the rows the pages would show them, and an id outside answers
404, for missing and forbidden alike.

Reads of personal records are audited like pages: one entry per list page (the ids it
returned) and one per record opened (by the scope getter). Pushes go through the
pages' forms and services (srbgov/restapi/inputs.py), audited there.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from srbgov.accounts import roles
from srbgov.alerts.access import alerts_for_user
from srbgov.alerts.models import Alert
from srbgov.api import ScopedAPIView
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.people.access import women_for_user
from srbgov.people.models import Woman
from srbgov.pregnancies.access import pregnancies_for_user
from srbgov.pregnancies.models import Pregnancy
from srbgov.providers import access as providers_access
from srbgov.providers import services as providers
from srbgov.providers.delivery_forms import FORM_CHILDREN, DeliveryForm
from srbgov.providers.exam_forms import ExamForm
from srbgov.providers.forms import TerminationForm
from srbgov.providers.models import (
    DeliverySource,
    ExamSource,
    Facility,
    FacilityDelivery,
    GeneticTest,
    TerminationRecord,
    TestResult,
    UltrasoundExam,
)
from srbgov.providers.prenatal_forms import GeneticTestForm, ResultFields
from srbgov.providers.services import ChildData
from srbgov.restapi import idempotency
from srbgov.restapi.errors import invalid
from srbgov.restapi.inputs import input_serializer, submit
from srbgov.restapi.models import ApiToken
from srbgov.restapi.serializers import (
    AlertOut,
    ChildIn,
    DeliveryOut,
    ErrorOut,
    ExamOut,
    FacilityOut,
    GeneticTestOut,
    MeOut,
    PageQuery,
    PregnancyOut,
    SinceQuery,
    TerminationOut,
    WomanOut,
    paged,
)


class Paging(PageNumberPagination):
    page_size = 50
    invalid_page_message = _("页码不存在。")  # type: ignore[assignment]


ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="重试同一次提交时发送相同的键：只会创建一条记录，并返回第一次的应答。",
)
PUSH_ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class Rows(ScopedAPIView):
    """An endpoint's model, reach and rows; `output` is what a row becomes."""

    output: ClassVar[type[serializers.Serializer[Any]]]


class ListEndpoint(Rows):
    """GET: one page of the user's rows, newest first; `?since=` on `date_field`."""

    date_field: ClassVar[str] = ""
    personal: ClassVar[bool] = True

    def get(self, request: Request) -> Response:
        query = (SinceQuery if self.date_field else PageQuery)(
            data=request.query_params
        )
        query.is_valid(raise_exception=True)
        rows = self.get_queryset().order_by("-pk")
        if since := query.validated_data.get("since"):
            rows = rows.filter(**{f"{self.date_field}__gte": since})
        paginator = Paging()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        if self.personal:
            record(
                user=request.user,  # type: ignore[arg-type]
                action=AuditAction.READ,
                object_type=self.model._meta.label_lower,
                detail={"api": request.path, "ids": [row.pk for row in page]},
            )
        return paginator.get_paginated_response(self.output(page, many=True).data)


class DetailEndpoint(Rows):
    """GET one record by id: the scope getter answers 404 outside and logs the read."""

    def get(self, request: Request, pk: str) -> Response:
        return Response(self.output(self.get_object(pk)).data)


Pushed = tuple[Any, dict[str, list[str]]]


class PushEndpoint(ListEndpoint):
    """POST: one record pushed through the page's form and service
    (docs/api.md §3, §9), once per `Idempotency-Key` (§4). `push_input` checks the
    JSON types; `save` builds the page's form and returns the record or its errors."""

    route: ClassVar[str]
    push_input: ClassVar[type[serializers.Serializer[Any]]]

    def post(self, request: Request) -> Response:
        return idempotency.once(
            request, route=self.route, run=lambda: self._push(request)
        )

    def _push(self, request: Request) -> Response:
        user: Any = request.user
        if not self.reach(user):
            return Response({"detail": _("未找到。")}, status=status.HTTP_404_NOT_FOUND)
        typed = self.push_input(data=request.data)
        typed.is_valid(raise_exception=True)
        facilities = _push_facilities(user)
        data = _with_only_facility(dict(typed.initial_data), facilities)
        entry, errors = self.save(
            user=user, typed=typed, data=data, facilities=facilities
        )
        if errors:
            return invalid(errors)
        return Response(self.output(entry).data, status=status.HTTP_201_CREATED)

    def save(
        self, *, user: Any, typed: Any, data: dict[str, Any], facilities: Any
    ) -> Pushed:
        raise NotImplementedError


def _list_schema(
    output: type[serializers.Serializer[Any]], summary: str, *, since: bool = True
) -> Any:
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{_name(output)}_list",
            summary=summary,
            parameters=[SinceQuery if since else PageQuery],
            responses={200: paged(output), **ERRORS},
        )
    )


def _push_schema(
    output: type[serializers.Serializer[Any]],
    request: type[serializers.Serializer[Any]],
    summary: str,
    description: str,
) -> Any:
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"{_name(output)}_push",
            summary=summary,
            description=description,
            request=request,
            parameters=[IDEMPOTENCY_KEY],
            responses={201: output, **PUSH_ERRORS},
        )
    )


def _detail_schema(output: type[serializers.Serializer[Any]], summary: str) -> Any:
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{_name(output)}_detail",
            summary=summary,
            # Any path segment reaches the view, so that a malformed id gets the same
            # JSON 404 from the scope getter as a missing or forbidden one.
            parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
            responses={200: output, **ERRORS},
        )
    )


def _name(output: type[serializers.Serializer[Any]]) -> str:
    return output.__name__.removesuffix("Out").lower()


@extend_schema_view(
    get=extend_schema(
        operation_id="me", summary="当前账号", responses={200: MeOut, **ERRORS}
    )
)
class Me(ScopedAPIView):
    """Who the token or session acts as: role, area and (a facility client) facility."""

    model = Facility
    reach = staticmethod(roles.can_see_facilities)

    def get(self, request: Request) -> Response:
        user: Any = request.user
        if not user.role or user.area_id is None or not self.reach(user):
            return Response({"detail": _("未找到。")}, status=status.HTTP_404_NOT_FOUND)
        facility = (
            request.auth.facility_id if isinstance(request.auth, ApiToken) else None
        )
        return Response(
            MeOut(
                {
                    "username": user.username,
                    "role": user.role,
                    "area_code": user.area.code,
                    "facility": facility,
                }
            ).data
        )


# Facilities (not personal: their lists are not logged as reads of people).
class FacilityRows(Rows):
    model = Facility
    reach = staticmethod(roles.can_see_facilities)
    output = FacilityOut

    def scoped_queryset(self, queryset: Any) -> Any:
        return providers_access.facilities_for_user(self.request.user).select_related(  # type: ignore[arg-type]
            "area"
        )


@_list_schema(FacilityOut, "医疗机构列表", since=False)
class FacilityList(FacilityRows, ListEndpoint):
    personal = False


@_detail_schema(FacilityOut, "医疗机构")
class FacilityDetail(FacilityRows, DetailEndpoint):
    pass


# The termination register (终止妊娠实名登记): the facility's own entries.
class TerminationRows(Rows):
    model = TerminationRecord
    reach = staticmethod(roles.can_see_facilities)
    output = TerminationOut

    def scoped_queryset(self, queryset: Any) -> Any:
        return providers_access.terminations_for_user(self.request.user)  # type: ignore[arg-type]


TerminationIn = input_serializer(
    TerminationForm, name="TerminationIn", optional=frozenset({"facility"})
)


@_list_schema(TerminationOut, "终止妊娠实名登记列表")
@_push_schema(
    TerminationOut,
    TerminationIn,
    "登记一例终止妊娠（推送）",
    (
        "与页面“终止妊娠实名登记”相同的校验和提示。账号只有一个机构时可省略 facility。"
        "14周及以上无完成的查验仍会登记，并发出预警。"
    ),
)
class TerminationList(TerminationRows, PushEndpoint):
    date_field = "terminated_on"
    route = "terminations"
    push_input = TerminationIn

    def save(
        self, *, user: Any, typed: Any, data: dict[str, Any], facilities: Any
    ) -> Pushed:
        form = TerminationForm(data, facilities=facilities)
        return submit(form, lambda d: providers.record_termination(by=user, **d))


@_detail_schema(TerminationOut, "终止妊娠实名登记")
class TerminationDetail(TerminationRows, DetailEndpoint):
    pass


# The delivery register (分娩实名登记): births a facility delivered.
class DeliveryRows(Rows):
    model = FacilityDelivery
    reach = staticmethod(roles.can_see_facilities)
    output = DeliveryOut

    def scoped_queryset(self, queryset: Any) -> Any:
        user: Any = self.request.user
        rows = providers_access.deliveries_for_user(user)
        return rows.select_related("village").prefetch_related("children")


_DeliveryMother = input_serializer(
    DeliveryForm, name="DeliveryMother", optional=frozenset({"facility"})
)
# The hidden submission key of the page: the API has the Idempotency-Key header.
del _DeliveryMother._declared_fields["submission_key"]
DeliveryIn = type(
    "DeliveryIn",
    (_DeliveryMother,),
    {"children": ChildIn(many=True, help_text="新生儿，每个一项（多胎逐一填写）")},
)
# The page's form names the children's fields child1_sex…; the API, children.0.sex….
_CHILD_FIELDS = {
    "sex": "sex",
    "outcome": "outcome",
    "birth_order": "birth_order",
    "birth_certificate_number": "certificate",
}


def _delivery_form_data(data: dict[str, Any]) -> dict[str, Any]:
    """The push as the page's form would receive it: the first children in its
    child fields (so they get its checks and messages)."""
    flat = {k: v for k, v in data.items() if k != "children"}
    for n, child in enumerate(data.get("children", [])[:FORM_CHILDREN], start=1):
        for key, field in _CHILD_FIELDS.items():
            if child.get(key) is not None:
                flat[f"child{n}_{field}"] = child[key]
    return flat


def _child_error_key(field: str) -> str:
    if field.startswith("child") and "_" in field:
        n, name = field.removeprefix("child").split("_", 1)
        if n.isdigit():
            key = {v: k for k, v in _CHILD_FIELDS.items()}.get(name, name)
            return f"children.{int(n) - 1}.{key}"
    return field


@_list_schema(DeliveryOut, "分娩实名登记列表")
@_push_schema(
    DeliveryOut,
    DeliveryIn,
    "登记一次分娩及其新生儿（推送）",
    (
        "与页面“分娩实名登记”相同的校验和提示（身份证号码、日期、出生医学证明编号）。"
        "账号只有一个机构时可省略 facility。"
    ),
)
class DeliveryList(DeliveryRows, PushEndpoint):
    date_field = "delivered_on"
    route = "deliveries"
    push_input = DeliveryIn

    def save(
        self, *, user: Any, typed: Any, data: dict[str, Any], facilities: Any
    ) -> Pushed:
        form = DeliveryForm(_delivery_form_data(data), facilities=facilities)
        children = typed.validated_data["children"]

        def save(_cleaned: dict[str, Any]) -> FacilityDelivery:
            arguments = form.service_arguments()
            # Beyond the form's children, the service checks the rest itself.
            extra = [ChildData(**c) for c in children[FORM_CHILDREN:]]
            arguments.update(
                children=[*arguments["children"], *extra],
                source=DeliverySource.API,
                submission_key=None,
            )
            return providers.record_facility_delivery(recorded_by=user, **arguments)

        entry, errors = submit(form, save)
        return entry, {_child_error_key(k): v for k, v in errors.items()}


@_detail_schema(DeliveryOut, "分娩实名登记")
class DeliveryDetail(DeliveryRows, DetailEndpoint):
    pass


# The real-name ultrasound exam register (B超检查实名登记, issue 17 item 1).
class ExamRows(Rows):
    model = UltrasoundExam
    reach = staticmethod(roles.can_see_facilities)
    output = ExamOut

    def scoped_queryset(self, queryset: Any) -> Any:
        user: Any = self.request.user
        return providers_access.exams_for_user(user).select_related("village")


ExamIn = input_serializer(ExamForm, name="ExamIn", optional=frozenset({"facility"}))
# The hidden submission key of the page: the API has the Idempotency-Key header.
del ExamIn._declared_fields["submission_key"]


@_list_schema(ExamOut, "B超检查实名登记列表")
@_push_schema(
    ExamOut,
    ExamIn,
    "登记一次B超检查（推送）",
    (
        "与页面“B超检查实名登记”相同的校验和提示（身份证号码、日期、孕周、检查目的）。"
        "设备或操作人员未备案的检查仍会登记，并发出预警。账号只有一个机构时可省略 facility。"
    ),
)
class ExamList(ExamRows, PushEndpoint):
    date_field = "examined_on"
    route = "exams"
    push_input = ExamIn

    def save(
        self, *, user: Any, typed: Any, data: dict[str, Any], facilities: Any
    ) -> Pushed:
        data.pop("submission_key", None)
        form = ExamForm(data, facilities=facilities)

        def save(_cleaned: dict[str, Any]) -> UltrasoundExam:
            arguments = form.service_arguments()
            arguments.update(source=ExamSource.API, submission_key=None)
            return providers.record_ultrasound_exam(recorded_by=user, **arguments)

        return submit(form, save)


@_detail_schema(ExamOut, "B超检查实名登记")
class ExamDetail(ExamRows, DetailEndpoint):
    pass


class GeneticTestRows(Rows):
    model = GeneticTest
    reach = staticmethod(roles.can_see_facilities)
    output = GeneticTestOut

    def scoped_queryset(self, queryset: Any) -> Any:
        user: Any = self.request.user
        return providers_access.genetic_tests_for_user(user).select_related("village")


# An order is pushed before its result: `result` left out is 待出结果.
GeneticTestIn = input_serializer(
    GeneticTestForm, name="GeneticTestIn", optional=frozenset({"facility", "result"})
)
GeneticResultIn = input_serializer(ResultFields, name="GeneticResultIn")


@_list_schema(GeneticTestOut, "产前遗传学检测实名登记列表")
@_push_schema(
    GeneticTestOut,
    GeneticTestIn,
    "登记一例染色体或无创DNA检测（推送）",
    (
        "与页面“产前遗传学检测实名登记”相同的校验和提示（身份证号码、日期、孕周、"
        "检测指征；伴性遗传病或其他指征须写明）。检测日无有效产前诊断许可、"
        "或非伴性遗传病指征的报告载明胎儿性别，检测仍会登记，并向机构所在乡镇发出预警"
        "（unlicensed、sex_disclosure）。账号只有一个机构时可省略 facility。"
    ),
)
class GeneticTestList(GeneticTestRows, PushEndpoint):
    date_field = "ordered_on"
    route = "genetic-tests"
    push_input = GeneticTestIn

    def save(
        self, *, user: Any, typed: Any, data: dict[str, Any], facilities: Any
    ) -> Pushed:
        if data.get("result") is None:
            data["result"] = TestResult.PENDING
        form = GeneticTestForm(data, facilities=facilities)

        def save(_cleaned: dict[str, Any]) -> GeneticTest:
            return providers.record_genetic_test(
                recorded_by=user, **form.service_arguments()
            )

        return submit(form, save)


@_detail_schema(GeneticTestOut, "产前遗传学检测实名登记")
class GeneticTestDetail(GeneticTestRows, DetailEndpoint):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="genetictest_result",
        summary="登记检测结果（推送）",
        description=(
            "与检测页面的“检测结果”相同的校验。报告载明胎儿性别而检测指征不是"
            "伴性遗传病的，向机构所在乡镇发出预警。同一 Idempotency-Key 只登记一次。"
        ),
        request=GeneticResultIn,
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH),
            IDEMPOTENCY_KEY,
        ],
        responses={200: GeneticTestOut, **PUSH_ERRORS, 404: ErrorOut},
    )
)
class GeneticTestResult(GeneticTestRows):
    """POST the result of a test already pushed: the result comes days after the
    order, and the sex finding is raised on it (`record_test_result`)."""

    def post(self, request: Request, pk: str) -> Response:
        # The route names the test, so that one key cannot replay another test's.
        return idempotency.once(
            request,
            route=f"genetic-tests/{pk}/result",
            run=lambda: self._result(request, pk),
        )

    def _result(self, request: Request, pk: str) -> Response:
        user: Any = request.user
        test = self.get_object(pk, log_read=False)
        typed = GeneticResultIn(data=request.data)
        typed.is_valid(raise_exception=True)
        form = ResultFields(dict(typed.initial_data))
        entry, errors = submit(
            form,
            lambda d: providers.record_test_result(
                by=user,
                test=test,
                result=d["result"],
                result_on=d["result_on"],
                result_note=d["result_note"] or "",
                reports_sex=d["reports_sex"],
            ),
        )
        if errors:
            return invalid(errors)
        return Response(self.output(entry).data)


def _push_facilities(user: Any) -> Any:
    return providers_access.facilities_for_user(user).exclude(kind="pharmacy")


def _with_only_facility(data: dict[str, Any], facilities: Any) -> dict[str, Any]:
    """A client of one facility may leave `facility` out."""
    if data.get("facility") is None and facilities.count() == 1:
        data["facility"] = facilities.values_list("pk", flat=True).first()
    return data


# The registry and follow-up lists of the township and county (and village) roles.
class WomanRows(Rows):
    model = Woman
    reach = staticmethod(roles.can_manage_people)
    output = WomanOut

    def scoped_queryset(self, queryset: Any) -> Any:
        return women_for_user(self.request.user).select_related("village")  # type: ignore[arg-type]


@_list_schema(WomanOut, "育龄妇女列表（身份证号码部分隐藏）")
class WomanList(WomanRows, ListEndpoint):
    date_field = "created_at__date"


@_detail_schema(WomanOut, "育龄妇女")
class WomanDetail(WomanRows, DetailEndpoint):
    pass


class PregnancyRows(Rows):
    model = Pregnancy
    reach = staticmethod(roles.can_follow_pregnancies)
    output = PregnancyOut

    def scoped_queryset(self, queryset: Any) -> Any:
        return pregnancies_for_user(self.request.user).select_related(  # type: ignore[arg-type]
            "woman", "village"
        )


@_list_schema(PregnancyOut, "孕情列表")
class PregnancyList(PregnancyRows, ListEndpoint):
    date_field = "registered_on"


@_detail_schema(PregnancyOut, "孕情")
class PregnancyDetail(PregnancyRows, DetailEndpoint):
    pass


class AlertRows(Rows):
    model = Alert
    reach = staticmethod(roles.can_work_alerts)
    output = AlertOut

    def scoped_queryset(self, queryset: Any) -> Any:
        return alerts_for_user(self.request.user).select_related("area")  # type: ignore[arg-type]


@_list_schema(AlertOut, "预警列表")
class AlertList(AlertRows, ListEndpoint):
    date_field = "opened_at__date"


@_detail_schema(AlertOut, "预警")
class AlertDetail(AlertRows, DetailEndpoint):
    pass
