from __future__ import annotations

from django.urls import path

from srbgov.workplans import views, views_org, views_supervision

app_name = "workplans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("books/", views_org.book_list, name="book_list"),
    path("books/export.xlsx", views_org.book_export, name="book_export"),
    path("books/new/", views_org.book_create, name="book_create"),
    path("books/<int:pk>/", views_org.book_detail, name="book_detail"),
    path("books/<int:pk>/sign/", views_org.book_sign, name="book_sign"),
    path("books/<int:pk>/scan/", views_org.book_scan, name="book_scan"),
    path("meetings/", views_org.meeting_list, name="meeting_list"),
    path("meetings/export.xlsx", views_org.meeting_export, name="meeting_export"),
    path("meetings/new/", views_org.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_org.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/tasks/", views_org.meeting_task_add, name="meeting_task_add"
    ),
    path("supervision/", views_supervision.supervision_list, name="supervision_list"),
    path(
        "supervision/export.xlsx",
        views_supervision.supervision_export,
        name="supervision_export",
    ),
    path(
        "supervision/new/",
        views_supervision.supervision_create,
        name="supervision_create",
    ),
    path(
        "supervision/<int:pk>/",
        views_supervision.supervision_detail,
        name="supervision_detail",
    ),
    path(
        "supervision/<int:pk>/items/",
        views_supervision.supervision_item_add,
        name="supervision_item_add",
    ),
    path(
        "supervision/items/<int:pk>/report/",
        views_supervision.item_report,
        name="item_report",
    ),
    path(
        "supervision/items/<int:pk>/review/",
        views_supervision.item_review,
        name="item_review",
    ),
]
