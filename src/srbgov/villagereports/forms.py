from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.villagereports.models import FIGURES, MonthlyReport


class FiguresForm(forms.Form):
    notes = forms.CharField(
        label=_("备注说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, report: MonthlyReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in FIGURES:
            self.fields[key] = forms.IntegerField(
                label=label, min_value=0, initial=report.figures.get(key, 0)
            )
        self.fields["notes"].initial = report.notes
        self.order_fields([k for k, _label in FIGURES] + ["notes"])

    def figures(self) -> dict[str, int]:
        return {k: self.cleaned_data[k] for k, _label in FIGURES}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开原因"), widget=forms.Textarea(attrs={"rows": 2})
    )
