from __future__ import annotations

from django.urls import path

from srbgov.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs.xlsx", views.job_export, name="job_export"),
    path("templates/<slug:slug>.xlsx", views.template_download, name="template"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/report.xlsx", views.job_report, name="job_report"),
    path("jobs/<int:pk>/import", views.job_import, name="job_import"),
    path("jobs/<int:pk>/discard", views.job_discard, name="job_discard"),
]
