from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render

from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest


def run_service(form: forms.Form, call: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Validate the form and call the service; errors land on the form, nothing is
    half-written (the service's transaction rolls back)."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return call(form.cleaned_data)
    except ValidationError as problem:
        add_service_errors(form, problem)
        return None


def render_form(
    request: AuthedRequest,
    form: forms.Form,
    *,
    title: str,
    cancel_url: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "providers/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro},
    )
