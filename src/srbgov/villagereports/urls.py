from __future__ import annotations

from django.urls import path

from srbgov.villagereports import views

app_name = "villagereports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("export.xlsx", views.report_export, name="report_export"),
    path("fill/", views.report_fill, name="report_fill"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
]
