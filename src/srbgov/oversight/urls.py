from __future__ import annotations

from django.urls import path

from srbgov.oversight import views, views_cases, views_surveys

app_name = "oversight"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/export.xlsx", views.campaign_export, name="campaign_export"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campaigns/<int:pk>/inspections/new/",
        views.inspection_create,
        name="inspection_create",
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:pk>/follow-up/",
        views.inspection_follow_up,
        name="inspection_follow_up",
    ),
    path("inspections/export.xlsx", views.inspection_export, name="inspection_export"),
    path("cases/", views_cases.case_list, name="case_list"),
    path("cases/export.xlsx", views_cases.case_export, name="case_export"),
    path("cases/new/", views_cases.case_create, name="case_create"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/tasks/", views_cases.case_task_add, name="case_task_add"),
    path("tasks/<int:pk>/done/", views_cases.case_task_done, name="case_task_done"),
    path(
        "cases/<int:pk>/records/", views_cases.case_record_add, name="case_record_add"
    ),
    path(
        "records/<int:pk>/file/", views_cases.case_record_file, name="case_record_file"
    ),
    path("cases/<int:pk>/dispose/", views_cases.case_dispose, name="case_dispose"),
    path(
        "cases/<int:pk>/persons/", views_cases.case_person_add, name="case_person_add"
    ),
    path("surveys/", views_surveys.survey_list, name="survey_list"),
    path("surveys/export.xlsx", views_surveys.survey_export, name="survey_export"),
    path("surveys/new/", views_surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views_surveys.survey_detail, name="survey_detail"),
    path(
        "surveys/<int:pk>/export.xlsx",
        views_surveys.survey_visits_export,
        name="survey_visits_export",
    ),
    path(
        "surveys/<int:pk>/visits/new/",
        views_surveys.survey_visit_add,
        name="survey_visit_add",
    ),
    path(
        "visits/<int:pk>/items/", views_surveys.survey_item_add, name="survey_item_add"
    ),
]
