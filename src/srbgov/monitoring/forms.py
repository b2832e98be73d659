from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.monitoring.models import (
    EarlierPattern,
    IntervalChoice,
    OrderBucket,
    ReferenceLevel,
)
from srbgov.monitoring.queries import (
    Period,
    Policy,
    quarter_period,
    window_period,
    year_period,
)

PERIODS = [
    ("window", _("合并窗口（按口径）")),
    ("window3", _("最近3年合并")),
    ("window5", _("最近5年合并")),
    ("year", _("单年")),
    ("quarter", _("单季度")),
]
# Cells of birth order × sexes of earlier children (docs/design.md §6): where selection shows.
CELLS: dict[str, tuple[Any, int | None, str | None]] = {
    "all": (_("全部出生"), None, None),
    "after_girls": (_("二孩及以上·此前只有女孩"), None, EarlierPattern.GIRLS),
    "second_after_girl": (
        _("二孩·此前只有女孩"),
        OrderBucket.SECOND,
        EarlierPattern.GIRLS,
    ),
    "third_after_girls": (
        _("三孩及以上·此前只有女孩"),
        OrderBucket.THIRD_PLUS,
        EarlierPattern.GIRLS,
    ),
    "first": (_("一孩"), OrderBucket.FIRST, None),
}


@dataclass(frozen=True)
class Selection:
    period: Period
    cell: str
    order: int | None
    pattern: str | None

    @property
    def cell_label(self) -> str:
        return str(CELLS[self.cell][0])


class StatisticsFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("区划"), required=False)
    period = forms.ChoiceField(label=_("统计期"), choices=PERIODS, required=False)
    year = forms.IntegerField(
        label=_("年份"), min_value=2000, max_value=2100, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        choices=[(q, str(q)) for q in range(1, 5)],
        coerce=int,
        required=False,
    )
    cell = forms.ChoiceField(
        label=_("孩次与此前子女"),
        choices=[(k, v[0]) for k, v in CELLS.items()],
        required=False,
    )

    def __init__(self, *args: Any, scope: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Area.objects.in_area(scope).order_by("code")
        if scope.level == AreaLevel.COUNTY:
            areas = areas.exclude(level=AreaLevel.VILLAGE)
        area_field = self.fields["area"]
        if not isinstance(area_field, forms.ChoiceField):  # pragma: no cover
            raise TypeError("area must be a choice field")
        area_field.choices = [
            (a.code, ("　" if a.level == AreaLevel.VILLAGE else "") + a.name)
            for a in areas
        ]

    def selection(self, policy: Policy) -> Selection:
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        kind = data.get("period") or "window"
        if kind == "year":
            period = year_period(year)
        elif kind == "quarter":
            period = quarter_period(year, data.get("quarter") or 1)
        else:
            years = {"window3": 3, "window5": 5}.get(kind, policy.window_years)
            period = window_period(year, years, today=timezone.localdate())
        cell = data.get("cell") or "all"
        _label, order, pattern = CELLS[cell]
        return Selection(period, cell, order, pattern)


class SrbPolicyForm(forms.Form):
    reference_level = forms.ChoiceField(
        label=_("参考水平"), choices=ReferenceLevel.choices
    )
    interval_method = forms.ChoiceField(
        label=_("区间方法"), choices=IntervalChoice.choices
    )
    window_years = forms.TypedChoiceField(
        label=_("预警合并年数"),
        choices=[(3, "3"), (4, "4"), (5, "5")],
        coerce=int,
    )
