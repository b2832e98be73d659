from __future__ import annotations

from django.urls import path

from srbgov.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<slug:name>/", views.job_detail, name="job_detail"),
    path("<slug:name>/run/", views.job_run, name="job_run"),
]
