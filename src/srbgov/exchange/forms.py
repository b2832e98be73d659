from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import User
from srbgov.exchange.kinds import kinds_for


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"))
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx）或 CSV（UTF-8 或 GB18030 编码），最大 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind.slug, kind.label) for kind in kinds_for(user)
        ]
