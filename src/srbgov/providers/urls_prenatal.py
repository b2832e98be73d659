"""Routes of the prenatal diagnosis register and the priority designations (issue 17
items 3 and 6), mounted in the providers namespace by providers/urls.py."""

from __future__ import annotations

from django.urls import path

from srbgov.providers.views import prenatal, priority

urlpatterns = [
    path("licences/", prenatal.licence_list, name="licence_list"),
    path("licences/export.xlsx", prenatal.licence_export, name="licence_export"),
    path("licences/new/", prenatal.licence_create, name="licence_create"),
    path("licences/<int:pk>/file/", prenatal.licence_file, name="licence_file"),
    path("genetic-tests/", prenatal.genetic_test_list, name="genetic_test_list"),
    path(
        "genetic-tests/export.xlsx",
        prenatal.genetic_test_export,
        name="genetic_test_export",
    ),
    path(
        "genetic-tests/new/", prenatal.genetic_test_create, name="genetic_test_create"
    ),
    path(
        "genetic-tests/<int:pk>/",
        prenatal.genetic_test_detail,
        name="genetic_test_detail",
    ),
    path(
        "genetic-tests/<int:pk>/result/",
        prenatal.genetic_test_result,
        name="genetic_test_result",
    ),
    path("priorities/", priority.priority_list, name="priority_list"),
    path("priorities/export.xlsx", priority.priority_export, name="priority_export"),
    path("priorities/new/", priority.priority_create, name="priority_create"),
    path("priorities/<int:pk>/", priority.priority_detail, name="priority_detail"),
    path("priorities/<int:pk>/renew/", priority.priority_renew, name="priority_renew"),
    path("priorities/<int:pk>/end/", priority.priority_end, name="priority_end"),
    path("villages/", priority.village_list, name="village_list"),
    path("villages/export.xlsx", priority.village_export, name="village_export"),
]
