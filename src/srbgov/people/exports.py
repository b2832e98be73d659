"""The women's registry as a sheet: masked identity numbers only (docs/access.md)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.people.models import Woman
from srbgov.reports.exports import Column, Export


def _township(w: Woman) -> str:
    return w.village.parent.name if w.village.parent else ""


def _children(w: Any) -> int:
    return int(w.n_children)  # annotated by queries.search_women


WOMEN: Export[Woman] = Export(
    title=_("育龄妇女"),
    filename=_("育龄妇女名单"),
    object_type="people.woman",
    columns=(
        Column(
            _("姓名"),
            lambda w: w.name,
            link=lambda w: reverse("people:woman_detail", args=[w.pk]),
        ),
        Column(_("身份证号码"), lambda w: w.id_number_masked, css="id-masked"),
        Column(_("出生日期"), lambda w: w.birth_on),
        Column(_("年龄"), lambda w: w.age_on(timezone.localdate())),
        Column(_("乡镇"), _township),
        Column(_("村"), lambda w: w.village.name),
        Column(_("联系电话"), lambda w: w.phone),
        Column(_("子女数"), _children),
    ),
)
