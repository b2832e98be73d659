"""/api/: the versioned endpoints, the OpenAPI schema and its documentation page, and
the pages where tokens are issued and revoked (docs/api.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from srbgov.restapi import api, views

app_name = "restapi"
urlpatterns = [
    path("v1/me/", api.Me.as_view(), name="me"),
    path("v1/facilities/", api.FacilityList.as_view(), name="facility_list"),
    path(
        "v1/facilities/<str:pk>/", api.FacilityDetail.as_view(), name="facility_detail"
    ),
    path("v1/terminations/", api.TerminationList.as_view(), name="termination_list"),
    path(
        "v1/terminations/<str:pk>/",
        api.TerminationDetail.as_view(),
        name="termination_detail",
    ),
    path("v1/deliveries/", api.DeliveryList.as_view(), name="delivery_list"),
    path(
        "v1/deliveries/<str:pk>/",
        api.DeliveryDetail.as_view(),
        name="delivery_detail",
    ),
    path("v1/exams/", api.ExamList.as_view(), name="exam_list"),
    path("v1/exams/<str:pk>/", api.ExamDetail.as_view(), name="exam_detail"),
    path("v1/genetic-tests/", api.GeneticTestList.as_view(), name="genetic_test_list"),
    path(
        "v1/genetic-tests/<str:pk>/",
        api.GeneticTestDetail.as_view(),
        name="genetic_test_detail",
    ),
    path(
        "v1/genetic-tests/<str:pk>/result/",
        api.GeneticTestResult.as_view(),
        name="genetic_test_result",
    ),
    path("v1/women/", api.WomanList.as_view(), name="woman_list"),
    path("v1/women/<str:pk>/", api.WomanDetail.as_view(), name="woman_detail"),
    path("v1/pregnancies/", api.PregnancyList.as_view(), name="pregnancy_list"),
    path(
        "v1/pregnancies/<str:pk>/",
        api.PregnancyDetail.as_view(),
        name="pregnancy_detail",
    ),
    path("v1/alerts/", api.AlertList.as_view(), name="alert_list"),
    path("v1/alerts/<str:pk>/", api.AlertDetail.as_view(), name="alert_detail"),
    # The schema and its page: any logged-in user or token holder; no data in them.
    # A token holder reads the schema without a session (DRF authenticates).
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        views.docs_policy(
            SpectacularSwaggerSplitView.as_view(url_name="restapi:schema")
        ),
        name="docs",
    ),
    # Token pages (HTML, session login).
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/export.xlsx", views.token_export, name="token_export"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/client/new/", views.client_create, name="client_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
