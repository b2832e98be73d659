from __future__ import annotations

from django.urls import path

from srbgov.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("new/", views.area_create, name="area_create"),
    path("import/", views.area_import, name="area_import"),
    path("<int:pk>/edit/", views.area_edit, name="area_edit"),
]
