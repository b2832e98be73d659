from __future__ import annotations

from django.urls import path

from srbgov.care.views import applications as a
from srbgov.care.views import households as h
from srbgov.care.views import payments as p

app_name = "care"
urlpatterns = [
    path("", h.household_list, name="household_list"),
    path("export.xlsx", h.household_export, name="household_export"),
    path("<int:pk>/", h.household_detail, name="household_detail"),
    path("<int:pk>/confirm/", h.household_confirm, name="household_confirm"),
    path("<int:pk>/apply/", h.application_create, name="application_create"),
    path("eligible/", h.eligible_list, name="eligible_list"),
    path("eligible/export.xlsx", h.eligible_export, name="eligible_export"),
    path("programs/", h.program_list, name="program_list"),
    path("programs/export.xlsx", h.program_export, name="program_export"),
    path("programs/new/", h.program_create, name="program_create"),
    path("programs/<int:pk>/", h.program_edit, name="program_edit"),
    path("applications/", a.application_list, name="application_list"),
    path("applications/export.xlsx", a.application_export, name="application_export"),
    path("applications/<int:pk>/", a.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/review/", a.application_review, name="application_review"
    ),
    path(
        "applications/<int:pk>/approve/",
        a.application_approve,
        name="application_approve",
    ),
    path(
        "applications/<int:pk>/account/",
        p.application_account,
        name="application_account",
    ),
    path("notices/", a.notice_list, name="notice_list"),
    path("notices/export.xlsx", a.notice_export, name="notice_export"),
    path("notices/new/", a.notice_create, name="notice_create"),
    path("notices/<int:pk>/", a.notice_detail, name="notice_detail"),
    path("batches/", p.batch_list, name="batch_list"),
    path("batches/export.xlsx", p.batch_export, name="batch_export"),
    path("batches/new/", p.batch_create, name="batch_create"),
    path("batches/<int:pk>/", p.batch_detail, name="batch_detail"),
    path(
        "batches/<int:pk>/payments.xlsx",
        p.batch_payments_export,
        name="batch_payments_export",
    ),
    path("batches/<int:pk>/approve/", p.batch_approve, name="batch_approve"),
    path("batches/<int:pk>/close/", p.batch_close, name="batch_close"),
    path("batches/<int:pk>/bank.xlsx", p.batch_bank_file, name="batch_bank_file"),
    path("payments/<int:pk>/return/", p.payment_return, name="payment_return"),
    path("recheck/", p.recheck, name="recheck"),
    path("recheck/export.xlsx", p.recheck_export, name="recheck_export"),
    path("totals/", p.totals_page, name="totals"),
    path("totals/export.xlsx", p.totals_export, name="totals_export"),
]
