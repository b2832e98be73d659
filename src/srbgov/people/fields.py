"""Form fields for what users type into numbers and names (people/textinput.py).

Used by every form that takes an identity number, a phone number, a count or a name of
a person, so that the rules of docs/security.md §2 hold wherever people type.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from srbgov.people import textinput


class PhoneField(forms.CharField):
    """A mainland mobile or landline number, stored as digits only."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return textinput.clean_phone(text)
        except textinput.InputError as problem:
            raise ValidationError(problem.message, code=problem.code) from None


class AsciiIntegerField(forms.IntegerField):
    """An integer typed in ASCII or full-width digits; other Unicode digits (which
    Python's int() would take) are refused with a form error."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            try:
                value = textinput.digits_only(
                    value, label=str(self.label or "数字"), keep="-+"
                )
            except textinput.InputError as problem:
                raise ValidationError(problem.message, code=problem.code) from None
        return super().to_python(value)


class PersonNameField(forms.CharField):
    """A person's name: NFKC, without bidi overrides or other invisible characters."""

    def to_python(self, value: Any) -> str:
        return textinput.clean_name(super().to_python(value) or "")
