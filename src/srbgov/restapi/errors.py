"""One error shape for the whole API (docs/api.md, "Errors"):
`{"detail": "<Chinese sentence>", "errors": {"<field>": ["<message>", …]}}`, where
`errors` is present for invalid input only and holds the very messages the pages'
forms show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler


def invalid(errors: dict[str, list[str]]) -> Response:
    return Response(
        {"detail": _("提交的数据有误，请按各字段的提示修改。"), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [m for item in value for m in _messages(item)]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    return [str(value)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.Throttled):
        waited = getattr(exc, "wait", None)
        wait = int(waited or 1)
        exc = exceptions.Throttled(
            wait=waited,
            detail=_("提交过于频繁，请在%(seconds)d秒后重试。") % {"seconds": wait},
        )
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if isinstance(data, dict):
            errors = {str(k): _messages(v) for k, v in data.items()}
        else:
            errors = {"non_field_errors": _messages(data)}
        response.data = {
            "detail": _("提交的数据有误，请按各字段的提示修改。"),
            "errors": errors,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
