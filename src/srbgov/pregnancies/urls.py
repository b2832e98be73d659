from __future__ import annotations

from django.urls import path

from srbgov.pregnancies import policy_views, views

app_name = "pregnancies"
urlpatterns = [
    path("", views.pregnancy_list, name="pregnancy_list"),
    path("export.xlsx", views.pregnancy_export, name="pregnancy_export"),
    path("new/", views.pregnancy_register, name="pregnancy_register"),
    path("work/<slug:slug>/", views.worklist, name="worklist"),
    path("work/<slug:slug>/export.xlsx", views.worklist_export, name="worklist_export"),
    path("<int:pk>/", views.pregnancy_detail, name="pregnancy_detail"),
    path("<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("<int:pk>/outcome/", views.outcome_create, name="outcome_create"),
    path(
        "births/<int:pk>/certificate/",
        views.birth_certificate,
        name="birth_certificate",
    ),
    path(
        "outcomes/<int:pk>/approval/",
        views.termination_approval,
        name="termination_approval",
    ),
    path("infant-deaths/", views.infant_death_list, name="infant_death_list"),
    path(
        "infant-deaths/export.xlsx",
        views.infant_death_export,
        name="infant_death_export",
    ),
    path(
        "infant-deaths/new/<int:pk>/",
        views.infant_death_create,
        name="infant_death_create",
    ),
    path("policies/", policy_views.policy_list, name="policy_list"),
    path("policies/<int:pk>/", policy_views.policy_edit, name="policy_edit"),
]
