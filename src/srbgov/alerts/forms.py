from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.accounts.roles import PEOPLE_ROLES
from srbgov.alerts.models import AlertAge, AlertKind, AlertStatus
from srbgov.areas.models import Area


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部")), *AlertKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *AlertStatus.choices],
        required=False,
        initial=AlertStatus.OPEN,
    )
    # The township home links the open alerts by how long they waited (docs/homes.md).
    age = forms.ChoiceField(
        label=_("已等待"), choices=[("", _("不限")), *AlertAge.choices], required=False
    )
    mine = forms.BooleanField(label=_("只看分派给我的"), required=False)
    # The county home links each township's open alerts here (docs/homes.md).
    township = forms.ModelChoiceField(
        label=_("乡镇"),
        required=False,
        queryset=Area.objects.none(),
        to_field_name="code",
    )

    def __init__(self, *args: Any, scope: Area | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scope is not None:
            self.fields["township"].queryset = Area.objects.in_area(scope).townships()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("处理记录"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("负责人"), queryset=User.objects.none())

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # People working at the alert's area or above it, or inside it.
        codes = [a.code for a in [area, *area.ancestors()]]
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, role__in=PEOPLE_ROLES)
            .filter(Q(area__code__in=codes) | Q(area__in=Area.objects.in_area(area)))
            .order_by("username")
        )
