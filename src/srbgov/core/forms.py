"""Form helpers shared by every app's views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def add_service_errors(form: Any, problem: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names; errors naming no
    field of this form (or no field at all) go to the top of the form."""
    if hasattr(problem, "error_dict"):
        for field, errors in problem.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)
