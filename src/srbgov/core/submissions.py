"""Idempotent submission (docs/security.md §5): a form carries a key generated when it
is first shown; the service that saves it stores the key in a unique column and, given
a key it has seen, returns what it saved then instead of saving again. A double tap, a
resubmitted page or a phone that retries after a lost reply saves one record. An
offline client can generate the same kind of key (a UUID) for each record it queues.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db import models


class SubmissionKeyField(forms.UUIDField):
    """Hidden; a fresh key each time the form is shown unbound, kept when it is
    re-shown with errors (so correcting and resubmitting stays one submission)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def submission_key_column() -> models.UUIDField[uuid.UUID | None, uuid.UUID | None]:
    """The unique column a model keeps its submission keys in (NULL for records saved
    without one: imports, the nightly jobs, the admin)."""
    return models.UUIDField(null=True, blank=True, unique=True, editable=False)
