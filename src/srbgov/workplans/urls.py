from __future__ import annotations

from django.urls import path

from srbgov.workplans import views

app_name = "workplans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
]
