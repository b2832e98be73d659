"""The pages' forms validate API input too (docs/api.md, "Validation").

A push is validated by the very form class its page uses, with the same querysets, and
saved by the same service through `core.forms.run_service`; so the checks (GB 11643,
dates, the facility's own staff, …) and their Chinese messages are the pages', not a
copy. `input_serializer` derives from the form a serializer that only documents the
fields in the OpenAPI schema and checks their JSON types (a string where a date is
expected, not a list), which a form, made for HTML strings, does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from rest_framework import serializers

from srbgov.core.forms import run_service


def _field(
    field: forms.Field, *, optional: bool
) -> serializers.Field[Any, Any, Any, Any]:
    options: dict[str, Any] = {
        "required": field.required and not optional,
        "help_text": str(field.label or ""),
    }
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not options["required"], **options)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**options)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(**options)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        values = ", ".join(str(value) for value, _label in choices)
        options["help_text"] = f"{options['help_text']} ({values})"
        return serializers.CharField(**options)
    return serializers.CharField(allow_blank=not field.required, **options)


def input_serializer(
    form_class: type[forms.Form], *, name: str, optional: frozenset[str] = frozenset()
) -> type[serializers.Serializer[Any]]:
    """A serializer with one field per declared form field, in the form's order;
    `optional` names fields the API fills in when they are left out."""
    # Declared, not set afterwards: a serializer copies its fields from their
    # constructor arguments.
    fields = {
        key: _field(field, optional=key in optional)
        for key, field in form_class.base_fields.items()
    }
    return type(name, (serializers.Serializer,), fields)


def submit(
    form: forms.Form, call: Callable[[dict[str, Any]], Any]
) -> tuple[Any, dict[str, list[str]]]:
    """The service's result, or the form's errors by field (`non_field_errors` for
    the form as a whole)."""
    done = run_service(form, call)
    if done is not None:
        return done, {}
    return None, {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in errors]
        for field, errors in form.errors.items()
    }
