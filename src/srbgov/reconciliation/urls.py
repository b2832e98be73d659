from __future__ import annotations

from django.urls import path

from srbgov.reconciliation import views

app_name = "reconciliation"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/<int:year>/<int:month>/", views.month_page, name="month"),
    path(
        "<int:pk>/<int:year>/<int:month>/export.xlsx",
        views.month_export,
        name="month_export",
    ),
    path("<int:pk>/<int:year>/<int:month>/decide/", views.decide, name="decide"),
]
