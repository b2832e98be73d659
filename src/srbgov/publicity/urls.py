from __future__ import annotations

from django.urls import path

from srbgov.publicity import views

app_name = "publicity"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("export.xlsx", views.activity_export, name="activity_export"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/export.xlsx", views.bulletin_export, name="bulletin_export"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_edit, name="bulletin_edit"),
    path(
        "bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"
    ),
    path("bulletins/<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
]
