from __future__ import annotations

from django.urls import path

from srbgov.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("export.xlsx", views.alert_export, name="alert_export"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("<int:pk>/note/", views.alert_note, name="alert_note"),
    path("<int:pk>/assign/", views.alert_assign, name="alert_assign"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
]
