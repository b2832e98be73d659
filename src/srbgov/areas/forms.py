from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AreaForm(forms.Form):
    code = forms.CharField(
        label=_("区划代码"),
        max_length=12,
        min_length=12,
        help_text=_(
            "12位统计用区划代码：县6位 + 乡镇3位 + 村3位，须以上级代码为前缀。"
        ),
    )
    name = forms.CharField(label=_("名称"), max_length=60)


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV文件"), help_text=_("每行“代码,名称”，UTF-8编码；可有标题行。")
    )
