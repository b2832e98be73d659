"""公文: drafts filled from the data, edited on the page, downloaded as .docx or PDF
(docs/assessment.md "Document layout")."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from srbgov.assessment import access
from srbgov.assessment.documents import DOCUMENTS
from srbgov.core.forms import DATE_INPUT
from srbgov.core.http import AuthedRequest, authed
from srbgov.reports.officialdoc import (
    OfficialDocument,
    parse_draft,
    send_document,
    soffice_path,
)


class DraftForm(forms.Form):
    issuer = forms.CharField(label=gettext_lazy("发文机关"), max_length=60)
    number = forms.CharField(
        label=gettext_lazy("发文字号"), max_length=40, required=False
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    addressee = forms.CharField(
        label=gettext_lazy("主送机关"), max_length=120, required=False
    )
    body = forms.CharField(
        label=gettext_lazy("正文"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=gettext_lazy(
            "“# ”一级标题，“## ”二级标题，“### ”三级标题，“| 甲 | 乙 |”表格行；编号自动生成。"
        ),
    )
    signatory = forms.CharField(
        label=gettext_lazy("署名"), max_length=60, required=False
    )
    date = forms.DateField(label=gettext_lazy("成文日期"), widget=DATE_INPUT)


@authed(reach=access.can_see_assessment)
def document_list(request: AuthedRequest) -> HttpResponse:
    kinds = [k for k in DOCUMENTS.values() if k.listed and k.allowed(request.user)]
    return render(request, "assessment/document_list.html", {"kinds": kinds})


@authed(reach=access.can_see_assessment)
def document_draft(request: AuthedRequest, kind: str) -> HttpResponse:
    found = DOCUMENTS.get(kind)
    if found is None or not found.allowed(request.user):
        raise Http404
    area = (
        access.get_area_for_user(request.user, request.GET["area"])
        if request.GET.get("area")
        else request.user.scope
    )
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            document = OfficialDocument(
                issuer=d["issuer"],
                number=d["number"],
                title=d["title"],
                addressee=d["addressee"],
                blocks=parse_draft(d["body"]),
                signatory=d["signatory"],
                date=d["date"],
            )
            return send_document(
                request,
                document=document,
                filename=d["title"],
                object_type=f"assessment.document.{found.slug}",
                as_pdf="pdf" in request.POST,
                detail={"area": area.code},
            )
    else:
        draft = found.draft(request.user, area, request.GET)
        form = DraftForm(initial=draft.__dict__)
    return render(
        request,
        "assessment/document_draft.html",
        {
            "form": form,
            "kind": found,
            "area": area,
            "pdf": soffice_path() is not None,
            "intro": _("已按本年数据起草，可修改后下载。"),
        },
    )
