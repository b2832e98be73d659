from __future__ import annotations

from django.urls import path

from srbgov.assessment import views, views_documents

app_name = "assessment"
urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("export.xlsx", views.scorecard_export, name="scorecard_export"),
    path("records/", views.indicator_records, name="indicator_records"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/adopt/", views.indicator_adopt, name="indicator_adopt"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("vetoes/", views.veto_list, name="veto_list"),
    path("vetoes/export.xlsx", views.veto_export, name="veto_export"),
    path("vetoes/new/", views.veto_create, name="veto_create"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path(
        "rectifications/export.xlsx",
        views.rectification_export,
        name="rectification_export",
    ),
    path("rectifications/open/", views.rectification_open, name="rectification_open"),
    path(
        "rectifications/<int:pk>/",
        views.rectification_detail,
        name="rectification_detail",
    ),
    path(
        "rectifications/<int:pk>/explain/",
        views.rectification_explain,
        name="rectification_explain",
    ),
    path(
        "rectifications/<int:pk>/review/",
        views.rectification_review,
        name="rectification_review",
    ),
    path("documents/", views_documents.document_list, name="document_list"),
    path(
        "documents/<slug:kind>/", views_documents.document_draft, name="document_draft"
    ),
]
