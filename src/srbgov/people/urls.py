from __future__ import annotations

from django.urls import path

from srbgov.people import views

app_name = "people"
urlpatterns = [
    path("", views.woman_list, name="woman_list"),
    path("export.xlsx", views.woman_export, name="woman_export"),
    path("new/", views.woman_create, name="woman_create"),
    path("<int:pk>/", views.woman_detail, name="woman_detail"),
    path("<int:pk>/edit/", views.woman_edit, name="woman_edit"),
    path("<int:pk>/confirm-id/", views.woman_confirm_id, name="woman_confirm_id"),
]
