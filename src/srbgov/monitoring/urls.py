from __future__ import annotations

from django.urls import path

from srbgov.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("funnel/", views.funnel, name="funnel"),
    path("villages/", views.villages, name="villages"),
    path("breakdowns/", views.breakdowns, name="breakdowns"),
    path("export/<slug:table>.xlsx", views.export, name="export"),
    path("policy/", views.policy, name="policy"),
    path("policy/save/", views.policy_save, name="policy_save"),
]
