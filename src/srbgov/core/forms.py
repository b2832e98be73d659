"""Form helpers shared by every app's views (a foundation module: feature apps import
it, it imports no feature app; docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render

from srbgov.core.http import AuthedRequest

# A browser date picker that round-trips the ISO date the form parses.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: Any, problem: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names; errors naming no
    field of this form (or no field at all) go to the top of the form."""
    if hasattr(problem, "error_dict"):
        for field, errors in problem.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


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


@contextmanager
def flash_outcome(request: AuthedRequest, *, done: str = "") -> Iterator[None]:
    """The message of a POST-only action that redirects back: `done` when the block
    ran through, the service's reasons when it refused (ValidationError). The page the
    user returns to shows either; nothing else is caught."""
    try:
        yield
    except ValidationError as problem:
        messages.error(request, "；".join(problem.messages))
    else:
        if done:
            messages.success(request, done)


def render_form(
    request: AuthedRequest,
    form: forms.Form,
    *,
    title: str,
    cancel_url: str,
    intro: str = "",
) -> HttpResponse:
    """The plain one-column form page (core/form.html) that most edit pages share."""
    return render(
        request,
        "core/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro},
    )
