"""Forms of the facility delivery register: they validate the input and hand it to
`services.record_facility_delivery`, which holds every rule (docs/reconciliation.md §5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.core.forms import DATE_INPUT
from srbgov.people.fields import AsciiIntegerField, PersonNameField
from srbgov.providers.models import (
    ChildOutcome,
    ChildSex,
    DeliverySource,
)
from srbgov.providers.register_forms import (
    ID_HELP,
    ID_INPUT,
    RegisterEntryForm,
    register_form,
)
from srbgov.providers.services import ChildData

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The form offers three children (triplets); the service takes up to six for the
# import and the API.
FORM_CHILDREN = 3


@register_form
class DeliveryForm(RegisterEntryForm):
    labels: ClassVar[dict[str, StrOrPromise]] = {
        "facility": _("接生机构"),
        "village_code": _("产妇所在村区划代码"),
    }
    field_order = [
        "facility",
        "mother_name",
        "mother_id_number",
        "village_code",
        "delivered_on",
        "submission_key",
    ]

    mother_name = PersonNameField(label=_("产妇姓名"), max_length=40)
    mother_id_number = forms.CharField(
        label=_("产妇身份证号码"), max_length=24, widget=ID_INPUT, help_text=ID_HELP
    )
    delivered_on = forms.DateField(label=_("分娩日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, facilities=facilities, **kwargs)
        for n in range(1, FORM_CHILDREN + 1):
            first = n == 1
            self.fields[f"child{n}_sex"] = forms.ChoiceField(
                label=_("第%(n)d个新生儿性别") % {"n": n},
                choices=[("", "—"), *ChildSex.choices],
                required=first,
            )
            self.fields[f"child{n}_outcome"] = forms.ChoiceField(
                label=_("第%(n)d个新生儿结局") % {"n": n},
                choices=ChildOutcome.choices,
                initial=ChildOutcome.LIVE,
                required=False,
            )
            self.fields[f"child{n}_birth_order"] = AsciiIntegerField(
                label=_("第%(n)d个新生儿孩次") % {"n": n},
                min_value=1,
                max_value=15,
                required=False,
            )
            self.fields[f"child{n}_certificate"] = forms.CharField(
                label=_("第%(n)d个新生儿出生医学证明编号") % {"n": n},
                max_length=40,
                required=False,
            )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `record_facility_delivery` takes it."""
        data = self.cleaned_data
        children = [
            ChildData(
                sex=data[f"child{n}_sex"],
                outcome=data[f"child{n}_outcome"] or ChildOutcome.LIVE,
                birth_order=data[f"child{n}_birth_order"],
                birth_certificate_number=data[f"child{n}_certificate"] or "",
            )
            for n in range(1, FORM_CHILDREN + 1)
            if data.get(f"child{n}_sex")
        ]
        return {
            "facility": data["facility"],
            "mother_name": data["mother_name"],
            "mother_id_number": data["mother_id_number"],
            "village_code": data["village_code"] or "",
            "delivered_on": data["delivered_on"],
            "children": children,
            "source": DeliverySource.CLERK,
            "submission_key": data["submission_key"],
        }


class DeliverySearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证号"), required=False)
    date_from = forms.DateField(
        label=_("分娩日期从"), required=False, widget=DATE_INPUT
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)
    source = forms.ChoiceField(
        label=_("来源"), choices=[("", "—"), *DeliverySource.choices], required=False
    )
    # The health center's and the clerk's home link here (docs/homes.md).
    to_complete = forms.BooleanField(
        label=_("仅本机构待补录出生医学证明编号的"), required=False
    )


class ChildCertificateForm(forms.Form):
    child = forms.IntegerField(min_value=1)
    number = forms.CharField(label=_("出生医学证明编号"), max_length=40)
