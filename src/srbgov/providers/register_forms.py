"""What the record forms of the real-name registers (exams, deliveries) share: the
facility among those the user keeps, her identity number as the other real-name
registers take it, her village code and the submission key (docs/registers.md §2)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.core.submissions import SubmissionKeyField
from srbgov.providers.models import Facility

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ID_INPUT = forms.TextInput(attrs={"autocomplete": "off"})
ID_HELP = _("按育龄妇女信息库核对并加密保存，列表只显示部分号码。")


F = TypeVar("F", bound="type[RegisterEntryForm]")


def register_form(cls: F) -> F:
    """Give the shared fields the register's words (`labels`) and put all fields in its
    order (`field_order`) on the class itself, so that what reads `base_fields` (the
    REST API's serializers, docs/api.md) sees the form as the page does."""
    fields = {name: copy.deepcopy(field) for name, field in cls.base_fields.items()}
    for name, label in cls.labels.items():
        fields[name].label = label
    order = [n for n in cls.field_order or () if n in fields]
    order += [n for n in fields if n not in order]
    cls.base_fields = {name: fields[name] for name in order}
    cls.declared_fields = dict(cls.base_fields)
    return cls


class RegisterEntryForm(forms.Form):
    """The shared fields; a register (decorated with `register_form`) names them in
    its own words (`labels`) and puts them in its order (`field_order`)."""

    facility = forms.ModelChoiceField(label=_("机构"), queryset=Facility.objects.none())
    village_code = forms.CharField(
        max_length=12,
        required=False,
        help_text=_("12位统计用区划代码；不知道可留空，在册妇女自动取其所在村。"),
    )
    submission_key = SubmissionKeyField()

    labels: ClassVar[dict[str, StrOrPromise]] = {}

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()
