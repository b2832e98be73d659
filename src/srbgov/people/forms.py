from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.areas.models import Area
from srbgov.core.forms import DATE_INPUT
from srbgov.people.models import Sex, Woman
from srbgov.people.services import ChildData, SpouseData


class WomanForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    village = forms.ModelChoiceField(label=_("所在村"), queryset=Area.objects.none())
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    household = forms.CharField(
        label=_("户籍地址/门牌"), max_length=120, required=False
    )
    spouse_name = forms.CharField(label=_("配偶姓名"), max_length=40, required=False)
    spouse_birth_on = forms.DateField(
        label=_("配偶出生日期"), required=False, widget=DATE_INPUT
    )
    spouse_phone = forms.CharField(
        label=_("配偶联系电话"), max_length=20, required=False
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, user: User, woman: Woman | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        villages = Area.objects.in_area(user.scope).villages().select_related("parent")
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["village"].label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.parent.name} {a.name}" if a.parent else a.name
        )
        if villages.count() == 1:
            self.fields["village"].initial = villages.first()
        if woman is not None:
            # The stored number is never sent back to the browser; blank keeps it.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _(
                "已登记：%(masked)s。不修改请留空。"
            ) % {"masked": woman.id_number_masked}

    def spouse(self) -> SpouseData | None:
        data = self.cleaned_data
        if not data.get("spouse_name"):
            return None
        return SpouseData(
            name=data["spouse_name"],
            birth_on=data.get("spouse_birth_on"),
            phone=data.get("spouse_phone", ""),
        )


class ChildForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("子女姓名"), max_length=40, required=False)
    birth_on = forms.DateField(label=_("出生日期"), widget=DATE_INPUT)
    sex = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Sex.choices])
    # "Died" rather than "alive": an untouched blank row must stay unchanged.
    has_died = forms.BooleanField(label=_("已死亡"), required=False)

    def to_data(self) -> ChildData:
        d = self.cleaned_data
        return ChildData(
            pk=d.get("pk"),
            name=d.get("name", ""),
            birth_on=d["birth_on"],
            sex=d["sex"],
            is_alive=not d.get("has_died"),
            died_on=d.get("died_on"),
        )


ChildFormSet = forms.formset_factory(ChildForm, extra=1)


def children_from(formset: Any) -> list[ChildData]:
    return [
        f.to_data()
        for f in formset.forms
        if f.has_changed() or f.cleaned_data.get("pk")
    ]


def woman_initial(woman: Woman) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": woman.name,
        "village": woman.village_id,
        "phone": woman.phone,
        "household": woman.household,
        "note": woman.note,
    }
    spouse = getattr(woman, "spouse", None)
    if spouse is not None:
        initial.update(
            spouse_name=spouse.name,
            spouse_birth_on=spouse.birth_on,
            spouse_phone=spouse.phone,
        )
    return initial


def children_initial(woman: Woman) -> list[dict[str, Any]]:
    return [
        {
            "pk": c.pk,
            "name": c.name,
            "birth_on": c.birth_on,
            "sex": c.sex,
            "has_died": not c.is_alive,
            "died_on": c.died_on,
        }
        for c in woman.children.all()
    ]


class WomanSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、身份证号或电话"), required=False)
    village = forms.ModelChoiceField(
        label=_("村"), queryset=Area.objects.none(), required=False
    )
    age_from = forms.IntegerField(
        label=_("年龄从"), required=False, min_value=10, max_value=99
    )
    age_to = forms.IntegerField(
        label=_("至"), required=False, min_value=10, max_value=99
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Area.objects.in_area(user.scope).villages()  # type: ignore[attr-defined]
